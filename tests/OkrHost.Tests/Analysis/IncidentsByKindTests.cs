using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Plugins;
using OkrHost.Reporting;
using OkrHost.Running;
using OkrHost.Testing;
using OkrHost.Tests.Plugins;
using OkrHost.UseCases;

namespace OkrHost.Tests.Analysis;

/// <summary>
/// DORA takes incidents by fact kind, not by source name: the on-call plugin, built outside the solution,
/// drives the change failure rate with Slack off.
/// </summary>
[Collection(OnCallPluginCollection.Name)]
public sealed class IncidentsByKindTests(OnCallPluginFixture onCall)
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportWindows Windows = new(new ReportPeriod(From, From.AddDays(28)), TrendWeekCount: 4);

    [Fact]
    public async Task Incidents_of_a_dropped_in_plugin_drive_the_change_failure_rate_with_Slack_disabled()
    {
        using var folder = new TempFolder();
        using var dropped = PluginCatalog.Discover(onCall.InstallInto(folder));
        using var builtIn = PluginCatalog.Discover(RepoPaths.HostPlugins);
        var oncall = dropped.Find("oncall")!;
        // Two deployments; a page 2 h after the first became an incident, a page after the second did not.
        folder.File("pages.csv", $"""
            {From.AddDays(3).AddHours(2):O},checkout,{From.AddDays(3).AddHours(5):O}
            {From.AddDays(10).AddHours(1):O},search
            """);
        var facts = await CollectAsync(oncall, new JsonObject { ["pagesFile"] = folder.Combine("pages.csv") });
        var github = Run(builtIn.Find("github")!, SourceStatus.Ok, new FactSet
        {
            Window = Windows.FetchWindow,
            CollectedAt = Windows.Period.To,
            Facts =
            [
                new DeploymentFact("acme/api#1", "acme/api", "production", "a1", From.AddDays(3), DeploymentOutcome.Success),
                new DeploymentFact("acme/api#2", "acme/api", "production", "b2", From.AddDays(10), DeploymentOutcome.Success),
            ],
        });

        var computation = Compute(github, Run(builtIn.Find("slack")!, SourceStatus.Disabled, null), Run(oncall, SourceStatus.Ok, facts));

        var dora = computation.Analyzers.Single(a => a.Analyzer.Id == "dora").Metrics.ToDictionary(m => m.Id);
        Assert.Equal(0.5, dora["dora.change_failure_rate"].Value);
        Assert.Equal(2, dora["dora.change_failure_rate"].SampleSize);
        Assert.Equal(3.0, dora["dora.time_to_restore_hours.p50"].Value);
        Assert.Equal([1.0, 0.0, null, null], dora["dora.change_failure_rate"].Trend);
    }

    [Fact]
    public async Task Incident_sources_can_be_narrowed_to_slack_which_leaves_the_rate_empty_when_slack_is_off()
    {
        using var folder = new TempFolder();
        using var dropped = PluginCatalog.Discover(onCall.InstallInto(folder));
        using var builtIn = PluginCatalog.Discover(RepoPaths.HostPlugins);
        var oncall = dropped.Find("oncall")!;
        folder.File("pages.csv", $"{From.AddDays(3).AddHours(2):O},checkout,{From.AddDays(3).AddHours(5):O}");
        var facts = await CollectAsync(oncall, new JsonObject { ["pagesFile"] = folder.Combine("pages.csv") });
        var github = Run(builtIn.Find("github")!, SourceStatus.Ok, new FactSet
        {
            Window = Windows.FetchWindow,
            CollectedAt = Windows.Period.To,
            Facts = [new DeploymentFact("acme/api#1", "acme/api", "production", "a1", From.AddDays(3), DeploymentOutcome.Success)],
        });

        var computation = Compute(
            github, Run(builtIn.Find("slack")!, SourceStatus.Disabled, null), Run(oncall, SourceStatus.Ok, facts),
            """{ "incidentSources": ["slack"] }""");

        var dora = computation.Analyzers.Single(a => a.Analyzer.Id == "dora").Metrics.ToDictionary(m => m.Id);
        Assert.Null(dora["dora.change_failure_rate"].Value);
        Assert.Equal(0.25, dora["dora.deployment_frequency"].Value);
    }

    [Fact]
    public async Task Incidents_of_a_dropped_in_plugin_drive_all_five_DORA_metrics_with_Slack_disabled()
    {
        using var folder = new TempFolder();
        using var dropped = PluginCatalog.Discover(onCall.InstallInto(folder));
        using var builtIn = PluginCatalog.Discover(RepoPaths.HostPlugins);
        var oncall = dropped.Find("oncall")!;
        var day3 = From.AddDays(3);
        var day12 = From.AddDays(12);
        // A page 2 h after the day-3 deployment became an incident, resolved 7 h after it; a fix went out while it was open.
        // A page 3 h after the day-12 deployment became an incident resolved a day later; a page on day 10 stayed a page.
        folder.File("pages.csv", $"""
            {day3.AddHours(2):O},checkout,{day3.AddHours(7):O}
            {From.AddDays(10).AddHours(1):O},search
            {day12.AddHours(3):O},billing,{day12.AddHours(27):O}
            """);
        var facts = await CollectAsync(oncall, new JsonObject { ["pagesFile"] = folder.Combine("pages.csv") });
        DeploymentFact Deployed(string id, DateTimeOffset at) => new(id, "acme/api", "production", id, at, DeploymentOutcome.Success);
        var github = Run(builtIn.Find("github")!, SourceStatus.Ok, new FactSet
        {
            Window = Windows.FetchWindow,
            CollectedAt = Windows.Period.To,
            Facts =
            [
                Deployed("d1", day3), Deployed("d2", day3.AddHours(5)), Deployed("d3", From.AddDays(10)), Deployed("d4", day12),
                new ChangeFact("d1/c1", "acme/api", "c1", day3.AddHours(-2), day3),
                new ChangeFact("d4/c2", "acme/api", "c2", day12.AddHours(-4), day12),
            ],
        });

        var computation = Compute(github, Run(builtIn.Find("slack")!, SourceStatus.Disabled, null), Run(oncall, SourceStatus.Ok, facts));

        var dora = computation.Analyzers.Single(a => a.Analyzer.Id == "dora").Metrics.ToDictionary(m => m.Id);
        Assert.Equal(1.0, dora["dora.deployment_frequency"].Value);
        Assert.Equal(3.0, dora["dora.lead_time_hours.p50"].Value);
        // d1 and d4 caused the incidents; d2 was deployed during the first one.
        Assert.Equal((0.5, 4), (dora["dora.change_failure_rate"].Value, dora["dora.change_failure_rate"].SampleSize));
        Assert.Equal((0.25, 4), (dora["dora.rework_rate"].Value, dora["dora.rework_rate"].SampleSize));
        // d1 recovered 7 h after it went out, d4 27 h after.
        Assert.Equal((17.0, 2), (dora["dora.failed_deployment_recovery_hours.p50"].Value, dora["dora.failed_deployment_recovery_hours.p50"].SampleSize));
        // Only deployment frequency has a sample to score (1 a week: answer 4); the means take what is there.
        Assert.Equal(6.0, dora["dora.score.deployment_frequency"].Value);
        Assert.Equal(6.0, dora["dora.score.overall"].Value);
        Assert.Null(dora["dora.score.recovery"].Value);
        Assert.Equal([0.5, 0.0, null, null], dora["dora.rework_rate"].Trend);
    }

    private static async Task<FactSet> CollectAsync(DiscoveredPlugin plugin, JsonObject settings)
    {
        var context = new CollectContext
        {
            FetchWindow = Windows.FetchWindow,
            Settings = TestSources.Settings(plugin.Plugin, plugin.Id, settings, null),
            Http = null!,
            Logger = NullLogger.Instance,
            Progress = new Progress<SourceProgress>(),
            Clock = new FixedClock(Windows.Period.To),
        };
        return await plugin.Plugin.CollectAsync(context, CancellationToken.None);
    }

    private static SourceRun Run(DiscoveredPlugin plugin, SourceStatus status, FactSet? facts)
    {
        var settings = TestSources.Settings(plugin.Plugin, plugin.Id, [], null);
        var plan = new SourcePlan(plugin, settings, status != SourceStatus.Disabled, status == SourceStatus.Disabled ? "disabled" : null, []);
        return new SourceRun(plan, status, null, 0, 0, facts);
    }

    private static ReportComputation Compute(SourceRun github, SourceRun slack, SourceRun oncall, string doraSettings = "{}")
    {
        using var settings = System.Text.Json.JsonDocument.Parse(doraSettings);
        var dora = settings.RootElement.Clone();
        return ReportComputer.Compute(Windows, [github, slack, oncall], AnalyzerCatalog.All, id => id == "dora" ? dora : default,
            NoPointInTimeHistory.Instance, TimeSpan.FromMinutes(5), TimeProvider.System, Serilog.Core.Logger.None);
    }
}

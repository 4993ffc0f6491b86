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

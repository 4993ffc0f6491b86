using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Linear;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Linear;
using OkrHost.Testing;
using Xunit.Abstractions;
using LinearIssue = OkrHost.Sandbox.Linear.LinearIssue;

namespace Linear.Tests;

/// <summary>
/// The plugin against the emulator serving a small hand-built workspace, where every expected number
/// below is worked out by hand from the issues' dates.
/// </summary>
public sealed class PluginTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = SandboxFixture.Now;

    // Report period October (to is exclusive), previous period September.
    private static readonly ReportPeriod October = new(At(10, 1), At(10, 31));

    private static DateTimeOffset At(int month, int day, int hour = 0) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static LinearIssue Issue(
        string identifier, DateTimeOffset created, DateTimeOffset? started = null, DateTimeOffset? completed = null, DateTimeOffset? canceled = null,
        int priority = 3, string[]? labels = null, DateTimeOffset? archived = null, string? team = null) => new()
    {
        Id = Guid.NewGuid().ToString(),
        Identifier = identifier,
        Title = "Work item " + identifier,
        TeamKey = team ?? identifier.Split('-')[0],
        Priority = priority,
        Labels = labels ?? ["Feature"],
        StateType = completed is not null ? "completed" : canceled is not null ? "canceled" : started is not null ? "started" : "backlog",
        StateName = "State",
        CreatedAt = created,
        StartedAt = started,
        CompletedAt = completed,
        CanceledAt = canceled,
        ArchivedAt = archived,
    };

    /// <summary>Ten ENG issues in or around the window, one WEB issue, one long before it.</summary>
    private static IReadOnlyList<LinearIssue> Workspace() =>
    [
        // Completed exactly at the period start: closed in October, not September.
        Issue("ENG-1", At(9, 10), At(9, 12), completed: At(10, 1)),
        // Completed exactly at the period end (exclusive): not closed in October.
        Issue("ENG-2", At(10, 5), At(10, 6), completed: At(10, 31)),
        // Reopened: Linear cleared completedAt, so it is not closed.
        Issue("ENG-3", At(9, 20), At(9, 21)),
        // Canceled without being started: canceled, not closed.
        Issue("ENG-4", At(10, 2), canceled: At(10, 3)),
        // Urgent bug (lower-case label): 24 h to resolve, 22 h of cycle time.
        Issue("ENG-5", At(10, 10), At(10, 10, 2), At(10, 11), priority: 1, labels: ["bug"]),
        // Bug without priority: not urgent.
        Issue("ENG-6", At(10, 12), At(10, 12, 12), At(10, 13), priority: 0, labels: ["Bug"]),
        // Urgent bug open since long before the window, upper-case label.
        Issue("ENG-7", At(8, 1), priority: 1, labels: ["BUG", "Feature"]),
        // Closed without ever being started: out of the cycle time.
        Issue("ENG-9", At(10, 15), completed: At(10, 20), priority: 2),
        // Archived urgent bug closed in September: counts like any other.
        Issue("ENG-10", At(9, 2), At(9, 3), At(9, 5), priority: 1, labels: ["Bug"], archived: At(10, 10)),
        // Urgent bug open at the end of September, canceled in October.
        Issue("ENG-11", At(9, 15), canceled: At(10, 5), priority: 1, labels: ["Bug"]),
        // Another team's urgent bug.
        Issue("WEB-1", At(10, 3), priority: 1, labels: ["Bug"]),
        // Long done: outside everything.
        Issue("ENG-12", At(7, 1), At(7, 2), At(7, 5)),
    ];

    private static async Task<SandboxServer> StartAsync(IEnumerable<LinearIssue>? issues = null)
    {
        var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now });
        if (issues is not null)
        {
            Emulator(server).Data.Replace(issues);
        }

        return server;
    }

    private static LinearEmulator Emulator(SandboxServer server) => (LinearEmulator)server.Emulator("linear");

    private static JsonObject Settings(SandboxServer server, string[]? teams, string? bugLabel = null)
    {
        var settings = new JsonObject { ["baseUrl"] = new Uri(server.BaseUrl("linear"), "graphql").ToString() };
        if (teams is not null)
        {
            settings["teams"] = new JsonArray(teams.Select(t => (JsonNode)t).ToArray());
        }

        if (bugLabel is not null)
        {
            settings["bugLabel"] = bugLabel;
        }

        return settings;
    }

    private static async Task<PluginRun> RunAsync(SandboxServer server, JsonObject settings, ReportPeriod period, string? token = null)
    {
        var (context, _, factory) = TestSources.Context(new LinearSource(), "linear", settings, token ?? Emulator(server).Token, period, Now);
        using (factory)
        {
            return await TestSources.RunAsync(new LinearSource(), context);
        }
    }

    private static (double? Value, double? Previous) Metric(PluginRun result, string id)
    {
        var metric = result.Metrics.Single(m => m.Id == id);
        return (metric.Value, metric.Previous);
    }

    [Fact]
    public async Task Every_metric_matches_the_hand_worked_numbers_for_both_periods()
    {
        await using var server = await StartAsync(Workspace());

        var result = await RunAsync(server, Settings(server, ["ENG"]), October);

        Assert.Equal((4d, 1d), Metric(result, "linear.issues_closed"));
        Assert.Equal((5d, 4d), Metric(result, "linear.issues_created"));
        Assert.Equal((2d, 0d), Metric(result, "linear.issues_canceled"));
        Assert.Equal((7d, 4d), Metric(result, "linear.issues_managed"));
        Assert.Equal((1d, 1d), Metric(result, "linear.urgent_bugs_closed"));
        Assert.Equal((24d, 72d), Metric(result, "linear.urgent_bug_resolution_hours.p50"));
        Assert.Equal((1d, 2d), Metric(result, "linear.urgent_bugs_open"));
        Assert.Equal((22d, 48d), Metric(result, "linear.cycle_time_hours.p50"));
        Assert.Equal(
            ["ENG-1", "ENG-10", "ENG-11", "ENG-2", "ENG-3", "ENG-4", "ENG-5", "ENG-6", "ENG-7", "ENG-9"],
            result.Facts.OfType<OkrHost.Plugins.Linear.LinearIssue>().Select(e => e.Identifier).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Without_teams_every_team_counts_and_lower_case_team_keys_match()
    {
        await using var server = await StartAsync(Workspace());

        var all = await RunAsync(server, Settings(server, teams: null), October);
        var lowerCase = await RunAsync(server, Settings(server, ["eng"]), October);

        Assert.Equal((6d, 4d), Metric(all, "linear.issues_created"));
        Assert.Equal((2d, 2d), Metric(all, "linear.urgent_bugs_open"));
        Assert.Equal((5d, 4d), Metric(lowerCase, "linear.issues_created"));
    }

    [Fact]
    public async Task The_bug_label_matches_whatever_its_case()
    {
        await using var server = await StartAsync(Workspace());

        var result = await RunAsync(server, Settings(server, ["ENG"], bugLabel: "bUg"), October);

        Assert.Equal((1d, 1d), Metric(result, "linear.urgent_bugs_closed"));
        Assert.Equal((1d, 2d), Metric(result, "linear.urgent_bugs_open"));
        Assert.True(result.Facts.OfType<OkrHost.Plugins.Linear.LinearIssue>().Single(e => e.Identifier == "ENG-7").IsBug);
    }

    [Fact]
    public async Task Tables_list_the_urgent_bugs_closed_and_still_open_with_links()
    {
        await using var server = await StartAsync(Workspace());

        var result = await RunAsync(server, Settings(server, ["ENG"]), October);

        var closed = result.Tables.Single(t => t.Id == "urgent-bugs-closed").Rows.Single();
        Assert.Equal("ENG-5", closed[0].Text);
        Assert.Equal("https://linear.app/acme/issue/eng-5", closed[0].Link);
        Assert.Equal(["Work item ENG-5", "ENG", "24.0"], closed.Skip(1).Select(c => c.Text));
        var open = result.Tables.Single(t => t.Id == "urgent-bugs-open").Rows.Single();
        Assert.Equal(["ENG-7", "Work item ENG-7", "91.0"], open.Select(c => c.Text));
        var weeklyClosed = result.Series.Single(s => s.Id == "issues-closed-weekly");
        // Weeks end at the period end (Oct 25 – Nov 1, …), so the first bucket is the partial Oct 1 – 4.
        Assert.Equal([1d, 0d, 2d, 1d, 0d], weeklyClosed.Points.Select(p => p.Value));
    }

    [Fact]
    public async Task Results_spanning_several_pages_are_fetched_whole_at_250_per_page()
    {
        var issues = Workspace().Concat(Enumerable.Range(100, 600).Select(n => Issue($"ENG-{n}", At(10, 1 + n % 29, n % 24)))).ToList();
        await using var server = await StartAsync(issues);

        var result = await RunAsync(server, Settings(server, ["ENG"]), October);

        Assert.Equal((605d, 4d), Metric(result, "linear.issues_created"));
        Assert.Equal(3, server.Stats("linear").Requests);
    }

    [Fact]
    public async Task A_rate_limited_run_waits_retries_and_gives_the_same_numbers()
    {
        await using var server = await StartAsync(Workspace());
        var clean = await RunAsync(server, Settings(server, ["ENG"]), October);
        server.ResetStats();

        Emulator(server).RateLimitNext(2);
        var limited = await RunAsync(server, Settings(server, ["ENG"]), October);

        Assert.Equal(clean.Metrics, limited.Metrics);
        Assert.Equal(3, server.Stats("linear").Requests);
    }

    [Fact]
    public async Task A_rejected_key_fails_the_source_naming_the_variable_and_never_the_key()
    {
        await using var server = await StartAsync(Workspace());
        const string wrongKey = "lin_api_wrongKey1234567890abcdefghijklmnop";

        var failure = await Assert.ThrowsAsync<SourceException>(() => RunAsync(server, Settings(server, ["ENG"]), October, wrongKey));

        Assert.Equal("Linear GraphQL issues query: Linear rejected the API key (AUTHENTICATION_ERROR); check LINEAR_API_KEY", failure.Message);
        Assert.DoesNotContain(wrongKey, failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(SandboxProfile.Demo)]
    [InlineData(SandboxProfile.Large)]
    public async Task The_simulated_organisation_yields_every_metric_within_a_tenth_of_the_minimum_requests(SandboxProfile profile)
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now, Profile = profile });
        var startup = started.Elapsed;
        var (sources, _) = server.DemoSources();
        var settings = (JsonObject)sources["linear"]!.DeepClone();
        var period = TestSources.Last30Days(Now);

        started.Restart();
        var result = await RunAsync(server, settings, period);
        var run = started.Elapsed;

        var minimum = Emulator(server).MinimumRequests(new SandboxPeriod(period.From, period.To));
        var requests = server.Stats("linear").Requests;
        output.WriteLine($"{profile}: {requests} requests, minimum {minimum}, {result.Facts.Count} issues fetched; sandbox start {startup.TotalMilliseconds:0} ms, plugin run {run.TotalMilliseconds:0} ms");
        Assert.Equal(new LinearSource().Metrics.Select(m => m.Id), result.Metrics.Select(m => m.Id));
        Assert.All(result.Metrics, m => Assert.NotNull(m.Value));
        Assert.All(result.Metrics, m => Assert.NotNull(m.Previous));
        Assert.True(requests <= minimum * 1.1, $"{requests} requests for a minimum of {minimum}");
    }
}

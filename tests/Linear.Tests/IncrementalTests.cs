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
/// Incremental collection (PRODUCT.md section 9): building on stored issues gives a cold collection's
/// numbers in every window, for a fraction of its requests, and picks up issues that changed since.
/// </summary>
public sealed class IncrementalTests(ITestOutputHelper output)
{
    private static readonly DateTimeOffset Now = SandboxFixture.Now;

    private static LinearEmulator Emulator(SandboxServer server) => (LinearEmulator)server.Emulator("linear");

    // Large, next week: 2,824 issues were updated since the stored window ended (2,663 of them have a
    // created, started, completed or canceled time in the new week), so 12 pages of 250 is the least
    // any client that sees the changes can spend.
    [Theory]
    [InlineData(SandboxProfile.Demo, long.MaxValue, long.MaxValue)]
    [InlineData(SandboxProfile.Large, 5, 12)]
    public async Task Warm_and_next_week_runs_equal_a_cold_run_in_every_window_within_budget(SandboxProfile profile, long warmBudget, long nextWeekBudget)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now, Profile = profile });
        var settings = Emulator(server).DemoSettings(server.BaseUrl("linear"));

        var outcome = await IncrementalCollection.RunAsync(server, () => new LinearSource(), "linear", settings, Emulator(server).Token);

        output.WriteLine($"{profile}: {outcome}");
        var period = TestSources.Last30Days(Now);
        Assert.Equal(Emulator(server).MinimumRequests(new SandboxPeriod(period.From, period.To)), outcome.Cold);
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 1, warmBudget);
        Assert.InRange(outcome.NextWeek, 1, nextWeekBudget);
    }

    [Fact]
    public async Task Issues_closed_relabelled_moved_or_created_after_the_stored_collection_show_up_as_they_now_are()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now });
        var data = Emulator(server).Data;
        var teams = server.Org.TeamKeys;
        var settings = Emulator(server).DemoSettings(server.BaseUrl("linear"));
        // The last team is left out, so that an issue moved to it leaves the report.
        settings["teams"] = new JsonArray(teams.SkipLast(1).Select(key => (JsonNode)key).ToArray());
        var closing = UrgentBug("closing", teams[0], Now.AddDays(-20));
        var relabelled = UrgentBug("relabelled", teams[0], Now.AddDays(-15));
        var moving = UrgentBug("moving", teams[1], Now.AddDays(-10));
        data.Add(closing);
        data.Add(relabelled);
        data.Add(moving);
        var yesterday = Now.AddDays(-1);
        var (stored, _) = await CollectAsync(server, settings, IncrementalCollection.Windows(yesterday), yesterday, known: null);

        // Since then, in the evening before today's run (inside today's fetch window, after yesterday's):
        var evening = Now.AddHours(-12);
        var created = UrgentBug("created", teams[1], evening);
        data.Replace(data.Issues
            .Select(issue => issue.Id == closing.Id ? issue with { CompletedAt = evening, StateType = LinearStateType.Completed, StateName = "Done" }
                : issue.Id == relabelled.Id ? issue with { Labels = ["Feature"], UpdatedAt = evening }
                : issue.Id == moving.Id ? issue with { TeamKey = teams[^1], Identifier = teams[^1] + "-9001", UpdatedAt = evening }
                : issue)
            .Append(created));
        var windows = IncrementalCollection.Windows(Now);
        var (incremental, _) = await CollectAsync(server, settings, windows, Now, stored);
        var (cold, _) = await CollectAsync(server, settings, windows, Now, known: null);

        Assert.Empty(IncrementalCollection.Differences(new LinearSource(), windows, cold, incremental, "incremental"));
        var issues = incremental.Facts.OfType<OkrHost.Plugins.Linear.LinearIssue>().ToDictionary(issue => issue.Id);
        Assert.Equal(evening, issues[closing.Id].CompletedAt);
        Assert.False(issues[relabelled.Id].IsBug);
        Assert.DoesNotContain(moving.Id, issues.Keys);
        Assert.True(issues[created.Id].IsUrgentBugOpenAt(windows.Period.To));
        var storedIssues = stored.Facts.OfType<OkrHost.Plugins.Linear.LinearIssue>().ToDictionary(issue => issue.Id);
        Assert.True(storedIssues[closing.Id].IsUrgentBugOpenAt(windows.Period.To) && storedIssues[relabelled.Id].IsBug && storedIssues.ContainsKey(moving.Id));
    }

    [Fact]
    public async Task A_window_reaching_further_back_than_the_stored_one_fetches_only_the_part_before_it()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now });
        var settings = Emulator(server).DemoSettings(server.BaseUrl("linear"));
        var (stored, _) = await CollectAsync(server, settings, IncrementalCollection.Windows(Now), Now, known: null);

        var longer = IncrementalCollection.Windows(Now, trendWeeks: 26);
        var (incremental, billable) = await CollectAsync(server, settings, longer, Now.AddMinutes(5), stored);
        var (cold, coldBillable) = await CollectAsync(server, settings, longer, Now.AddMinutes(5), known: null);

        output.WriteLine($"26 trend weeks on top of 13: {billable} requests, cold {coldBillable}");
        Assert.Empty(IncrementalCollection.Differences(new LinearSource(), longer, cold, incremental, "longer"));
        Assert.Equal(cold.Facts.Select(f => f.Id).Order(StringComparer.Ordinal), incremental.Facts.Select(f => f.Id).Order(StringComparer.Ordinal));
    }

    private static async Task<(FactSet Facts, long Billable)> CollectAsync(SandboxServer server, JsonObject settings, OkrHost.Running.ReportWindows windows, DateTimeOffset now, FactSet? known)
    {
        using var cache = new TempFolder();
        return await IncrementalCollection.CollectAsync(server, new LinearSource(), "linear", settings, Emulator(server).Token, windows, now, known, cache.Path);
    }

    private static LinearIssue UrgentBug(string name, string team, DateTimeOffset created) => new()
    {
        Id = "incremental-" + name,
        Identifier = $"{team}-{9000 + name.Length}",
        Title = $"Urgent bug ({name})",
        TeamKey = team,
        Priority = 1,
        Labels = ["Bug"],
        StateType = LinearStateType.Started,
        StateName = "In Progress",
        CreatedAt = created,
        StartedAt = created.AddMinutes(30),
    };
}

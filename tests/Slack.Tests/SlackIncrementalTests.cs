using OkrHost.Plugins.Slack;
using OkrHost.Sandbox;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Slack.Tests;

/// <summary>Re-runs built on stored facts (<c>CollectContext.Known</c>): the numbers of a cold run, for a fraction of its requests.</summary>
public sealed class SlackIncrementalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_the_demo_workspace_warm_and_next_week_runs_give_every_window_of_a_cold_run()
    {
        await using var server = await SlackRun.StartAsync();
        var outcome = await IncrementalCollection.RunAsync(server, () => new SlackSource(), "slack", SlackRun.Settings(server), server.Emulator().Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.True(outcome.Warm < outcome.Cold, outcome.ToString());
    }

    [Fact]
    public async Task On_the_large_workspace_re_runs_are_exact_and_within_budget()
    {
        await using var server = await SlackRun.StartAsync(SandboxProfile.Large);
        var outcome = await IncrementalCollection.RunAsync(server, () => new SlackSource(), "slack", SlackRun.Settings(server), server.Emulator().Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 1, 25);
        Assert.InRange(outcome.NextWeek, 1, 35);
    }
}

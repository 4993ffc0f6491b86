using OkrHost.Plugins.Grafana;
using OkrHost.Sandbox;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Grafana.Tests;

/// <summary>Re-runs built on stored facts (<c>CollectContext.Known</c>): the numbers of a cold run, for a fraction of its requests.</summary>
public sealed class GrafanaIncrementalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_the_demo_organisation_warm_and_next_week_runs_give_every_window_of_a_cold_run()
    {
        await using var server = await GrafanaRun.StartAsync();
        var outcome = await IncrementalCollection.RunAsync(server, () => new GrafanaSource(), "grafana", GrafanaRun.Settings(server), GrafanaRun.Emulator(server).Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
    }

    [Fact]
    public async Task On_the_large_organisation_re_runs_are_exact_and_within_budget()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = SandboxProfile.Large });
        var outcome = await IncrementalCollection.RunAsync(server, () => new GrafanaSource(), "grafana", GrafanaRun.Settings(server), GrafanaRun.Emulator(server).Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 1, 6);
        Assert.InRange(outcome.NextWeek, 1, 8);
    }
}

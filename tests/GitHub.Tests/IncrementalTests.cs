using System.Text.Json.Nodes;
using OkrHost.Plugins.GitHub;
using OkrHost.Sandbox;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace GitHub.Tests;

public sealed class IncrementalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("deployments")]
    [InlineData("workflow-runs")]
    public async Task Building_on_stored_facts_gives_a_cold_collections_numbers_in_every_window_of_the_demo(string deploymentSource)
    {
        await using var sandbox = await DemoSandbox.StartAsync();

        var outcome = await RunAsync(sandbox, deploymentSource);

        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
    }

    [Theory]
    [InlineData("deployments")]
    [InlineData("workflow-runs")]
    public async Task The_large_organisation_re_runs_within_budget_and_exactly(string deploymentSource)
    {
        await using var sandbox = await DemoSandbox.StartAsync(SandboxProfile.Large);

        var outcome = await RunAsync(sandbox, deploymentSource);

        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 0, 5);
        Assert.InRange(outcome.NextWeek, 0, 240);
    }

    private async Task<IncrementalOutcome> RunAsync(DemoSandbox sandbox, string deploymentSource)
    {
        var settings = sandbox.Settings();
        settings["deploymentSource"] = deploymentSource;
        var outcome = await IncrementalCollection.RunAsync(sandbox.Server, () => new GitHubSource(), "github", settings, sandbox.Emulator.Token);
        output.WriteLine($"{sandbox.Server.Org.Sizes.Repositories} repositories, {deploymentSource}: {outcome}");
        return outcome;
    }
}

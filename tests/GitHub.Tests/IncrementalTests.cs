using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Plugins.GitHub;
using OkrHost.Sandbox;
using OkrHost.Sandbox.GitHub;
using OkrHost.Testing;
using Xunit.Abstractions;
using static GitHub.Tests.GitHubTestKit;

namespace GitHub.Tests;

/// <summary>
/// Incremental collection (PRODUCT.md section 9): building on the stored facts gives a cold collection's
/// facts and numbers, asks GitHub only for what can have changed, and picks up outcomes that changed since.
/// </summary>
public sealed class IncrementalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("deployments", "rest")]
    [InlineData("deployments", "graphql")]
    [InlineData("workflow-runs", "rest")]
    public async Task Building_on_stored_facts_gives_a_cold_collections_numbers_in_every_window_of_the_demo(string deploymentSource, string api)
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: api);

        var outcome = await RunAsync(sandbox, deploymentSource);

        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
    }

    [Theory]
    [InlineData("deployments", "rest")]
    [InlineData("workflow-runs", "rest")]
    public async Task The_large_organisation_re_runs_within_budget_and_exactly(string deploymentSource, string api)
    {
        await using var sandbox = await DemoSandbox.StartAsync(SandboxProfile.Large, api: api);

        var outcome = await RunAsync(sandbox, deploymentSource);

        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 0, 5);
        Assert.InRange(outcome.NextWeek, 0, 240);
        // Not even conditional requests for what the stored facts settle: the list pages, the runs and the
        // statuses of the last days, and for next week the new week's statuses and compares.
        Assert.InRange(outcome.WarmRequests, 0, outcome.Cold / 10);
        Assert.InRange(outcome.NextWeekRequests, 0, outcome.Cold / 5);
    }

    [Fact]
    public async Task Over_GraphQL_the_large_organisation_re_runs_exactly_and_no_dearer_than_over_REST()
    {
        await using var rest = await DemoSandbox.StartAsync(SandboxProfile.Large, api: "rest");
        await using var graphQL = await DemoSandbox.StartAsync(SandboxProfile.Large, api: "graphql");

        var byRest = await RunAsync(rest, "deployments");
        var byGraphQL = await RunAsync(graphQL, "deployments");

        Assert.Empty(byGraphQL.WarmDifferences);
        Assert.Empty(byGraphQL.NextWeekDifferences);
        Assert.InRange(byGraphQL.Cold, 1, byRest.Cold / 100);
        Assert.InRange(byGraphQL.WarmRequests, 0, byRest.WarmRequests);
        Assert.InRange(byGraphQL.NextWeekRequests, 0, byRest.NextWeekRequests);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task A_deployment_whose_status_changed_after_the_stored_collection_gets_its_new_outcome(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var window = new ReportPeriod(Utc(10, 1), Utc(10, 21));
        var c0 = sandbox.Commit(Utc(9, 30, 8));
        var c1 = sandbox.Commit(Utc(10, 19, 8));
        var c2 = sandbox.Commit(Utc(10, 20, 8));
        sandbox.Deploy("production", c0, Utc(10, 2, 9), ("success", Utc(10, 2, 9, 5)));
        sandbox.Deploy("production", c0, Utc(10, 5, 9), ("failure", Utc(10, 5, 9, 5)));          // settled failure
        sandbox.Deploy("production", c0, Utc(10, 6, 9), ("pending", Utc(10, 6, 9, 1)));          // settled without outcome
        var retried = sandbox.Deploy("production", c1, Utc(10, 19, 10), ("failure", Utc(10, 19, 10, 30)));
        var approved = sandbox.Deploy("production", c2, Utc(10, 20, 10), ("pending", Utc(10, 20, 10, 1)));
        var (stored, _) = await sandbox.CollectAsync(window, Utc(10, 21, 9), known: null);
        Assert.Equal(DeploymentOutcome.Failure, Deployment(stored, retried).Outcome);
        Assert.DoesNotContain(stored.Facts.OfType<DeploymentFact>(), d => d.Id.EndsWith($"#{approved.Id}", StringComparison.Ordinal));

        // After the stored collection: the failed one is retried and succeeds, the pending one is approved.
        retried.Statuses.Add(new GitHubStatusRecord(sandbox.Emulator.Data.NextId(), "success", Utc(10, 21, 11)));
        approved.Statuses.Add(new GitHubStatusRecord(sandbox.Emulator.Data.NextId(), "success", Utc(10, 21, 12)));
        var next = new ReportPeriod(Utc(10, 1), Utc(10, 22));
        var (incremental, requests) = await sandbox.CollectAsync(next, Utc(10, 22, 9), stored);
        var (cold, coldRequests) = await sandbox.CollectAsync(next, Utc(10, 22, 9), known: null);

        Assert.Equal((DeploymentOutcome.Success, Utc(10, 21, 11)), (Deployment(incremental, retried).Outcome, Deployment(incremental, retried).At));
        Assert.Equal((DeploymentOutcome.Success, Utc(10, 21, 12)), (Deployment(incremental, approved).Outcome, Deployment(incremental, approved).At));
        Assert.Equal(Json(cold), Json(incremental));
        // REST: the deployment list's one page, the statuses of the two still open, and the compares c0...c1
        // and c1...c2 of the two new successes; the settled ones come from the stored facts. GraphQL: one
        // query for the deployments with their statuses, one for the history from c2 back to c0.
        Assert.Equal(api == "rest" ? (5, 8) : (2, 2), (requests, coldRequests));
    }

    [Fact]
    public async Task A_workflow_run_re_run_after_the_stored_collection_gets_its_new_outcome()
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync();
        var repository = sandbox.Repository;
        var deploy = new GitHubWorkflowRecord(sandbox.Emulator.Data.NextId(), "Deploy", ".github/workflows/deploy.yml");
        repository.Workflows.Add(deploy);
        var c0 = sandbox.Commit(Utc(9, 30, 8));
        var c1 = sandbox.Commit(Utc(10, 19, 8));
        var n = 0;
        GitHubRunRecord Run(string sha, string status, string? conclusion, DateTimeOffset created, DateTimeOffset updated)
        {
            var run = new GitHubRunRecord(sandbox.Emulator.Data.NextId(), deploy.Id, "main", sha, status, conclusion, created, updated, ++n);
            repository.Runs.Add(run);
            return run;
        }

        Run(c0, "completed", "success", Utc(10, 2, 9), Utc(10, 2, 9, 5));
        var settled = Run(c0, "completed", "failure", Utc(10, 5, 9), Utc(10, 5, 9, 5));
        var rerun = Run(c1, "completed", "failure", Utc(10, 19, 10), Utc(10, 19, 10, 30));
        var settings = sandbox.Settings();
        settings["deploymentSource"] = "workflow-runs";
        settings["branch"] = "main";
        var window = new ReportPeriod(Utc(10, 1), Utc(10, 21));
        var (stored, _) = await sandbox.CollectAsync(window, Utc(10, 21, 9), known: null, settings);

        // Re-run after the stored collection: first in progress, then successful.
        repository.Runs[repository.Runs.IndexOf(rerun)] = rerun with { Status = "in_progress", Conclusion = null, UpdatedAt = Utc(10, 21, 11) };
        var (whileRunning, _) = await sandbox.CollectAsync(window, Utc(10, 21, 11, 30), stored, settings);
        repository.Runs[repository.Runs.IndexOf(repository.Runs.Single(r => r.Id == rerun.Id))] = rerun with { Conclusion = "success", UpdatedAt = Utc(10, 21, 12) };
        var next = new ReportPeriod(Utc(10, 1), Utc(10, 22));
        var (incremental, requests) = await sandbox.CollectAsync(next, Utc(10, 22, 9), whileRunning, settings);
        var (cold, _) = await sandbox.CollectAsync(next, Utc(10, 22, 9), known: null, settings);

        Assert.DoesNotContain(whileRunning.Facts.OfType<DeploymentFact>(), d => d.Id.EndsWith($"/runs/{rerun.Id}", StringComparison.Ordinal));
        Assert.Contains(whileRunning.Facts.OfType<DeploymentFact>(), d => d.Id.EndsWith($"/runs/{settled.Id}", StringComparison.Ordinal));
        Assert.Equal((DeploymentOutcome.Success, Utc(10, 21, 12)), incremental.Facts.OfType<DeploymentFact>().Where(d => d.Id.EndsWith($"/runs/{rerun.Id}", StringComparison.Ordinal))
            .Select(d => (d.Outcome, d.At)).Single());
        Assert.Equal(Json(cold), Json(incremental));
        // The workflows; only the runs created since the stored facts were settled, in two questions (the
        // window's last three days apart, and the day before them); older runs looking for a base before the
        // first-ever run (as a cold collection does; there is none); the compare c0...c1.
        Assert.Equal(5, requests);
    }

    [Theory]
    [InlineData("deployments", "rest")]
    [InlineData("deployments", "graphql")]
    [InlineData("workflow-runs", "rest")]
    public async Task A_window_reaching_further_back_than_the_stored_one_is_collected_as_a_cold_run_would(string deploymentSource, string api)
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: api);
        var settings = sandbox.Settings();
        settings["deploymentSource"] = deploymentSource;
        var stored = IncrementalCollection.Windows(SandboxFixture.Now).FetchWindow;
        var earlier = IncrementalCollection.Windows(SandboxFixture.Now.AddDays(-14)).FetchWindow;
        var (known, _) = await GitHubTestKit.CollectAsync(sandbox.Server.BaseUrl("github"), settings, sandbox.Emulator.Token, stored, SandboxFixture.Now, known: null);

        var (incremental, requests) = await GitHubTestKit.CollectAsync(sandbox.Server.BaseUrl("github"), settings, sandbox.Emulator.Token, earlier, SandboxFixture.Now, known);
        var (cold, coldRequests) = await GitHubTestKit.CollectAsync(sandbox.Server.BaseUrl("github"), settings, sandbox.Emulator.Token, earlier, SandboxFixture.Now, known: null);

        Assert.Equal(Json(cold), Json(incremental));
        output.WriteLine($"{deploymentSource} over {api}: {requests} requests building on a later window, {coldRequests} cold");
        // The stored window settles most statuses and compares of the earlier one too; over GraphQL the
        // deployment pages are the cost either way, and the history walk is no longer.
        Assert.InRange(requests, 1, api == "rest" ? coldRequests / 2 : coldRequests);
    }

    private static DeploymentFact Deployment(FactSet facts, GitHubDeploymentRecord deployment) =>
        facts.Facts.OfType<DeploymentFact>().Single(d => d.Id.EndsWith($"#{deployment.Id}", StringComparison.Ordinal));

    private static string Json(FactSet facts) => System.Text.Json.JsonSerializer.Serialize(
        facts.Facts.OrderBy(f => f.GetType().Name, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => (object)f));

    private async Task<IncrementalOutcome> RunAsync(DemoSandbox sandbox, string deploymentSource)
    {
        var settings = sandbox.Settings();
        settings["deploymentSource"] = deploymentSource;
        var outcome = await IncrementalCollection.RunAsync(sandbox.Server, () => new GitHubSource(), "github", settings, sandbox.Emulator.Token);
        output.WriteLine($"{sandbox.Server.Org.Sizes.Repositories} repositories, {deploymentSource} over {sandbox.Api}: {outcome}");
        return outcome;
    }
}

using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox.GitHub;
using static GitHub.Tests.GitHubTestKit;

namespace GitHub.Tests;

public sealed class WorkflowRunsTests
{
    [Fact]
    public async Task Completed_runs_of_deploy_workflows_on_the_default_branch_are_the_deployments()
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync();
        var repository = sandbox.Repository;
        repository.DefaultBranch = "trunk";
        var deploy = new GitHubWorkflowRecord(sandbox.Emulator.Data.NextId(), "Deploy to production", ".github/workflows/deploy.yml");
        var ci = new GitHubWorkflowRecord(sandbox.Emulator.Data.NextId(), "CI", ".github/workflows/ci.yml");
        repository.Workflows.AddRange([ci, deploy]);
        var c0 = sandbox.Commit(Utc(9, 20, 8));
        var c1 = sandbox.Commit(Utc(10, 2, 6));   // lead 4 h
        var c2 = sandbox.Commit(Utc(10, 6, 7));   // lead 2.5 h
        var n = 0;
        void Run(GitHubWorkflowRecord workflow, string branch, string sha, string status, string? conclusion, DateTimeOffset created, DateTimeOffset updated) =>
            repository.Runs.Add(new GitHubRunRecord(sandbox.Emulator.Data.NextId(), workflow.Id, branch, sha, status, conclusion, created, updated, ++n));
        Run(deploy, "trunk", c0, "completed", "success", Utc(9, 20, 9), Utc(9, 20, 9, 10));        // previous period, first ever
        Run(deploy, "trunk", c1, "completed", "success", Utc(10, 2, 9, 50), Utc(10, 2, 10));
        Run(deploy, "trunk", c1, "completed", "failure", Utc(10, 4, 11, 50), Utc(10, 4, 12));
        Run(deploy, "trunk", c1, "completed", "cancelled", Utc(10, 5, 11, 50), Utc(10, 5, 12));
        Run(deploy, "trunk", c2, "completed", "success", Utc(10, 6, 9), Utc(10, 6, 9, 30));
        Run(deploy, "feature/x", c2, "completed", "success", Utc(10, 7, 9), Utc(10, 7, 9, 30));   // another branch
        Run(ci, "trunk", c2, "completed", "success", Utc(10, 8, 9), Utc(10, 8, 9, 30));           // not a deploy workflow
        Run(deploy, "trunk", c2, "in_progress", null, Utc(10, 9, 9), Utc(10, 9, 9, 30));          // not completed
        var settings = sandbox.Settings();
        settings["deploymentSource"] = "workflow-runs";

        var (result, requests) = await sandbox.RunAsync(new ReportPeriod(Utc(10, 1), Utc(10, 15)), settings);

        Assert.Equal(2, result.Value("github.deployments"));
        Assert.Equal(1, result.Value("github.failed_deployments"));
        Assert.Equal(1.0 / 3, result.Value("github.change_failure_rate")!.Value, 9);
        Assert.Equal(3.25, result.Value("github.lead_time_hours.p50")!.Value, 9);
        Assert.Equal(3.85, result.Value("github.lead_time_hours.p90")!.Value, 9);
        Assert.Equal(1, result.Previous("github.deployments"));
        Assert.Null(result.Previous("github.lead_time_hours.p50"));
        Assert.All(result.Facts.OfType<DeploymentFact>(), e => Assert.Equal("Deploy to production", e.Environment));
        // The repository (default branch), the workflows, Deploy runs in two questions (the window's last
        // three days apart, so that a re-run asks the same), one page of older runs (looking for a base before
        // the first-ever run of the previous period; there is none), two compares.
        Assert.Equal(7, requests);
    }

    [Fact]
    public async Task The_branch_setting_replaces_the_default_branch_and_spares_its_request()
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync();
        var deploy = new GitHubWorkflowRecord(sandbox.Emulator.Data.NextId(), "Deploy", ".github/workflows/deploy.yml");
        sandbox.Repository.Workflows.Add(deploy);
        var c0 = sandbox.Commit(Utc(9, 20, 8));
        sandbox.Repository.Runs.Add(new GitHubRunRecord(sandbox.Emulator.Data.NextId(), deploy.Id, "release", c0, "completed", "success", Utc(10, 3), Utc(10, 3, 0, 5), 1));
        sandbox.Repository.Runs.Add(new GitHubRunRecord(sandbox.Emulator.Data.NextId(), deploy.Id, "main", c0, "completed", "success", Utc(10, 4), Utc(10, 4, 0, 5), 2));
        var settings = sandbox.Settings();
        settings["deploymentSource"] = "workflow-runs";
        settings["branch"] = "release";

        var (result, requests) = await sandbox.RunAsync(new ReportPeriod(Utc(10, 1), Utc(10, 15)), settings);

        Assert.Equal(1, result.Value("github.deployments"));
        Assert.Equal(Utc(10, 3, 0, 5), result.Facts.OfType<DeploymentFact>().Single().At);
        // Workflows, runs in the window (its last three days apart), older runs looking for a base; no repository request.
        Assert.Equal(4, requests);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task The_demo_organisation_reports_the_same_production_history_from_runs_as_from_deployments(string api)
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: api);
        var period = OkrHost.Testing.TestSources.Last30Days(OkrHost.Testing.SandboxFixture.Now);
        var runs = sandbox.Settings();
        runs["deploymentSource"] = "workflow-runs";

        var (fromDeployments, _) = await sandbox.RunAsync(period);
        var (fromRuns, _) = await sandbox.RunAsync(period, runs);

        // The Deploy workflow mirrors production: errors are failed runs, pending deployments cancelled runs.
        Assert.True(fromDeployments.Value("github.deployments") > 0);
        foreach (var metric in fromDeployments.Metrics)
        {
            Assert.Equal(metric.Value, fromRuns.Value(metric.Id));
            Assert.Equal(metric.Previous, fromRuns.Previous(metric.Id));
        }
    }
}

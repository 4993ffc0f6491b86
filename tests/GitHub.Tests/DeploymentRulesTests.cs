using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Sandbox.GitHub;
using static GitHub.Tests.GitHubTestKit;

namespace GitHub.Tests;

/// <summary>PRODUCT.md 6.1 on small histories laid out by hand; every expected number is worked out in the comments.</summary>
public sealed class DeploymentRulesTests
{
    // [10-01, 10-15): two weeks; the previous period is [09-17, 10-01).
    private static readonly ReportPeriod TwoWeeks = new(Utc(10, 1), Utc(10, 15));

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task Statuses_boundaries_and_environments_are_counted_exactly_as_the_spec_says(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var c0 = sandbox.Commit(Utc(9, 18, 8), "Initial import");
        _ = c0;
        var c1 = sandbox.Commit(Utc(9, 19, 10), "Add health check");
        // First-ever deployment, in the previous period: counted, but brings no lead time.
        sandbox.Deploy("production", c1, Utc(9, 20, 9, 55), ("queued", Utc(9, 20, 9, 55)), ("success", Utc(9, 20, 10)));
        sandbox.Commit(Utc(9, 30, 12), "Fix retry budget");                       // lead 12 h
        var c3 = sandbox.Commit(Utc(9, 30, 18), "Tune pool size\n\nbody");        // lead 6 h
        // Succeeds exactly at the period's start: counts in the period.
        sandbox.Deploy("production", c3, Utc(9, 30, 23, 55), ("queued", Utc(9, 30, 23, 55)), ("in_progress", Utc(9, 30, 23, 57)), ("success", Utc(10, 1)));
        var c4 = sandbox.Commit(Utc(9, 30, 19), "Waited for approval");           // lead 37 h
        // Created before the period, approved and successful inside it.
        sandbox.Deploy("production", c4, Utc(9, 30, 20), ("queued", Utc(9, 30, 20)), ("pending", Utc(9, 30, 20, 1)),
            ("in_progress", Utc(10, 2, 7, 55)), ("success", Utc(10, 2, 8)));
        sandbox.Commit(Utc(10, 4, 10), "Add CSV export");                         // lead 24 h
        var c6 = sandbox.Commit(Utc(10, 5, 6), "Fix export encoding");            // lead 4 h
        // Success, later superseded (inactive): still successful at 10-05 10:00.
        sandbox.Deploy("production", c6, Utc(10, 5, 9, 50), ("queued", Utc(10, 5, 9, 50)), ("in_progress", Utc(10, 5, 9, 52)),
            ("success", Utc(10, 5, 10)), ("inactive", Utc(10, 6, 12)));
        var c7 = sandbox.Commit(Utc(10, 7, 10), "Migrate audit table");           // lead 73 h (deployed by the retried one)
        sandbox.Deploy("production", c7, Utc(10, 7, 11, 50), ("queued", Utc(10, 7, 11, 50)), ("in_progress", Utc(10, 7, 11, 52)), ("failure", Utc(10, 7, 12)));
        sandbox.Deploy("production", c7, Utc(10, 8, 8, 58), ("queued", Utc(10, 8, 8, 58)), ("error", Utc(10, 8, 9)));
        sandbox.Deploy("production", c7, Utc(10, 9, 9), ("pending", Utc(10, 9, 9)));
        var c8 = sandbox.Commit(Utc(10, 10, 9), "Retry the migration");           // lead 2 h
        // An error, then a retry that succeeds: any success makes it successful.
        sandbox.Deploy("production", c8, Utc(10, 10, 10, 30), ("queued", Utc(10, 10, 10, 30)), ("in_progress", Utc(10, 10, 10, 31)),
            ("error", Utc(10, 10, 10, 35)), ("in_progress", Utc(10, 10, 10, 40)), ("success", Utc(10, 10, 11)));
        sandbox.Deploy("staging", c8, Utc(10, 11, 9), ("success", Utc(10, 11, 9, 5)));
        sandbox.Deploy("preview-pr-7", c8, Utc(10, 12, 9), ("success", Utc(10, 12, 9, 5)));
        var c9 = sandbox.Commit(Utc(10, 14, 20), "Late change");
        // Succeeds exactly at the period's end: not in the period.
        sandbox.Deploy("production", c9, Utc(10, 14, 23, 50), ("queued", Utc(10, 14, 23, 50)), ("success", Utc(10, 15)));

        var (result, _) = await sandbox.RunAsync(TwoWeeks);

        // Period: successes at 10-01 00:00, 10-02 08:00, 10-05 10:00, 10-10 11:00; failures at 10-07 and 10-08.
        Assert.Equal(4, result.Value("github.deployments"));
        Assert.Equal(2, result.Value("github.deployments_per_week"));
        Assert.Equal(4, result.Value("github.deployment_days"));
        Assert.Equal(2, result.Value("github.failed_deployments"));
        Assert.Equal(2.0 / 6, result.Value("github.change_failure_rate")!.Value, 9);
        // Lead times [2, 4, 6, 12, 24, 37, 73]: median 12; p90 rank 5.4 → 37 + 0.4 × 36 = 51.4.
        Assert.Equal(12, result.Value("github.lead_time_hours.p50")!.Value, 9);
        Assert.Equal(51.4, result.Value("github.lead_time_hours.p90")!.Value, 9);
        // Previous period: only the first-ever deployment.
        Assert.Equal(1, result.Previous("github.deployments"));
        Assert.Equal(0.5, result.Previous("github.deployments_per_week"));
        Assert.Equal(0, result.Previous("github.failed_deployments"));
        Assert.Equal(0, result.Previous("github.change_failure_rate"));
        Assert.Null(result.Previous("github.lead_time_hours.p50"));
        Assert.Null(result.Previous("github.lead_time_hours.p90"));

        var events = result.Facts.OfType<DeploymentFact>().ToList();
        Assert.Equal(7, events.Count);
        Assert.All(events, e => Assert.Equal("production", e.Environment));
        Assert.Contains(events, e => e.At == Utc(10, 1) && e.Outcome == DeploymentOutcome.Success);
        Assert.DoesNotContain(events, e => e.At == Utc(10, 15));

        var failed = result.Tables.Single(t => t.Id == "failed-deployments");
        Assert.Equal(2, failed.Rows.Count);
        Assert.Equal(["acme/api", "production", c7[..7], "2026-10-08 09:00 UTC"], failed.Rows[0].Take(4).Select(c => c.Text));
        Assert.StartsWith("http://127.0.0.1:", failed.Rows[0][4].Link);
        var slowest = result.Tables.Single(t => t.Id == "slowest-changes");
        Assert.Equal("73.0", slowest.Rows[0][0].Text);
        Assert.Equal($"{c7[..7]} Migrate audit table", slowest.Rows[0][1].Text);
        Assert.Equal("6.0", slowest.Rows.Single(r => r[1].Text.EndsWith("Tune pool size", StringComparison.Ordinal))[0].Text);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task Lead_time_pages_through_more_than_250_commits_and_deployments_page_by_100(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var c0 = sandbox.Commit(Utc(10, 1), "Initial import");
        sandbox.Deploy("production", c0, Utc(10, 2, 9), ("success", Utc(10, 2, 9, 10)));
        var start = Utc(10, 2, 12);
        var head = "";
        for (var i = 0; i < 330; i++)
        {
            head = sandbox.Commit(start + TimeSpan.FromHours(i), $"Change {i}");
        }

        sandbox.Deploy("production", head, Utc(10, 20, 11, 50), ("success", Utc(10, 20, 12)));
        for (var i = 0; i < 150; i++)
        {
            sandbox.Deploy($"preview-pr-{i}", head, Utc(10, 21) + TimeSpan.FromHours(i), ("success", Utc(10, 21, 0, 5) + TimeSpan.FromHours(i)));
        }

        var period = new ReportPeriod(Utc(10, 1), Utc(10, 29));
        var (result, requests) = await sandbox.RunAsync(period);

        // Deployed 432 h after the first commit: lead times 103..432 h, one per commit.
        Assert.Equal(2, result.Value("github.deployments"));
        Assert.Equal(267.5, result.Value("github.lead_time_hours.p50")!.Value, 9);   // rank 164.5
        Assert.Equal(399.1, result.Value("github.lead_time_hours.p90")!.Value, 9);   // rank 296.1
        var slowest = result.Tables.Single(t => t.Id == "slowest-changes");
        Assert.Equal(330, slowest.Rows.Count + slowest.OmittedRows);
        // REST: 2 deployment pages (152 deployments), 2 statuses, compare: unpaged 250 then pages 3 and 4 of 100.
        // GraphQL: the same 2 deployment pages with their statuses, 4 history pages of 100 back to c0.
        Assert.Equal(api == "rest" ? 7 : 6, requests);
        Assert.Equal(requests, sandbox.Server.Stats("github").Requests);
        Assert.Equal(7, GitHubMinimumRequests.ForRepository(sandbox.Repository, new SandboxPeriod(period.From, period.To), e => e.Contains("prod", StringComparison.OrdinalIgnoreCase)));
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task A_success_long_before_the_window_is_found_as_the_base_of_the_first_lead_time(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var c0 = sandbox.Commit(Utc(7, 30), "Initial import");
        sandbox.Deploy("production", c0, Utc(8, 1, 9), ("success", Utc(8, 1, 9, 5)));
        var c1 = sandbox.Commit(Utc(8, 19), "Broken change");
        sandbox.Deploy("production", c1, Utc(8, 20, 9), ("failure", Utc(8, 20, 9, 5)));
        var c2 = sandbox.Commit(Utc(9, 25, 10), "Fix");
        sandbox.Deploy("production", c2, Utc(10, 3, 9, 55), ("success", Utc(10, 3, 10)));

        var (result, requests) = await sandbox.RunAsync(TwoWeeks);

        // c0...c2 holds c1 (authored 08-19 00:00) and c2 (09-25 10:00): 1090 h and 192 h, median 641.
        Assert.Equal(1, result.Value("github.deployments"));
        Assert.Equal(641, result.Value("github.lead_time_hours.p50")!.Value, 9);
        Assert.Equal(0, result.Value("github.failed_deployments"));
        Assert.Equal(0, result.Previous("github.failed_deployments"));
        // REST: 1 page, statuses of all three (the failure is no base, so the walk goes on), 1 compare.
        // GraphQL: 1 page with the statuses, 1 history page from c2 back to c0.
        Assert.Equal(api == "rest" ? 5 : 2, requests);
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task Environment_pattern_selects_which_environments_are_production(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var c0 = sandbox.Commit(Utc(9, 1));
        sandbox.Deploy("staging", c0, Utc(10, 2), ("success", Utc(10, 2, 0, 5)));
        sandbox.Deploy("production", c0, Utc(10, 3), ("success", Utc(10, 3, 0, 5)));
        sandbox.Deploy("prod-eu", c0, Utc(10, 4), ("failure", Utc(10, 4, 0, 5)));

        var (production, _) = await sandbox.RunAsync(TwoWeeks);
        var (staging, _) = await sandbox.RunAsync(TwoWeeks, sandbox.Settings("^staging$"));

        Assert.Equal(1, production.Value("github.deployments"));
        Assert.Equal(1, production.Value("github.failed_deployments"));
        Assert.Equal(1, staging.Value("github.deployments"));
        Assert.Equal(0, staging.Value("github.failed_deployments"));
    }
}

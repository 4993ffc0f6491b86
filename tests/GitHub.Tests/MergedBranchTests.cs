using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using static GitHub.Tests.GitHubTestKit;

namespace GitHub.Tests;

/// <summary>
/// Lead time on non-linear histories (PRODUCT.md 15): a deployment's commits are those reachable from it and
/// not from the previous successful deployment's commit — REST compare's answer — whichever API reads them.
/// </summary>
public sealed class MergedBranchTests
{
    private static readonly ReportPeriod TwoWeeks = new(Utc(10, 1), Utc(10, 15));

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task A_branch_authored_before_a_deployment_and_merged_after_it_counts_with_the_next_deployment(string api)
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync(api);
        var history = MergedBranch(sandbox);

        var (result, _) = await sandbox.RunAsync(TwoWeeks);

        var second = result.Facts.OfType<ChangeFact>().Where(c => c.DeployedAt == Utc(10, 6, 10)).Select(c => c.Sha).Order().ToList();
        Assert.Equal(new[] { history.Feature1, history.Feature2, history.Merge, history.Last }.Order(), second);
        var first = result.Facts.OfType<ChangeFact>().Where(c => c.DeployedAt == Utc(10, 3, 10)).Select(c => c.Sha).ToList();
        Assert.Equal([history.Main], first);
        // Lead times: main 10-02 09:00 → 10-03 10:00 = 25 h; feature 10-02 08:00 and 08:30 → 10-06 10:00 = 98 h, 97.5 h;
        // merge 10-05 12:00 = 22 h; last 10-06 08:00 = 2 h. Sorted [2, 22, 25, 97.5, 98]: median 25.
        Assert.Equal(25, result.Value("github.lead_time_hours.p50")!.Value, 9);
    }

    [Fact]
    public async Task Walking_history_back_to_the_previous_deployments_commit_would_miss_the_merged_branch()
    {
        await using var sandbox = await HandBuiltSandbox.StartAsync();
        var history = MergedBranch(sandbox);
        var repository = sandbox.Repository;

        var walkedBack = repository.History(repository.IndexOf(history.Last))
            .Select(i => repository.Commits[i].Sha).TakeWhile(sha => sha != history.Main).ToList();
        var compared = repository.Compare(repository.IndexOf(history.Main), repository.IndexOf(history.Last)).Select(i => repository.Commits[i].Sha).ToList();

        Assert.Equal([history.Last, history.Merge], walkedBack);
        Assert.Equal(new[] { history.Feature1, history.Feature2, history.Merge, history.Last }.Order(), compared.Order());
    }

    [Fact]
    public async Task Over_GraphQL_merged_branches_rollbacks_and_side_branches_give_exactly_the_changes_REST_compare_gives()
    {
        await using var rest = await HandBuiltSandbox.StartAsync("rest");
        await using var graphQL = await HandBuiltSandbox.StartAsync("graphql");
        foreach (var sandbox in new[] { rest, graphQL })
        {
            var history = MergedBranch(sandbox);
            // Rolled back to the first deployment's commit (compare lists nothing), then forward again (compare
            // lists everything since it, the redeployed commits included).
            sandbox.Deploy("production", history.Main, Utc(10, 7, 9), ("success", Utc(10, 7, 9, 5)));
            var fix = sandbox.Commit(Utc(10, 8, 9), "Fix after the rollback");
            sandbox.Deploy("production", fix, Utc(10, 8, 12), ("success", Utc(10, 8, 12, 5)));
            // A hotfix deployed from a side branch forked before the rollback's commit: its own walk.
            var hotfix = sandbox.Commit(Utc(10, 9, 8), "Hotfix on a side branch", history.Main);
            sandbox.Deploy("production", hotfix, Utc(10, 9, 10), ("success", Utc(10, 9, 10, 5)));
        }

        var (byRest, _) = await rest.CollectAsync(TwoWeeks, Utc(10, 15), known: null);
        var (byGraphQL, requests) = await graphQL.CollectAsync(TwoWeeks, Utc(10, 15), known: null);

        Assert.Equal(Json(byRest, rest.Server.RootUrl), Json(byGraphQL, graphQL.Server.RootUrl));
        Assert.DoesNotContain(byRest.Facts.OfType<ChangeFact>(), c => c.DeployedAt == Utc(10, 7, 9, 5));
        // main...fix: the branch, the merge, last and the fix.
        Assert.Equal(5, byRest.Facts.OfType<ChangeFact>().Count(c => c.DeployedAt == Utc(10, 8, 12, 5)));
        Assert.Single(byRest.Facts.OfType<ChangeFact>(), c => c.DeployedAt == Utc(10, 9, 10, 5));
        // The deployments with their statuses; the hotfix's walk (its base, the fix, is not in it); the fix's
        // walk, which settles every other pair; and one compare fix...hotfix over REST, as neither walk holds
        // both ends.
        Assert.Equal(4, requests);
        Assert.Equal(requests, graphQL.Server.Stats("github").Requests);
    }

    /// <summary>
    /// <code>
    /// root ─ 95 commits ─ x ─ u (authored before x) ─ b ──┐     deployed: root (09-26), b (10-03), h (10-06)
    ///                      └─ y ─────────────────────── h ┘     compare b...h = h, y: x is behind b, through u
    /// </code>
    /// In <c>git log</c>'s order x comes before its child u, so the first page of the walk from h settles
    /// b...h wrongly (x and its ancestors look new) and the break only shows on the second page, which the
    /// walk still reads for root...b.
    /// </summary>
    [Fact]
    public async Task Dates_going_backwards_send_the_whole_walk_to_REST_compare_even_pairs_settled_before_the_break_shows()
    {
        await using var rest = await HandBuiltSandbox.StartAsync("rest");
        await using var graphQL = await HandBuiltSandbox.StartAsync("graphql");
        foreach (var sandbox in new[] { rest, graphQL })
        {
            var root = sandbox.Commit(Utc(9, 26), "Initial import");
            for (var i = 1; i <= 95; i++)
            {
                sandbox.Commit(Utc(9, 26).AddHours(i), $"Step {i}");
            }

            var x = sandbox.Commit(Utc(10, 1, 9), "X");
            sandbox.Commit(Utc(9, 25, 12), "Authored before its parent", x);
            var b = sandbox.Commit(Utc(10, 2, 9), "B");
            var y = sandbox.Commit(Utc(10, 4, 9), "Y", x);
            var h = sandbox.Commit(Utc(10, 5, 9), "Merge b", y, b);
            sandbox.Deploy("production", root, Utc(9, 26, 2), ("success", Utc(9, 26, 2, 5)));
            sandbox.Deploy("production", b, Utc(10, 3, 10), ("success", Utc(10, 3, 10, 5)));
            sandbox.Deploy("production", h, Utc(10, 6, 10), ("success", Utc(10, 6, 10, 5)));
        }

        var (byRest, _) = await rest.CollectAsync(TwoWeeks, Utc(10, 15), known: null);
        var (byGraphQL, requests) = await graphQL.CollectAsync(TwoWeeks, Utc(10, 15), known: null);

        Assert.Equal(["Merge b", "Y"], byRest.Facts.OfType<ChangeFact>().Where(c => c.DeployedAt == Utc(10, 6, 10, 5)).Select(c => c.Subject).Order(StringComparer.Ordinal));
        Assert.Equal(Json(byRest, rest.Server.RootUrl), Json(byGraphQL, graphQL.Server.RootUrl));
        // The deployments, two history pages, then both pairs compared over REST.
        Assert.Equal(5, requests);
    }

    /// <summary>
    /// <code>
    /// c0 ─ main ──────────── merge ─ last     deployed: c0 (09-20), main (10-03), last (10-06)
    ///   └─ feature1 ─ feature2 ┘              the branch is authored before main's deployment, merged after it
    /// </code>
    /// </summary>
    private static (string Main, string Feature1, string Feature2, string Merge, string Last) MergedBranch(HandBuiltSandbox sandbox)
    {
        var c0 = sandbox.Commit(Utc(9, 19, 9), "Initial import");
        sandbox.Deploy("production", c0, Utc(9, 20, 9), ("success", Utc(9, 20, 10)));
        var feature1 = sandbox.Commit(Utc(10, 2, 8), "Feature: first step", c0);
        var feature2 = sandbox.Commit(Utc(10, 2, 8, 30), "Feature: second step");
        var main = sandbox.Commit(Utc(10, 2, 9), "Fix on main", c0);
        sandbox.Deploy("production", main, Utc(10, 3, 9, 55), ("success", Utc(10, 3, 10)));
        var merge = sandbox.Commit(Utc(10, 5, 12), "Merge branch 'feature'", main, feature2);
        var last = sandbox.Commit(Utc(10, 6, 8), "Follow-up");
        sandbox.Deploy("production", last, Utc(10, 6, 9, 55), ("success", Utc(10, 6, 10)));
        return (main, feature1, feature2, merge, last);
    }
}

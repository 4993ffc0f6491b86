using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace GitHub.Tests;

/// <summary>PRODUCT.md 15: over GraphQL the same facts as over REST, for a small share of the requests.</summary>
public sealed class GraphQLTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SandboxProfile.Demo)]
    [InlineData(SandboxProfile.Large)]
    public async Task GraphQL_collects_the_facts_REST_collects_with_a_small_share_of_the_requests(SandboxProfile profile)
    {
        await using var rest = await DemoSandbox.StartAsync(profile, api: "rest");
        await using var graphQL = await DemoSandbox.StartAsync(profile, api: "graphql");
        var window = IncrementalCollection.Windows(SandboxFixture.Now).FetchWindow;

        var (byRest, restRequests) = await GitHubTestKit.CollectAsync(rest.Server.BaseUrl("github"), rest.Settings(), rest.Emulator.Token, window, SandboxFixture.Now, known: null);
        var (byGraphQL, graphQLRequests) = await GitHubTestKit.CollectAsync(graphQL.Server.BaseUrl("github"), graphQL.Settings(), graphQL.Emulator.Token, window, SandboxFixture.Now, known: null);

        output.WriteLine($"{profile}: REST {restRequests} requests, GraphQL {graphQLRequests} requests and {graphQL.Emulator.GraphQLPointsSpent} points");
        Assert.Equal(GitHubTestKit.Json(byRest, rest.Server.RootUrl), GitHubTestKit.Json(byGraphQL, graphQL.Server.RootUrl));
        Assert.Contains(byGraphQL.Facts, f => f is ChangeFact);
        // The large organisation merges feature branches: their commits, forked before the deployment
        // before theirs, are in the facts (each branch's first commit names its parent).
        var branchStarts = graphQL.Emulator.Data.Repositories.SelectMany(r => r.Commits.Where(c => c.Parents is { Count: 1 }).Select(c => c.Sha)).ToHashSet();
        var mergedChanges = byGraphQL.Facts.OfType<ChangeFact>().Count(c => branchStarts.Contains(c.Sha));
        output.WriteLine($"{profile}: {branchStarts.Count} merged branches, {mergedChanges} of them in the fetch window's changes");
        if (profile == SandboxProfile.Large)
        {
            Assert.True(mergedChanges > 10, $"{mergedChanges} merged branches in the changes");
        }
        else
        {
            Assert.Equal(0, mergedChanges);
        }

        Assert.Equal(graphQLRequests, graphQL.Server.Stats("github").Requests);
        Assert.InRange(graphQLRequests, 1, restRequests / 10);
    }
}

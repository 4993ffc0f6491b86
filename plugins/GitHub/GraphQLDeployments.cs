using System.Text.RegularExpressions;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Deployments over GraphQL: each round asks for the next page of every repository still walking, in as
/// few queries as <see cref="GitHubQueries.RepositoriesPerQuery"/> allows, statuses included.
/// </summary>
internal static class GraphQLDeployments
{
    public static async Task<Dictionary<string, List<ResolvedDeployment>>> CollectAsync(
        GitHubGraphQL graphQL, GitHubApi rest, IReadOnlyList<string> repositories, CollectionWindow window, Regex environments, KnownHistory known,
        Action<int> walked, CancellationToken cancellationToken)
    {
        var walks = repositories.ToDictionary(r => r, r => new DeploymentWalk(r, window, environments, known), StringComparer.Ordinal);
        var pending = repositories.Select(r => (Repository: r, After: (string?)null)).ToList();
        while (pending.Count > 0)
        {
            var pages = await graphQL.RepositoriesAsync<(string Repository, string? After), RepositoryDeployments>(
                GitHubQueries.DeploymentsOperation, GitHubQueries.Deployments, pending, item => item.Repository,
                (item, _) => [new("after", item.After)],
                pageSize => [new("first", pageSize), new("statuses", GitHubQueries.StatusesPerDeployment)],
                cancellationToken);
            var next = new List<(string, string?)>();
            for (var i = 0; i < pending.Count; i++)
            {
                var repository = pending[i].Repository;
                var page = pages[i]?.Deployments ?? throw new Contracts.SourceException($"GitHub GraphQL Deployments query: no deployments of {repository} in the answer");
                var statuses = page.Nodes.ToDictionary(n => n.DatabaseId, n => n.Statuses);
                var listed = page.Nodes.Select(n => new ListedDeployment(n.DatabaseId, n.Environment ?? "", n.CommitOid, n.CreatedAt)).ToList();
                if (await walks[repository].TakeAsync(listed, page.PageInfo.HasNextPage, d => ResolveAsync(rest, repository, d, statuses[d.Id], cancellationToken)))
                {
                    next.Add((repository, page.PageInfo.EndCursor));
                }
                else
                {
                    walked(1);
                }
            }

            pending = next;
        }

        return walks.ToDictionary(pair => pair.Key, pair => pair.Value.Resolved, StringComparer.Ordinal);
    }

    /// <summary>From the statuses on the page (newest first), or over REST for the rare deployment with more of them.</summary>
    private static Task<ResolvedDeployment?> ResolveAsync(
        GitHubApi rest, string repository, ListedDeployment deployment, Page<StatusNode>? statuses, CancellationToken cancellationToken) =>
        statuses is null || statuses.PageInfo.HasNextPage
            ? DeploymentHistory.ResolveAsync(rest, repository, deployment, cancellationToken)
            : Task.FromResult(DeploymentWalk.Resolve(repository, deployment,
                [.. statuses.Nodes.Select((s, i) => new StatusSeen(s.State.ToLowerInvariant(), s.CreatedAt, statuses.Nodes.Count - i, s.LogUrl))]));

    internal sealed record RepositoryDeployments(Page<DeploymentNode> Deployments);

    internal sealed record DeploymentNode(long DatabaseId, DateTimeOffset CreatedAt, string? Environment, string CommitOid, Page<StatusNode>? Statuses);

    internal sealed record StatusNode(string State, DateTimeOffset CreatedAt, string? LogUrl);
}

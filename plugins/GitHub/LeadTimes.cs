using Octokit;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Lead time per commit: for each successful deployment in the window, the commits between the
/// previous successful deployment of the same repository and environment and this one (compare
/// <c>previous.sha...this.sha</c>), each measured from its author date to the deployment.
/// </summary>
internal static class LeadTimes
{
    public static async Task<List<ChangeFact>> CollectAsync(
        GitHubApi api, string repository, IReadOnlyList<ResolvedDeployment> deployments, CollectionWindow window, KnownHistory known, CancellationToken cancellationToken)
    {
        // The first-ever deployment has no predecessor and contributes nothing; a redeploy of the same sha
        // brings no commits and needs no request, and neither does a pair the stored collection compared.
        var pairs = Successions(deployments)
            .Where(pair => window.Contains(pair.Deployment.At) && pair.Previous.Sha != pair.Deployment.Sha)
            .ToList();
        var changes = await Task.WhenAll(pairs.Select(pair => known.Changes(pair.Previous, pair.Deployment) is { } stored
            ? Task.FromResult<IEnumerable<ChangeFact>>(stored)
            : ChangesAsync(api, repository, pair.Previous, pair.Deployment, cancellationToken)));
        return changes.SelectMany(c => c).ToList();
    }

    /// <summary>Each success after the first per repository and environment, with the success before it (by time, then id).</summary>
    public static IEnumerable<(ResolvedDeployment Previous, ResolvedDeployment Deployment)> Successions(IEnumerable<ResolvedDeployment> deployments) =>
        deployments
            .Where(d => d.Outcome == DeploymentOutcome.Success)
            .GroupBy(d => (d.Repository, d.Environment))
            .SelectMany(environment =>
            {
                var ordered = environment.OrderBy(d => d.At).ThenBy(d => d.Id, StringComparer.Ordinal).ToList();
                return ordered.Skip(1).Select((deployment, i) => (Previous: ordered[i], Deployment: deployment));
            });

    private static async Task<IEnumerable<ChangeFact>> ChangesAsync(
        GitHubApi api, string repository, ResolvedDeployment previous, ResolvedDeployment deployment, CancellationToken cancellationToken)
    {
        var (owner, name) = DeploymentHistory.Split(repository);
        var endpoint = $"GET /repos/{repository}/compare/{Short(previous.Sha)}...{Short(deployment.Sha)}";
        var notFound = $"commit {Short(previous.Sha)} or {Short(deployment.Sha)} was not found in {repository} (HTTP 404)";

        // Unpaged, compare lists up to 250 commits in one request; only a longer gap is paged, from the
        // first page of 100 that holds a commit not yet seen.
        var first = await api.CallAsync(
            () => api.Client.Repository.Commit.Compare(owner, name, previous.Sha, deployment.Sha), endpoint, repository, cancellationToken, notFound);
        var commits = (first.Commits ?? []).ToList();
        if (first.TotalCommits > commits.Count)
        {
            var startPage = commits.Count / GitHubApi.PageSize + 1;
            var alreadySeen = commits.Count - (startPage - 1) * GitHubApi.PageSize;
            var rest = await api.CallAsync(
                () => api.Client.Repository.Commit.Compare(owner, name, previous.Sha, deployment.Sha,
                    new ApiOptions { PageSize = GitHubApi.PageSize, StartPage = startPage }),
                endpoint, repository, cancellationToken, notFound);
            commits.AddRange((rest.Commits ?? []).Skip(alreadySeen));
        }

        return commits.Select(commit => new ChangeFact(
            $"{deployment.Id}/{commit.Sha}",
            repository,
            commit.Sha,
            commit.Commit?.Author?.Date ?? throw new SourceException($"GitHub {endpoint}: commit {Short(commit.Sha)} has no author date"),
            deployment.At)
        {
            Subject = (commit.Commit?.Message ?? "").Split('\n')[0].Trim(),
            Url = commit.HtmlUrl,
            UpdatedAt = deployment.At,
        });
    }

    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}

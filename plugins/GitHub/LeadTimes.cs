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
        var (stored, pairs) = Needed(deployments, window, known);
        var compared = await Task.WhenAll(pairs.Select(pair => CompareAsync(api, repository, pair.Previous, pair.Deployment, cancellationToken)));
        return [.. stored, .. compared.SelectMany(c => c)];
    }

    /// <summary>
    /// The changes lead times need: of the successions in the window, those the stored collection compared
    /// (their stored changes) and those still to read. The first-ever deployment has no predecessor and
    /// contributes nothing; a redeploy of the same sha brings no commits.
    /// </summary>
    public static (List<ChangeFact> Stored, List<(ResolvedDeployment Previous, ResolvedDeployment Deployment)> ToRead) Needed(
        IEnumerable<ResolvedDeployment> deployments, CollectionWindow window, KnownHistory known)
    {
        var stored = new List<ChangeFact>();
        var toRead = new List<(ResolvedDeployment, ResolvedDeployment)>();
        foreach (var pair in Successions(deployments).Where(pair => window.Contains(pair.Deployment.At) && pair.Previous.Sha != pair.Deployment.Sha))
        {
            if (known.Changes(pair.Previous, pair.Deployment) is { } changes)
            {
                stored.AddRange(changes);
            }
            else
            {
                toRead.Add(pair);
            }
        }

        return (stored, toRead);
    }

    /// <summary>A commit deployed by <paramref name="deployment"/>, measured from its author date.</summary>
    public static ChangeFact Change(ResolvedDeployment deployment, string sha, DateTimeOffset authoredAt, string message, string? url) =>
        new($"{deployment.Id}/{sha}", deployment.Repository, sha, authoredAt, deployment.At)
        {
            Subject = message.Split('\n')[0].Trim(),
            Url = url,
            UpdatedAt = deployment.At,
        };

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

    /// <summary>The commits of compare <c>previous.sha...deployment.sha</c> over REST.</summary>
    public static async Task<IEnumerable<ChangeFact>> CompareAsync(
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

        return commits.Select(commit => Change(
            deployment,
            commit.Sha,
            commit.Commit?.Author?.Date ?? throw new SourceException($"GitHub {endpoint}: commit {Short(commit.Sha)} has no author date"),
            commit.Commit?.Message ?? "",
            commit.HtmlUrl));
    }

    public static string Short(string sha) => sha.Length > 7 ? sha[..7] : sha;
}

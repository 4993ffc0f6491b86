using System.Globalization;
using System.Text.RegularExpressions;
using Octokit;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Production deployments of one repository from the Deployments API, read as cheaply as the metrics
/// allow: pages of 100 newest first, statuses only of matching deployments that can have an outcome in
/// the window and whose outcome is not already known, and beyond that only until each environment has its
/// lead-time base.
/// </summary>
internal static class DeploymentHistory
{
    public static async Task<List<ResolvedDeployment>> CollectAsync(
        GitHubApi api, string repository, CollectionWindow window, Regex environments, KnownHistory known, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var endpoint = $"GET /repos/{repository}/deployments";
        var resolved = new Dictionary<string, ResolvedDeployment>(StringComparer.Ordinal);
        var bases = new BaseTracker(window);
        var listed = new HashSet<string>(StringComparer.Ordinal);
        var storedAdded = false;
        Uri? next = ApiUrls.Deployments(owner, name);
        IDictionary<string, string>? parameters = new Dictionary<string, string> { ["per_page"] = GitHubApi.PageSize.ToString(CultureInfo.InvariantCulture) };
        while (next is not null)
        {
            var (page, following) = await api.PageAsync<Deployment>(next, parameters, endpoint, repository, cancellationToken);
            (next, parameters) = (following, null);

            // A deployment created at or after the end cannot have an outcome inside the window.
            var matching = page.Where(d => d.CreatedAt < window.To && environments.IsMatch(d.Environment ?? "")).ToList();
            var recent = matching.Where(d => d.CreatedAt >= known.ReadFrom).ToList();
            recent.ForEach(d => listed.Add(Id(repository, d)));
            var found = await Task.WhenAll(recent.Select(d => ReuseOrResolveAsync(api, repository, d, known, cancellationToken)));
            Add(found);

            // Below ReadFrom the stored facts stand in for the deployments down to the cushion.
            if (!storedAdded && (page.Count == 0 || page[^1].CreatedAt < known.ReadFrom))
            {
                Add(known.Unlisted(repository, null, listed));
                storedAdded = true;
            }

            // Older ones only matter as the last success before the window; newest first, the first
            // success found per environment is it.
            foreach (var older in matching.Where(d => d.CreatedAt < window.Cushion))
            {
                if (bases.NeedsBase(older.Environment) && !resolved.ContainsKey(Id(repository, older)))
                {
                    Add([await ReuseOrResolveAsync(api, repository, older, known, cancellationToken)]);
                }
            }

            if (page.Count == 0 || (page[^1].CreatedAt < known.ReadFrom && bases.Complete))
            {
                break;
            }
        }

        return [.. resolved.Values];

        void Add(IEnumerable<ResolvedDeployment?> deployments)
        {
            foreach (var deployment in deployments.OfType<ResolvedDeployment>())
            {
                resolved[deployment.Id] = deployment;
                bases.Add(deployment);
            }
        }
    }

    private static Task<ResolvedDeployment?> ReuseOrResolveAsync(
        GitHubApi api, string repository, Deployment deployment, KnownHistory known, CancellationToken cancellationToken) =>
        known.TryReuse(Id(repository, deployment), deployment.CreatedAt, out var stored)
            ? Task.FromResult(stored)
            : ResolveAsync(api, repository, deployment, cancellationToken);

    private static string Id(string repository, Deployment deployment) => $"{repository}#{deployment.Id}";

    /// <summary>Successful at the earliest success; failed at the latest status when it is failure or error; else null.</summary>
    private static async Task<ResolvedDeployment?> ResolveAsync(GitHubApi api, string repository, Deployment deployment, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var statuses = await api.AllPagesAsync<DeploymentStatus>(
            ApiUrls.DeploymentStatuses(owner, name, deployment.Id), $"GET /repos/{repository}/deployments/{deployment.Id}/statuses", repository, cancellationToken);
        var success = statuses.Where(s => State(s) == "success").MinBy(s => s.CreatedAt);
        if (success is not null)
        {
            return new ResolvedDeployment(Id(repository, deployment), repository, deployment.Environment, deployment.Sha, success.CreatedAt,
                DeploymentOutcome.Success, Link(success));
        }

        var latest = statuses.MaxBy(s => (s.CreatedAt, s.Id));
        return latest is not null && State(latest) is "failure" or "error"
            ? new ResolvedDeployment(Id(repository, deployment), repository, deployment.Environment, deployment.Sha, latest.CreatedAt,
                DeploymentOutcome.Failure, Link(latest))
            : null;
    }

    private static string State(DeploymentStatus status) => status.State.StringValue.ToLowerInvariant();

    private static string? Link(DeploymentStatus status) =>
        !string.IsNullOrEmpty(status.LogUrl) ? status.LogUrl : !string.IsNullOrEmpty(status.TargetUrl) ? status.TargetUrl : null;

    public static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (repository[..slash], repository[(slash + 1)..]);
    }
}

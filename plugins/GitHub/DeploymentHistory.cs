using System.Globalization;
using System.Text.RegularExpressions;
using Octokit;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>A deployment as a list shows it.</summary>
internal sealed record ListedDeployment(long Id, string Environment, string Sha, DateTimeOffset CreatedAt);

/// <summary>One status of a deployment; <paramref name="Order"/> orders statuses written in the same second (later is larger).</summary>
internal sealed record StatusSeen(string State, DateTimeOffset CreatedAt, long Order, string? Link);

/// <summary>
/// Production deployments of one repository, read as cheaply as the metrics allow: pages of 100 newest
/// first, statuses only of matching deployments that can have an outcome in the window and whose outcome
/// is not already known, and beyond that only until each environment has its lead-time base. The same
/// walk serves REST (a statuses request per deployment) and GraphQL (statuses come with the page).
/// </summary>
internal sealed class DeploymentWalk(string repository, CollectionWindow window, Regex environments, KnownHistory known)
{
    private readonly Dictionary<string, ResolvedDeployment> _resolved = new(StringComparer.Ordinal);
    private readonly BaseTracker _bases = new(window);
    private readonly HashSet<string> _listed = new(StringComparer.Ordinal);
    private bool _storedAdded;

    public List<ResolvedDeployment> Resolved => [.. _resolved.Values];

    /// <summary>
    /// Takes the next page (newest first); <paramref name="resolve"/> reads a deployment's outcome.
    /// <c>true</c> when the page after it (<paramref name="more"/>: there is one) is needed.
    /// </summary>
    public async Task<bool> TakeAsync(IReadOnlyList<ListedDeployment> page, bool more, Func<ListedDeployment, Task<ResolvedDeployment?>> resolve)
    {
        // A deployment created at or after the end cannot have an outcome inside the window.
        var matching = page.Where(d => d.CreatedAt < window.To && environments.IsMatch(d.Environment)).ToList();
        var recent = matching.Where(d => d.CreatedAt >= known.ReadFrom).ToList();
        recent.ForEach(d => _listed.Add(Id(d)));
        Add(await Task.WhenAll(recent.Select(d => ReuseOrResolveAsync(d, resolve))));

        // Below ReadFrom the stored facts stand in for the deployments down to the cushion.
        if (!_storedAdded && (page.Count == 0 || page[^1].CreatedAt < known.ReadFrom))
        {
            Add(known.Unlisted(repository, null, _listed));
            _storedAdded = true;
        }

        // Older ones only matter as the last success before the window; newest first, the first success
        // found per environment is it.
        foreach (var older in matching.Where(d => d.CreatedAt < window.Cushion))
        {
            if (_bases.NeedsBase(older.Environment) && !_resolved.ContainsKey(Id(older)))
            {
                Add([await ReuseOrResolveAsync(older, resolve)]);
            }
        }

        return more && page.Count > 0 && !(page[^1].CreatedAt < known.ReadFrom && _bases.Complete);
    }

    /// <summary>Successful at the earliest success; failed at the latest status when it is failure or error; else null.</summary>
    public static ResolvedDeployment? Resolve(string repository, ListedDeployment deployment, IReadOnlyList<StatusSeen> statuses)
    {
        var success = statuses.Where(s => s.State == "success").MinBy(s => s.CreatedAt);
        if (success is not null)
        {
            return new ResolvedDeployment(Id(repository, deployment), repository, deployment.Environment, deployment.Sha, success.CreatedAt,
                DeploymentOutcome.Success, success.Link);
        }

        var latest = statuses.MaxBy(s => (s.CreatedAt, s.Order));
        return latest is not null && latest.State is "failure" or "error"
            ? new ResolvedDeployment(Id(repository, deployment), repository, deployment.Environment, deployment.Sha, latest.CreatedAt,
                DeploymentOutcome.Failure, latest.Link)
            : null;
    }

    private Task<ResolvedDeployment?> ReuseOrResolveAsync(ListedDeployment deployment, Func<ListedDeployment, Task<ResolvedDeployment?>> resolve) =>
        known.TryReuse(Id(deployment), deployment.CreatedAt, out var stored) ? Task.FromResult(stored) : resolve(deployment);

    private string Id(ListedDeployment deployment) => Id(repository, deployment);

    private static string Id(string repository, ListedDeployment deployment) => $"{repository}#{deployment.Id}";

    private void Add(IEnumerable<ResolvedDeployment?> deployments)
    {
        foreach (var deployment in deployments.OfType<ResolvedDeployment>())
        {
            _resolved[deployment.Id] = deployment;
            _bases.Add(deployment);
        }
    }
}

/// <summary>Deployments over REST: the Deployments API's pages and a statuses request per deployment looked at.</summary>
internal static class DeploymentHistory
{
    public static async Task<List<ResolvedDeployment>> CollectAsync(
        GitHubApi api, string repository, CollectionWindow window, Regex environments, KnownHistory known, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var endpoint = $"GET /repos/{repository}/deployments";
        var walk = new DeploymentWalk(repository, window, environments, known);
        Uri? next = ApiUrls.Deployments(owner, name);
        IDictionary<string, string>? parameters = new Dictionary<string, string> { ["per_page"] = GitHubApi.PageSize.ToString(CultureInfo.InvariantCulture) };
        while (next is not null)
        {
            var (page, following) = await api.PageAsync<Deployment>(next, parameters, endpoint, repository, cancellationToken);
            (next, parameters) = (following, null);
            var listed = page.Select(d => new ListedDeployment(d.Id, d.Environment ?? "", d.Sha, d.CreatedAt)).ToList();
            if (!await walk.TakeAsync(listed, following is not null, d => ResolveAsync(api, repository, d, cancellationToken)))
            {
                break;
            }
        }

        return walk.Resolved;
    }

    /// <summary>A deployment's outcome from all its statuses.</summary>
    public static async Task<ResolvedDeployment?> ResolveAsync(GitHubApi api, string repository, ListedDeployment deployment, CancellationToken cancellationToken)
    {
        var (owner, name) = Split(repository);
        var statuses = await api.AllPagesAsync<DeploymentStatus>(
            ApiUrls.DeploymentStatuses(owner, name, deployment.Id), $"GET /repos/{repository}/deployments/{deployment.Id}/statuses", repository, cancellationToken);
        return DeploymentWalk.Resolve(repository, deployment,
            [.. statuses.Select(s => new StatusSeen(s.State.StringValue.ToLowerInvariant(), s.CreatedAt, s.Id, Link(s)))]);
    }

    private static string? Link(DeploymentStatus status) =>
        !string.IsNullOrEmpty(status.LogUrl) ? status.LogUrl : !string.IsNullOrEmpty(status.TargetUrl) ? status.TargetUrl : null;

    public static (string Owner, string Name) Split(string repository)
    {
        var slash = repository.IndexOf('/', StringComparison.Ordinal);
        return (repository[..slash], repository[(slash + 1)..]);
    }
}

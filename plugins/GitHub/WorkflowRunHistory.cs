using System.Globalization;
using System.Text.RegularExpressions;
using Octokit;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Deployments as completed runs of deploy workflows on one branch (<c>deploymentSource: workflow-runs</c>):
/// conclusion success is successful, failure is failed, both at the run's <c>updated_at</c>; the
/// workflow's name plays the part of the environment.
/// </summary>
internal static class WorkflowRunHistory
{
    /// <summary>GitHub answers at most this many runs to a filtered query; a wider window is split.</summary>
    private const int FilteredResultsCap = 1000;

    public static async Task<List<ResolvedDeployment>> CollectAsync(
        GitHubApi api, string repository, string? branch, CollectionWindow window, Regex workflowPattern, KnownHistory known, CancellationToken cancellationToken)
    {
        var (owner, name) = DeploymentHistory.Split(repository);
        branch ??= (await api.CallAsync(() => api.Client.Repository.Get(owner, name), $"GET /repos/{repository}", repository, cancellationToken)).DefaultBranch;
        var workflows = await api.CallAsync(
            () => api.Client.Actions.Workflows.List(owner, name, new ApiOptions { PageSize = GitHubApi.PageSize }),
            $"GET /repos/{repository}/actions/workflows", repository, cancellationToken);
        var resolved = new List<ResolvedDeployment>();
        foreach (var workflow in workflows.Workflows.Where(w => workflowPattern.IsMatch(w.Name ?? "")))
        {
            var runs = new Runs(api, repository, workflow, branch, cancellationToken);
            // The runs of the window's last lookback may still change, so a re-run of the same window asks for
            // them again: asked apart, that is the question the stored collection asked too, and costs a 304.
            var open = window.To - CollectionWindow.StatusLookback > known.ReadFrom ? window.To - CollectionWindow.StatusLookback : known.ReadFrom;
            List<WorkflowRun> listed = [.. await runs.BetweenAsync(known.ReadFrom, open), .. await runs.BetweenAsync(open, window.To)];
            var recent = listed.Select(run => Resolve(repository, workflow, run)).OfType<ResolvedDeployment>()
                .Concat(known.Unlisted(repository, workflow.Name, listed.Select(run => Id(repository, run)).ToHashSet(StringComparer.Ordinal)))
                .ToList();
            resolved.AddRange(recent);
            var bases = new BaseTracker(window);
            recent.ForEach(bases.Add);
            if (bases.NeedsBase(workflow.Name!))
            {
                resolved.AddRange((await runs.LastSuccessBeforeAsync(window.Cushion)).Select(run => Resolve(repository, workflow, run)).OfType<ResolvedDeployment>()
                    .Where(run => !recent.Exists(r => r.Id == run.Id)));
            }
        }

        return resolved;
    }

    private static ResolvedDeployment? Resolve(string repository, Workflow workflow, WorkflowRun run)
    {
        var outcome = run.Conclusion?.StringValue.ToLowerInvariant() switch
        {
            "success" => DeploymentOutcome.Success,
            "failure" => (DeploymentOutcome?)DeploymentOutcome.Failure,
            _ => null,
        };
        return outcome is { } known
            ? new ResolvedDeployment(Id(repository, run), repository, workflow.Name, run.HeadSha, run.UpdatedAt, known, run.HtmlUrl)
            : null;
    }

    private static string Id(string repository, WorkflowRun run) => $"{repository}/runs/{run.Id}";

    private sealed class Runs(GitHubApi api, string repository, Workflow workflow, string branch, CancellationToken cancellationToken)
    {
        private readonly (string Owner, string Name) _repository = DeploymentHistory.Split(repository);
        private readonly string _endpoint = $"GET /repos/{repository}/actions/workflows/{workflow.Id}/runs";

        /// <summary>Runs created in [from, to), every page; windows over GitHub's 1,000 cap are halved.</summary>
        public async Task<List<WorkflowRun>> BetweenAsync(DateTimeOffset from, DateTimeOffset to)
        {
            if (from >= to)
            {
                return [];
            }

            var created = $"{Iso(from)}..{Iso(to - TimeSpan.FromSeconds(1))}";
            var first = await PageAsync(created, 1);
            if (first.TotalCount > FilteredResultsCap && to - from > TimeSpan.FromMinutes(2))
            {
                var middle = from + (to - from) / 2;
                var newer = await BetweenAsync(middle, to);
                newer.AddRange(await BetweenAsync(from, middle));
                return newer;
            }

            var runs = first.WorkflowRuns.ToList();
            var pages = (Math.Min(first.TotalCount, FilteredResultsCap) + GitHubApi.PageSize - 1) / GitHubApi.PageSize;
            for (var page = 2; page <= pages; page++)
            {
                runs.AddRange((await PageAsync(created, page)).WorkflowRuns);
            }

            return runs;
        }

        /// <summary>Runs created before <paramref name="before"/>, newest first, up to the first success.</summary>
        public async Task<List<WorkflowRun>> LastSuccessBeforeAsync(DateTimeOffset before)
        {
            var created = $"<{Iso(before)}";
            for (var page = 1; ; page++)
            {
                var response = await PageAsync(created, page);
                var success = response.WorkflowRuns.FirstOrDefault(r => r.Conclusion?.StringValue.Equals("success", StringComparison.OrdinalIgnoreCase) == true);
                if (success is not null)
                {
                    return [success];
                }

                if (page * GitHubApi.PageSize >= Math.Min(response.TotalCount, FilteredResultsCap))
                {
                    return [];
                }
            }
        }

        // Runs in any state: one re-run since the stored collection is in progress, and its stored outcome must go.
        private Task<WorkflowRunsResponse> PageAsync(string created, int page) => api.CallAsync(
            () => api.Client.Actions.Workflows.Runs.ListByWorkflow(_repository.Owner, _repository.Name, workflow.Id,
                new WorkflowRunsRequest { Branch = branch, Created = created },
                new ApiOptions { PageSize = GitHubApi.PageSize, PageCount = 1, StartPage = page }),
            _endpoint, repository, cancellationToken);

        private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
    }
}

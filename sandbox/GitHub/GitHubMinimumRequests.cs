namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// The fewest requests a client needs for every <c>github.*</c> metric of every window a report computes
/// in <c>deploymentSource: deployments</c> mode, following GitHub's paging. The windows are the period, the
/// previous period and <see cref="SandboxPeriod.TrendWeeks"/> weeks ending at the period's end; the fetch
/// window covering them starts at <c>from</c> (<see cref="SandboxPeriod.FetchFrom"/>). The rule, per repository:
/// <list type="number">
/// <item>Deployment pages of 100, newest first, down to the first page that ends before
/// <c>from − StatusLookback</c> — and further only while an environment with a successful
/// deployment in the fetch window still lacks the successful deployment before it (its lead-time base).</item>
/// <item>Statuses (all pages of 100) of the matching deployments created in
/// [<c>from − StatusLookback</c>, <c>period.To</c>) — a deployment can only succeed or fail after
/// it was created, and is assumed to finish within <c>StatusLookback</c> — and of the older ones, newest
/// first, only until each such environment has found its base.</item>
/// <item>One compare per successful deployment in the fetch window whose predecessor deployed another
/// sha: one unpaged request (GitHub lists up to 250 commits), then pages of 100 from page 3 for longer
/// gaps, i.e. <c>ceil(n / 100) − 1</c> requests for n &gt; 250 commits.</item>
/// </list>
/// The repository itself is never needed in this mode (no default branch).
/// </summary>
public static class GitHubMinimumRequests
{
    /// <summary>How long after its creation a deployment is assumed to reach its final state.</summary>
    public static readonly TimeSpan StatusLookback = TimeSpan.FromDays(3);

    /// <summary>Items per page a client asks for.</summary>
    public const int PageSize = 100;

    /// <summary>Commits compare lists without paging.</summary>
    public const int UnpagedCompareCommits = 250;

    /// <summary>The minimum for one repository (see the class remarks).</summary>
    public static long ForRepository(GitHubRepositoryRecord repository, SandboxPeriod period, Func<string, bool> matches)
    {
        ArgumentNullException.ThrowIfNull(repository);
        ArgumentNullException.ThrowIfNull(matches);
        var from = period.FetchFrom;
        var cushion = from - StatusLookback;
        var ordered = repository.Deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToList();
        var successes = new List<(string Environment, string Sha, DateTimeOffset At)>();
        var anchored = new HashSet<string>(StringComparer.Ordinal);
        long requests = 0;
        for (var start = 0; ; start += PageSize)
        {
            requests++;
            var page = ordered.Skip(start).Take(PageSize).ToList();
            foreach (var deployment in page.Where(d => d.CreatedAt < period.To && matches(d.Environment)))
            {
                var needsBase = NeedsBase(deployment.Environment);
                if (deployment.CreatedAt < cushion && !needsBase)
                {
                    continue;
                }

                requests += Math.Max(1, (deployment.Statuses.Count + PageSize - 1) / PageSize);
                var success = deployment.Statuses.Where(s => s.State == "success").Select(s => (DateTimeOffset?)s.CreatedAt).Min();
                if (success is { } at)
                {
                    successes.Add((deployment.Environment, deployment.Sha, at));
                    if (at < from)
                    {
                        anchored.Add(deployment.Environment);
                    }
                }
            }

            var more = start + PageSize < ordered.Count;
            if (!more || (page[^1].CreatedAt < cushion && !successes.Any(s => NeedsBase(s.Environment))))
            {
                break;
            }
        }

        foreach (var environment in successes.GroupBy(s => s.Environment))
        {
            var byTime = environment.OrderBy(s => s.At).ToList();
            for (var i = 1; i < byTime.Count; i++)
            {
                if (byTime[i].At >= from && byTime[i].At < period.To && byTime[i].Sha != byTime[i - 1].Sha)
                {
                    var commits = repository.Compare(repository.IndexOf(byTime[i - 1].Sha), repository.IndexOf(byTime[i].Sha)).Count;
                    requests += commits <= UnpagedCompareCommits ? 1 : (commits + PageSize - 1) / PageSize - 1;
                }
            }
        }

        return requests;

        bool NeedsBase(string environment) =>
            !anchored.Contains(environment) && successes.Any(s => s.Environment == environment && s.At >= from && s.At < period.To);
    }
}

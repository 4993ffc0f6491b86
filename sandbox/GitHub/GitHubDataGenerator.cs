using System.Security.Cryptography;
using System.Text;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// Builds the organisation's GitHub history: per repository a default branch (on the large profile with
/// merged feature branches), production deployments several times a week with believable status
/// sequences, decoy staging and preview deployments, and Actions runs of a "Deploy" workflow mirroring
/// production plus a busier "CI".
/// </summary>
internal sealed class GitHubDataGenerator(SandboxOrg org)
{
    private static readonly string[] Verbs = ["Fix", "Add", "Refactor", "Speed up", "Harden", "Remove", "Rename", "Document", "Retry", "Cache"];

    private static readonly string[] Things =
    [
        "pagination of the orders endpoint", "token refresh", "retry budget in the HTTP client", "feature flag for the new checkout",
        "N+1 query in invoices", "timezone handling in reports", "flaky integration test", "health check", "rate limiter",
        "webhook signature check", "search ranking weights", "migration for the audit table", "dark mode tokens", "CSV export",
        "connection pool sizing", "error page copy", "metrics labels", "dependency bumps", "cache invalidation on deploy", "logging of slow queries",
    ];

    private readonly Random _random = org.RandomFor("github");

    /// <summary>Merged branches draw from a stream of their own, so the rest of the history is the same with or without them.</summary>
    private readonly Random _merges = org.RandomFor("github-merges");
    private long _nextId = 500_000_000;

    public GitHubData Generate()
    {
        var data = new GitHubData();
        var perRepository = org.Sizes.Deployments / org.Repositories.Count;
        for (var i = 0; i < org.Repositories.Count; i++)
        {
            var name = org.Repositories[i];
            var repository = new GitHubRepositoryRecord(700_000 + i, name, i % 7 == 3 ? "master" : "main", org.Start - TimeSpan.FromDays(400 + 30 * i));
            var count = perRepository + (i < org.Sizes.Deployments % org.Repositories.Count ? 1 : 0);
            Fill(repository, count);
            data.Repositories.Add(repository);
        }

        return data;
    }

    private void Fill(GitHubRepositoryRecord repository, int deployments)
    {
        var production = (int)Math.Round(deployments * 0.72);
        var incidents = org.Incidents.Where(incident => incident.Repository == repository.FullName).Select(incident => incident.DeployedAt).ToList();
        var times = new List<(DateTimeOffset At, bool Incident)>(incidents.Select(at => (at, true)));
        while (times.Count < production)
        {
            times.Add((WorkingTime(org.Start + TimeSpan.FromHours(12), org.Now - TimeSpan.FromHours(2)), false));
        }

        times.Sort((a, b) => a.At.CompareTo(b.At));
        var deploy = new GitHubWorkflowRecord(NextId(), "Deploy", ".github/workflows/deploy.yml");
        var ci = new GitHubWorkflowRecord(NextId(), "CI", ".github/workflows/ci.yml");
        repository.Workflows.Add(ci);
        repository.Workflows.Add(deploy);
        AddCommits(repository, 15, org.Start - TimeSpan.FromDays(30), org.Start - TimeSpan.FromDays(1));

        GitHubDeploymentRecord? lastSuccess = null;
        var runNumbers = new Dictionary<long, int>();
        foreach (var (at, incident) in times)
        {
            var roll = _random.NextDouble();
            var longRunning = !incident && roll >= 0.95;
            var eventAt = longRunning ? MidnightAfter(at) + TimeSpan.FromMinutes(20 + _random.Next(160)) : at;
            if (eventAt >= org.Now)
            {
                continue;
            }

            var createdAt = longRunning
                ? eventAt - TimeSpan.FromHours(4 + _random.Next(14)) // waiting for a required reviewer overnight
                : eventAt - TimeSpan.FromMinutes(3 + _random.Next(22));
            var previousCreated = repository.Deployments.Count > 0 ? repository.Deployments[^1].CreatedAt : createdAt - TimeSpan.FromDays(3);
            var commitCount = _random.Next(50) == 0 ? 251 + _random.Next(180) : 1 + _random.Next(9);
            AddCommits(repository, commitCount, previousCreated - TimeSpan.FromHours(6), createdAt - TimeSpan.FromMinutes(20));
            var sha = org.Profile == SandboxProfile.Large && repository.Deployments.Count > 0 && _merges.Next(6) == 0
                ? MergeBranch(repository, repository.Deployments[^1], createdAt) ?? repository.Commits[^1].Sha
                : repository.Commits[^1].Sha;
            var deployment = NewDeployment(sha, repository.DefaultBranch, "production", createdAt);
            var outcome = incident || longRunning ? "success" : roll switch
            {
                < 0.76 => "success",
                < 0.79 => "retried",
                < 0.86 => "failure",
                < 0.91 => "error",
                _ => "pending",
            };
            Statuses(deployment, outcome, eventAt);
            if (deployment.Statuses.Any(s => s.State == "success"))
            {
                // GitHub marks the previous production deployment inactive once a newer one succeeds
                // (auto_inactive); half the teams here keep that default.
                if (lastSuccess is not null && _random.Next(2) == 0)
                {
                    lastSuccess.Statuses.Add(new GitHubStatusRecord(NextId(), "inactive", eventAt, "Superseded by a newer deployment"));
                }

                lastSuccess = deployment;
            }

            repository.Deployments.Add(deployment);
            var conclusion = outcome switch { "success" or "retried" => "success", "failure" or "error" => "failure", _ => "cancelled" };
            AddRun(repository, deploy, runNumbers, repository.DefaultBranch, sha, conclusion, createdAt, eventAt);
            AddRun(repository, ci, runNumbers, repository.DefaultBranch, sha, _random.Next(10) == 0 ? "failure" : "success",
                createdAt - TimeSpan.FromMinutes(15), createdAt - TimeSpan.FromMinutes(4));
            AddRun(repository, ci, runNumbers, $"feature/{Slug(Things[_random.Next(Things.Length)])}", HexSha(), "success",
                createdAt - TimeSpan.FromHours(3), createdAt - TimeSpan.FromHours(3) + TimeSpan.FromMinutes(7));
        }

        AddDecoys(repository, deployments - repository.Deployments.Count);
    }

    private void Statuses(GitHubDeploymentRecord deployment, string outcome, DateTimeOffset at)
    {
        var created = deployment.CreatedAt;
        Add("queued", created + TimeSpan.FromSeconds(4), "Deployment queued");
        switch (outcome)
        {
            case "success":
                Add("in_progress", Between(created, at), "Deploying");
                Add("success", at, "Deployed");
                break;
            case "retried":
                Add("in_progress", Between(created, at), "Deploying");
                Add("error", Between(created, at) + TimeSpan.FromSeconds(5), "Runner lost connection");
                Add("in_progress", Between(created, at) + TimeSpan.FromSeconds(10), "Retrying");
                Add("success", at, "Deployed");
                break;
            case "failure":
                Add("in_progress", Between(created, at), "Deploying");
                Add("failure", at, "Health checks failed; rolled back");
                break;
            case "error":
                Add("error", at, "Deployment job could not start");
                break;
            default:
                Add("pending", created + TimeSpan.FromSeconds(30), "Waiting for approval");
                break;
        }

        return;

        void Add(string state, DateTimeOffset when, string description) =>
            deployment.Statuses.Add(new GitHubStatusRecord(NextId(), state, when, description));
    }

    private void AddDecoys(GitHubRepositoryRecord repository, int count)
    {
        var production = repository.Deployments.ToArray();
        for (var i = 0; i < count && production.Length > 0; i++)
        {
            var basis = production[_random.Next(production.Length)];
            var staging = i % 3 != 2;
            var created = staging
                ? basis.CreatedAt - TimeSpan.FromMinutes(40 + _random.Next(300))
                : basis.CreatedAt - TimeSpan.FromHours(2 + _random.Next(30));
            var decoy = NewDeployment(basis.Sha, staging ? repository.DefaultBranch : $"pr-{100 + i}", staging ? "staging" : $"preview-pr-{100 + i}", created);
            var at = created + TimeSpan.FromMinutes(2 + _random.Next(6));
            decoy.Statuses.Add(new GitHubStatusRecord(NextId(), "in_progress", created + TimeSpan.FromSeconds(20), "Deploying"));
            decoy.Statuses.Add(new GitHubStatusRecord(NextId(), _random.Next(8) == 0 ? "failure" : "success", at, ""));
            repository.Deployments.Add(decoy);
        }
    }

    private GitHubDeploymentRecord NewDeployment(string sha, string @ref, string environment, DateTimeOffset createdAt) => new()
    {
        Id = NextId(),
        Sha = sha,
        Ref = @ref,
        Environment = environment,
        CreatedAt = createdAt,
        Creator = _random.Next(4) == 0 ? Login(org.People[_random.Next(org.People.Count)]) : "github-actions[bot]",
    };

    private void AddRun(GitHubRepositoryRecord repository, GitHubWorkflowRecord workflow, Dictionary<long, int> runNumbers,
        string branch, string sha, string conclusion, DateTimeOffset created, DateTimeOffset updated)
    {
        var number = runNumbers[workflow.Id] = runNumbers.GetValueOrDefault(workflow.Id) + 1;
        repository.Runs.Add(new GitHubRunRecord(NextId(), workflow.Id, branch, sha, "completed", conclusion, created, updated, number));
    }

    private void AddCommits(GitHubRepositoryRecord repository, int count, DateTimeOffset from, DateTimeOffset to)
    {
        // With merged branches, history is read in git log's order, which is children before parents only
        // while commit dates do not go backwards along the default branch either.
        if (org.Profile == SandboxProfile.Large && repository.Commits.Count > 0 && repository.Commits[^1].AuthoredAt > from)
        {
            from = repository.Commits[^1].AuthoredAt;
        }

        if (to <= from)
        {
            from = to - TimeSpan.FromHours(1);
        }

        var span = (to - from).Ticks;
        var dates = Enumerable.Range(0, count)
            .Select(_ => from + TimeSpan.FromTicks((long)(_random.NextDouble() * span)))
            .Order()
            .Select(Seconds);
        foreach (var date in dates)
        {
            var person = org.People[_random.Next(org.People.Count)];
            var subject = $"{Verbs[_random.Next(Verbs.Length)]} {Things[_random.Next(Things.Length)]}";
            var message = _random.Next(3) == 0 ? $"{subject}\n\nFollow-up to the review comments; see the linked issue." : subject;
            repository.Commits.Add(new GitHubCommitRecord(HexSha(), message, person, $"{Login(person)}@acme.example", date));
        }
    }

    /// <summary>
    /// A feature branch forked before <paramref name="previous"/> was deployed, its commits authored before
    /// that deployment was created, merged into the default branch just before <paramref name="createdAt"/>;
    /// returns the merge commit, or null where no commit before the previous deployment can be forked.
    /// Compare (<c>base...head</c>) counts the branch's commits with the new deployment; walking history
    /// back by date to the previous deployment's commit would not.
    /// </summary>
    private string? MergeBranch(GitHubRepositoryRecord repository, GitHubDeploymentRecord previous, DateTimeOffset createdAt)
    {
        var head = repository.Commits[^1];
        // A fork whose next commit on the default branch is not older than it: git log shows children before
        // parents as long as commit dates do not go backwards, which a branch's dates keep to as well.
        var forkAt = repository.IndexOf(previous.Sha) - _merges.Next(3);
        while (forkAt >= 0 && (repository.Commits[forkAt + 1].Parents is not null || repository.Commits[forkAt + 1].AuthoredAt < repository.Commits[forkAt].AuthoredAt))
        {
            forkAt--;
        }

        if (forkAt < 0)
        {
            return null;
        }

        var fork = repository.Commits[forkAt];
        var authoredBefore = previous.CreatedAt - TimeSpan.FromMinutes(10);
        var from = fork.AuthoredAt < authoredBefore ? fork.AuthoredAt : authoredBefore - TimeSpan.FromHours(2);
        var dates = Enumerable.Range(0, 1 + _merges.Next(4))
            .Select(_ => Seconds(from + (authoredBefore - from) * _merges.NextDouble()))
            .Order()
            .ToArray();
        var topic = Things[_merges.Next(Things.Length)];
        for (var i = 0; i < dates.Length; i++)
        {
            var author = org.People[_merges.Next(org.People.Count)];
            repository.Commits.Add(new GitHubCommitRecord(HexSha(_merges), $"{Verbs[_merges.Next(Verbs.Length)]} {topic}", author, $"{Login(author)}@acme.example", dates[i])
            {
                Parents = i == 0 ? [fork.Sha] : null,
            });
        }

        var merger = org.People[_merges.Next(org.People.Count)];
        var mergedAt = Seconds(createdAt - TimeSpan.FromMinutes(15));
        var merge = new GitHubCommitRecord(HexSha(_merges), $"Merge pull request #{1000 + _merges.Next(9000)} from acme/feature/{Slug(topic)}", merger, $"{Login(merger)}@acme.example",
            head.AuthoredAt > mergedAt ? head.AuthoredAt : mergedAt)
        {
            Parents = [head.Sha, repository.Commits[^1].Sha],
        };
        repository.Commits.Add(merge);
        return merge.Sha;
    }

    private static DateTimeOffset Seconds(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, at.Second, TimeSpan.Zero);

    private DateTimeOffset WorkingTime(DateTimeOffset from, DateTimeOffset to)
    {
        var day = from.UtcDateTime.Date.AddDays(_random.Next((int)(to - from).TotalDays));
        if (day.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday && _random.Next(5) != 0)
        {
            day = day.AddDays(day.DayOfWeek == DayOfWeek.Saturday ? 2 : 1);
        }

        var at = new DateTimeOffset(day, TimeSpan.Zero) + TimeSpan.FromMinutes(7 * 60 + _random.Next(12 * 60)) + TimeSpan.FromSeconds(_random.Next(60));
        return at < to ? at : to - TimeSpan.FromMinutes(_random.Next(600) + 1);
    }

    private static DateTimeOffset MidnightAfter(DateTimeOffset at) => new(at.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);

    private DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) =>
        from + TimeSpan.FromTicks((long)((to - from).Ticks * (0.1 + 0.3 * _random.NextDouble())));

    private string HexSha() => HexSha(_random);

    private static string HexSha(Random random) => Convert.ToHexStringLower(SHA1.HashData(BitConverter.GetBytes(random.NextInt64())));

    private long NextId() => ++_nextId;

    private static string Login(string person) => person.ToLowerInvariant().Replace(' ', '.');

    private static string Slug(string text)
    {
        var builder = new StringBuilder();
        foreach (var word in text.Split(' ').Take(3))
        {
            builder.Append(builder.Length > 0 ? "-" : "").Append(word.ToLowerInvariant());
        }

        return builder.ToString();
    }
}

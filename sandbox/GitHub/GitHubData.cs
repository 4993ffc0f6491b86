namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// Everything the GitHub emulator serves. Tests may edit it after the sandbox starts and before a run
/// (add a deployment, replace a status sequence); during a run it is only read.
/// </summary>
public sealed class GitHubData
{
    private long _nextId = 900_000_000;

    /// <summary>Repositories, in the organisation's order.</summary>
    public List<GitHubRepositoryRecord> Repositories { get; } = [];

    /// <summary>
    /// Full names of repositories the token can see but may not read deployments or runs of
    /// (answered 403, as GitHub answers a fine-grained token lacking a permission).
    /// </summary>
    public HashSet<string> ForbiddenRepositories { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A fresh id for a deployment, status, run or workflow a test adds.</summary>
    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>The repository named <c>owner/name</c>, or null.</summary>
    public GitHubRepositoryRecord? Find(string owner, string name) =>
        Repositories.Find(r => string.Equals(r.FullName, $"{owner}/{name}", StringComparison.OrdinalIgnoreCase));

    /// <summary>The repository named <paramref name="fullName"/>; throws when there is none.</summary>
    public GitHubRepositoryRecord this[string fullName] =>
        Repositories.Find(r => string.Equals(r.FullName, fullName, StringComparison.OrdinalIgnoreCase))
        ?? throw new KeyNotFoundException(fullName);
}

/// <summary>A repository with its commit graph, deployments and Actions runs.</summary>
public sealed class GitHubRepositoryRecord(long id, string fullName, string defaultBranch, DateTimeOffset createdAt)
{
    /// <summary>Numeric id.</summary>
    public long Id { get; } = id;

    /// <summary><c>owner/name</c>.</summary>
    public string FullName { get; } = fullName;

    /// <summary>Owner login.</summary>
    public string Owner => FullName[..FullName.IndexOf('/', StringComparison.Ordinal)];

    /// <summary>Repository name.</summary>
    public string Name => FullName[(FullName.IndexOf('/', StringComparison.Ordinal) + 1)..];

    /// <summary>Default branch.</summary>
    public string DefaultBranch { get; set; } = defaultBranch;

    /// <summary>When the repository was created.</summary>
    public DateTimeOffset CreatedAt { get; } = createdAt;

    /// <summary>
    /// Every commit, each after its parents: a commit without <see cref="GitHubCommitRecord.Parents"/> is a
    /// child of the one before it, so a plain list is a linear history and merged branches name their parents.
    /// </summary>
    public List<GitHubCommitRecord> Commits { get; } = [];

    /// <summary>Deployments in any order (the API answers newest first).</summary>
    public List<GitHubDeploymentRecord> Deployments { get; } = [];

    /// <summary>Actions workflows.</summary>
    public List<GitHubWorkflowRecord> Workflows { get; } = [];

    /// <summary>Actions runs in any order (the API answers newest first).</summary>
    public List<GitHubRunRecord> Runs { get; } = [];

    /// <summary>Index of a commit in <see cref="Commits"/> by full or abbreviated sha, or -1.</summary>
    public int IndexOf(string sha) =>
        sha.Length < 7 ? -1 : Commits.FindIndex(c => c.Sha.StartsWith(sha, StringComparison.OrdinalIgnoreCase));

    /// <summary>The parents' indexes in <see cref="Commits"/> of the commit at <paramref name="index"/>.</summary>
    public IEnumerable<int> ParentsOf(int index) => Commits[index].Parents is { } parents
        ? parents.Select(IndexOf).Where(parent => parent >= 0)
        : index > 0 ? [index - 1] : [];

    /// <summary>
    /// The history from the commit at <paramref name="head"/> in <c>git log</c>'s order: of the commits whose
    /// children are all shown, the newest next — children before parents while dates do not go backwards.
    /// </summary>
    public List<int> History(int head)
    {
        var shown = new List<int>();
        var seen = new HashSet<int> { head };
        var waiting = new PriorityQueue<int, (DateTimeOffset, int)>(Comparer<(DateTimeOffset, int)>.Create((a, b) => b.CompareTo(a)));
        waiting.Enqueue(head, (Commits[head].AuthoredAt, head));
        while (waiting.TryDequeue(out var index, out _))
        {
            shown.Add(index);
            foreach (var parent in ParentsOf(index).Where(seen.Add))
            {
                waiting.Enqueue(parent, (Commits[parent].AuthoredAt, parent));
            }
        }

        return shown;
    }

    /// <summary>
    /// What compare <c>base...head</c> lists: the commits reachable from <paramref name="head"/> and not from
    /// <paramref name="base"/>, oldest first.
    /// </summary>
    public List<int> Compare(int @base, int head)
    {
        var behind = History(@base).ToHashSet();
        var ahead = History(head).Where(index => !behind.Contains(index)).ToList();
        ahead.Reverse();
        return ahead;
    }
}

/// <summary>A commit.</summary>
public sealed record GitHubCommitRecord(string Sha, string Message, string AuthorName, string AuthorEmail, DateTimeOffset AuthoredAt)
{
    /// <summary>Shas of its parents (two for a merge); null: the commit before it in <see cref="GitHubRepositoryRecord.Commits"/>.</summary>
    public IReadOnlyList<string>? Parents { get; init; }
}

/// <summary>A deployment and its statuses (in creation order).</summary>
public sealed class GitHubDeploymentRecord
{
    /// <summary>Id.</summary>
    public required long Id { get; init; }

    /// <summary>Deployed commit.</summary>
    public required string Sha { get; init; }

    /// <summary>Ref the deployment was requested for (branch, tag or sha).</summary>
    public required string Ref { get; init; }

    /// <summary>Environment, e.g. <c>production</c>.</summary>
    public required string Environment { get; init; }

    /// <summary>Creation time; the API lists deployments by it, newest first.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Login of whoever created it.</summary>
    public string Creator { get; init; } = "github-actions[bot]";

    /// <summary>Statuses, oldest first.</summary>
    public List<GitHubStatusRecord> Statuses { get; } = [];
}

/// <summary>One deployment status.</summary>
/// <param name="Id">Id.</param>
/// <param name="State">error, failure, inactive, in_progress, queued, pending or success.</param>
/// <param name="CreatedAt">When it was reported.</param>
/// <param name="Description">Short text.</param>
public sealed record GitHubStatusRecord(long Id, string State, DateTimeOffset CreatedAt, string Description = "");

/// <summary>An Actions workflow.</summary>
public sealed record GitHubWorkflowRecord(long Id, string Name, string Path);

/// <summary>An Actions workflow run.</summary>
/// <param name="Id">Id.</param>
/// <param name="WorkflowId">Its workflow.</param>
/// <param name="Branch">Head branch.</param>
/// <param name="HeadSha">Head commit.</param>
/// <param name="Status">queued, in_progress or completed.</param>
/// <param name="Conclusion">success, failure, cancelled, skipped… once completed.</param>
/// <param name="CreatedAt">Creation time; the API lists runs by it, newest first.</param>
/// <param name="UpdatedAt">Last update (the end of a completed run).</param>
/// <param name="RunNumber">Run number within the workflow.</param>
public sealed record GitHubRunRecord(
    long Id, long WorkflowId, string Branch, string HeadSha, string Status, string? Conclusion,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt, int RunNumber);

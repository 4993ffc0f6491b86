namespace OkrHost.Sandbox.Linear;

/// <summary>Linear's workflow state types.</summary>
public static class LinearStateType
{
    public const string Triage = "triage";
    public const string Backlog = "backlog";
    public const string Unstarted = "unstarted";
    public const string Started = "started";
    public const string Completed = "completed";
    public const string Canceled = "canceled";
}

/// <summary>One issue as the emulator stores it. Tests may build their own and add them to <see cref="LinearData.Issues"/>.</summary>
public sealed record LinearIssue
{
    /// <summary>UUID, as Linear's <c>id</c>.</summary>
    public required string Id { get; init; }

    /// <summary>Team key and number, <c>ENG-123</c>.</summary>
    public required string Identifier { get; init; }

    public required string Title { get; init; }

    public required string TeamKey { get; init; }

    /// <summary>0 none, 1 urgent, 2 high, 3 medium, 4 low.</summary>
    public int Priority { get; init; }

    /// <summary>Label names exactly as typed in Linear (casing varies between teams).</summary>
    public IReadOnlyList<string> Labels { get; init; } = [];

    /// <summary>One of <see cref="LinearStateType"/>.</summary>
    public required string StateType { get; init; }

    public required string StateName { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    public DateTimeOffset? CompletedAt { get; init; }

    public DateTimeOffset? CanceledAt { get; init; }

    /// <summary>Archived issues are served only to queries with <c>includeArchived: true</c>.</summary>
    public DateTimeOffset? ArchivedAt { get; init; }

    /// <summary>
    /// Last change. Linear moves it on every change, so set it when a test changes what has no time of its
    /// own (labels, priority, team); left unset, it is the latest of the issue's own times.
    /// </summary>
    public DateTimeOffset UpdatedAt
    {
        get => field != default ? field : new[] { CreatedAt, StartedAt, CompletedAt, CanceledAt, ArchivedAt }.Max(at => at ?? DateTimeOffset.MinValue);
        init;
    }

    /// <summary>The issue's page in the Linear app.</summary>
    public string Url => $"https://linear.app/acme/issue/{Identifier.ToLowerInvariant()}";
}

/// <summary>The emulator's issues. Edit them before a run; the emulator reads a snapshot per request.</summary>
public sealed class LinearData
{
    private readonly Lock _gate = new();
    private readonly List<LinearIssue> _issues;

    // Each page of a paged query selects and orders the same issues again: keep the selections until the
    // issues change, so a 30,000-issue workspace pages in milliseconds rather than seconds.
    private readonly Dictionary<string, IReadOnlyList<LinearIssue>> _selections = new(StringComparer.Ordinal);

    public LinearData(IEnumerable<LinearIssue> issues) => _issues = issues.ToList();

    /// <summary>A copy of the issues at this moment.</summary>
    public IReadOnlyList<LinearIssue> Issues
    {
        get
        {
            lock (_gate)
            {
                return _issues.ToArray();
            }
        }
    }

    /// <summary>The result of <paramref name="select"/> over the issues, computed once per <paramref name="key"/> until they change.</summary>
    internal IReadOnlyList<LinearIssue> Selection(string key, Func<IReadOnlyList<LinearIssue>, IReadOnlyList<LinearIssue>> select)
    {
        lock (_gate)
        {
            if (!_selections.TryGetValue(key, out var selection))
            {
                selection = select(_issues);
                _selections[key] = selection;
            }

            return selection;
        }
    }

    /// <summary>Replaces every issue (a test's small hand-built organisation).</summary>
    public void Replace(IEnumerable<LinearIssue> issues)
    {
        lock (_gate)
        {
            _issues.Clear();
            _issues.AddRange(issues);
            _selections.Clear();
        }
    }

    public void Add(LinearIssue issue)
    {
        lock (_gate)
        {
            _issues.Add(issue);
            _selections.Clear();
        }
    }
}

/// <summary>
/// The GraphQL view of an issue: properties named like the schema's fields so default field resolution
/// serves them (<c>team { key }</c>, <c>labels { nodes { name } }</c>, <c>state { type name }</c>).
/// </summary>
internal sealed class IssueNode(LinearIssue issue)
{
    public string Id => issue.Id;
    public string Identifier => issue.Identifier;
    public string Title => issue.Title;
    public string Url => issue.Url;
    public double Priority => issue.Priority;
    public string PriorityLabel => issue.Priority switch { 1 => "Urgent", 2 => "High", 3 => "Medium", 4 => "Low", _ => "No priority" };
    public double Number => double.Parse(issue.Identifier[(issue.Identifier.LastIndexOf('-') + 1)..], System.Globalization.CultureInfo.InvariantCulture);
    public DateTimeOffset CreatedAt => issue.CreatedAt;
    public DateTimeOffset UpdatedAt => issue.UpdatedAt;
    public DateTimeOffset? StartedAt => issue.StartedAt;
    public DateTimeOffset? CompletedAt => issue.CompletedAt;
    public DateTimeOffset? CanceledAt => issue.CanceledAt;
    public DateTimeOffset? ArchivedAt => issue.ArchivedAt;
    public TeamNode Team => new(issue.TeamKey);
    public WorkflowStateNode State => new(issue.TeamKey, issue.StateType, issue.StateName);
    public Connection<LabelNode> Labels => Connection<LabelNode>.Of(issue.Labels.Select(name => new LabelNode(name)).ToArray());
}

internal sealed record TeamNode(string Key)
{
    public string Id => StableId.For("team:" + Key);
    public string Name => Key;
}

internal sealed record WorkflowStateNode(string TeamKey, string Type, string Name)
{
    public string Id => StableId.For($"state:{TeamKey}:{Name}");
}

internal sealed record LabelNode(string Name)
{
    public string Id => StableId.For("label:" + Name);
}

internal sealed record PageInfoNode(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);

internal sealed record EdgeNode<T>(string Cursor, T Node);

/// <summary>A Relay connection as Linear serves them: <c>nodes</c>, <c>edges</c> and <c>pageInfo</c>.</summary>
internal sealed record Connection<T>(IReadOnlyList<T> Nodes, IReadOnlyList<EdgeNode<T>> Edges, PageInfoNode PageInfo)
{
    public static Connection<T> Of(IReadOnlyList<T> nodes) =>
        new(nodes, nodes.Select((node, i) => new EdgeNode<T>(i.ToString(System.Globalization.CultureInfo.InvariantCulture), node)).ToArray(),
            new PageInfoNode(false, false, null, null));
}

/// <summary>Deterministic UUID-shaped ids, so every run serves the same ids.</summary>
internal static class StableId
{
    public static string For(string key)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }
}

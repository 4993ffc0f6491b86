namespace OkrHost.Plugins.Linear;

/// <summary>An issue as the metrics see it.</summary>
internal sealed record LinearIssue(
    string Identifier,
    string Title,
    string Url,
    string Team,
    int Priority,
    bool IsBug,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt)
{
    /// <summary>Priority 1 is Linear's "Urgent".</summary>
    public bool IsUrgentBug => Priority == 1 && IsBug;

    public static LinearIssue From(IssueNode node, string bugLabel) => new(
        node.Identifier,
        node.Title,
        node.Url,
        node.Team.Key,
        (int)node.Priority,
        node.Labels.Nodes.Any(label => string.Equals(label.Name, bugLabel, StringComparison.OrdinalIgnoreCase)),
        node.CreatedAt,
        node.StartedAt,
        node.CompletedAt,
        node.CanceledAt);

    /// <summary>Whether this is an urgent bug still open at <paramref name="at"/>: created before it, neither completed nor canceled before it.</summary>
    public bool IsUrgentBugOpenAt(DateTimeOffset at) =>
        IsUrgentBug && CreatedAt < at && !(CompletedAt < at) && !(CanceledAt < at);
}

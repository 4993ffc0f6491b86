using OkrHost.Contracts;

namespace OkrHost.Plugins.Linear;

/// <summary>An issue as the metrics see it; <c>Id</c> is Linear's own id, which survives a move between teams.</summary>
/// <param name="Id">Linear's id of the issue.</param>
/// <param name="Identifier">Its key, e.g. <c>ENG-123</c>.</param>
/// <param name="Title">Title.</param>
/// <param name="Url">Link to the issue.</param>
/// <param name="Team">Team key.</param>
/// <param name="Priority">0 none, 1 urgent, 2 high, 3 medium, 4 low.</param>
/// <param name="IsBug">Whether it carries the bug label.</param>
/// <param name="CreatedAt">Created.</param>
/// <param name="StartedAt">Started, if it was.</param>
/// <param name="CompletedAt">Completed, if it was.</param>
/// <param name="CanceledAt">Canceled, if it was.</param>
[FactKind("linear.issue")]
public sealed record LinearIssue(
    string Id,
    string Identifier,
    string Title,
    string Url,
    string Team,
    int Priority,
    bool IsBug,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt) : Fact(Id)
{
    /// <summary>Priority 1 is Linear's "Urgent".</summary>
    public bool IsUrgentBug => Priority == 1 && IsBug;

    internal static LinearIssue From(IssueNode node, string bugLabel) => new(
        node.Id,
        node.Identifier,
        node.Title,
        node.Url,
        node.Team.Key,
        (int)node.Priority,
        node.Labels.Nodes.Any(label => string.Equals(label.Name, bugLabel, StringComparison.OrdinalIgnoreCase)),
        node.CreatedAt,
        node.StartedAt,
        node.CompletedAt,
        node.CanceledAt)
    {
        // Linear's own update time: a stored issue is replaced by a fetched one only when Linear changed it.
        UpdatedAt = node.UpdatedAt,
    };

    /// <summary>Whether this is an urgent bug still open at <paramref name="at"/>: created before it, neither completed nor canceled before it.</summary>
    public bool IsUrgentBugOpenAt(DateTimeOffset at) =>
        IsUrgentBug && CreatedAt < at && !(CompletedAt < at) && !(CanceledAt < at);

    /// <summary>Whether this is an urgent bug open at some time in <paramref name="window"/>: created before its end, neither completed nor canceled before its start.</summary>
    public bool IsUrgentBugOpenDuring(ReportPeriod window) =>
        IsUrgentBug && CreatedAt < window.To && !(CompletedAt < window.From) && !(CanceledAt < window.From);
}

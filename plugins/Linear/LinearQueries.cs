using OkrHost.Contracts;

namespace OkrHost.Plugins.Linear;

/// <summary>
/// The GraphQL documents the plugin sends. The filter is written into the document, not passed as an
/// <c>IssueFilter</c> variable, so that validating the document against Linear's schema checks its shape.
/// </summary>
internal static class LinearQueries
{
    public const string IssuesOperation = "OkrHostIssues";

    public const string UpdatedIssuesOperation = "OkrHostUpdatedIssues";

    /// <summary>Linear's largest page.</summary>
    public const int PageSize = 250;

    /// <summary>Every document the plugin can send (with and without the team filter, and the changes since a collection).</summary>
    public static IReadOnlyList<string> All => [Issues(filterTeams: true), Issues(filterTeams: false), UpdatedIssues];

    /// <summary>
    /// The issues any window inside [from, to) needs: a created, started, completed or canceled time in
    /// it, or urgent bugs created before <c>to</c> and neither completed nor canceled before <c>from</c>
    /// (open at some time in it). Archived issues are included, as the metrics count them like any other.
    /// <see cref="Selects"/> is the same filter on an issue already fetched.
    /// </summary>
    public static string Issues(bool filterTeams) => $$"""
        query {{IssuesOperation}}($from: DateTimeOrDuration!, $to: DateTimeOrDuration!, $bugLabel: String!{{(filterTeams ? ", $teams: [String!]!" : "")}}, $after: String) {
          issues(first: {{PageSize}}, after: $after, includeArchived: true, orderBy: createdAt, filter: {
            {{(filterTeams ? "team: { key: { in: $teams } }" : "")}}
            or: [
              { createdAt: { gte: $from, lt: $to } }
              { startedAt: { gte: $from, lt: $to } }
              { completedAt: { gte: $from, lt: $to } }
              { canceledAt: { gte: $from, lt: $to } }
              { and: [
                { priority: { eq: 1 } }
                { labels: { some: { name: { eqIgnoreCase: $bugLabel } } } }
                { createdAt: { lt: $to } }
                { or: [{ completedAt: { null: true } }, { completedAt: { gte: $from } }] }
                { or: [{ canceledAt: { null: true } }, { canceledAt: { gte: $from } }] }
              ] }
            ]
          }) {
            {{Selection}}
          }
        }
        """;

    /// <summary>
    /// Every issue of the workspace updated at or after <c>since</c>, whatever its team, labels or dates:
    /// an issue that left the selection (moved to another team, relabelled, reprioritised) must come back
    /// too, so that its stored state is replaced or dropped.
    /// </summary>
    public static string UpdatedIssues => $$"""
        query {{UpdatedIssuesOperation}}($since: DateTimeOrDuration!, $after: String) {
          issues(first: {{PageSize}}, after: $after, includeArchived: true, orderBy: createdAt, filter: { updatedAt: { gte: $since } }) {
            {{Selection}}
          }
        }
        """;

    /// <summary>
    /// Whether the <see cref="Issues"/> filter for <paramref name="window"/> selects <paramref name="issue"/>
    /// as it now is (every team when <paramref name="teams"/> is empty).
    /// </summary>
    public static bool Selects(LinearIssue issue, ReportPeriod window, IReadOnlyCollection<string> teams)
    {
        bool In(DateTimeOffset? at) => at is { } instant && window.Contains(instant);
        return (teams.Count == 0 || teams.Contains(issue.Team))
            && (In(issue.CreatedAt) || In(issue.StartedAt) || In(issue.CompletedAt) || In(issue.CanceledAt) || issue.IsUrgentBugOpenDuring(window));
    }

    // The fields of an issue the plugin reads, and the page info it follows.
    private const string Selection =
        "nodes { id identifier title url priority createdAt updatedAt startedAt completedAt canceledAt archivedAt "
        + "team { key } labels { nodes { name } } state { type name } } pageInfo { hasNextPage endCursor }";
}

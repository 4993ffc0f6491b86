namespace OkrHost.Plugins.Linear;

/// <summary>
/// The GraphQL documents the plugin sends. The filter is written into the document, not passed as an
/// <c>IssueFilter</c> variable, so that validating the document against Linear's schema checks its shape.
/// </summary>
internal static class LinearQueries
{
    public const string IssuesOperation = "OkrHostIssues";

    /// <summary>Linear's largest page.</summary>
    public const int PageSize = 250;

    /// <summary>Every document the plugin can send (with and without the team filter).</summary>
    public static IReadOnlyList<string> All => [Issues(filterTeams: true), Issues(filterTeams: false)];

    /// <summary>
    /// One query for every metric, period and previous period: issues with a created, started, completed or
    /// canceled time in [previousFrom, to), or urgent bugs created before <c>to</c> and neither completed
    /// nor canceled before <c>from</c> (open at the end of the previous period or of the period).
    /// Archived issues are included, as the metrics count them like any other.
    /// </summary>
    public static string Issues(bool filterTeams) => $$"""
        query {{IssuesOperation}}($previousFrom: DateTimeOrDuration!, $from: DateTimeOrDuration!, $to: DateTimeOrDuration!, $bugLabel: String!{{(filterTeams ? ", $teams: [String!]!" : "")}}, $after: String) {
          issues(first: {{PageSize}}, after: $after, includeArchived: true, orderBy: createdAt, filter: {
            {{(filterTeams ? "team: { key: { in: $teams } }" : "")}}
            or: [
              { createdAt: { gte: $previousFrom, lt: $to } }
              { startedAt: { gte: $previousFrom, lt: $to } }
              { completedAt: { gte: $previousFrom, lt: $to } }
              { canceledAt: { gte: $previousFrom, lt: $to } }
              { and: [
                { priority: { eq: 1 } }
                { labels: { some: { name: { eqIgnoreCase: $bugLabel } } } }
                { createdAt: { lt: $to } }
                { or: [{ completedAt: { null: true } }, { completedAt: { gte: $from } }] }
                { or: [{ canceledAt: { null: true } }, { canceledAt: { gte: $from } }] }
              ] }
            ]
          }) {
            nodes {
              id identifier title url priority createdAt startedAt completedAt canceledAt archivedAt
              team { key }
              labels { nodes { name } }
              state { type name }
            }
            pageInfo { hasNextPage endCursor }
          }
        }
        """;
}

using System.Text;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// The GraphQL documents the source sends, for <c>n</c> repositories a query (each under its own alias
/// <c>r0</c>…, with its own variables). Deployments are asked for newest first: the schema's default order
/// is oldest first.
/// </summary>
internal static class GitHubQueries
{
    public const string DeploymentsOperation = "Deployments";

    public const string HistoryOperation = "History";

    /// <summary>Most repositories one query asks about: a page of every one stays far under GitHub's 500,000-node ceiling.</summary>
    public const int RepositoriesPerQuery = 25;

    /// <summary>Statuses read with each deployment; a deployment with more has the rest read over REST.</summary>
    public const int StatusesPerDeployment = 10;

    /// <summary>Parents read with each commit; a commit with more (an octopus merge) makes its walk inexact.</summary>
    public const int ParentsPerCommit = 10;

    private const string DeploymentPage = """
        fragment DeploymentPage on DeploymentConnection {
          pageInfo { hasNextPage endCursor }
          nodes {
            databaseId
            createdAt
            environment
            commitOid
            statuses(first: $statuses) { pageInfo { hasNextPage } nodes { state createdAt logUrl } }
          }
        }
        """;

    private const string HistoryPage = """
        fragment HistoryPage on CommitHistoryConnection {
          pageInfo { hasNextPage endCursor }
          nodes { oid authoredDate message url parents(first: $parents) { totalCount nodes { oid } } }
        }
        """;

    /// <summary>A page of deployments (with their statuses) of each of <paramref name="repositories"/> repositories.</summary>
    public static string Deployments(int repositories) => Document(
        DeploymentsOperation, "$first: Int!, $statuses: Int!", repositories, i => $"$owner{i}: String!, $name{i}: String!, $after{i}: String",
        i => $"deployments(first: $first, after: $after{i}, orderBy: {{field: CREATED_AT, direction: DESC}}) {{ ...DeploymentPage }}", DeploymentPage);

    /// <summary>A page of the history (with each commit's parents) from one commit of each of <paramref name="repositories"/> repositories.</summary>
    public static string History(int repositories) => Document(
        HistoryOperation, "$first: Int!, $parents: Int!", repositories, i => $"$owner{i}: String!, $name{i}: String!, $oid{i}: GitObjectID!, $after{i}: String",
        i => $"object(oid: $oid{i}) {{ ... on Commit {{ history(first: $first, after: $after{i}) {{ ...HistoryPage }} }} }}", HistoryPage);

    /// <summary>Every document the source can send: each operation for one up to <see cref="RepositoriesPerQuery"/> repositories.</summary>
    public static IEnumerable<string> All => Enumerable.Range(1, RepositoriesPerQuery).SelectMany(n => new[] { Deployments(n), History(n) });

    private static string Document(string operation, string shared, int repositories, Func<int, string> variables, Func<int, string> selection, string fragment)
    {
        var text = new StringBuilder();
        text.Append("query ").Append(operation).Append('(').Append(shared);
        for (var i = 0; i < repositories; i++)
        {
            text.Append(", ").Append(variables(i));
        }

        text.Append(") {\n  rateLimit { cost remaining resetAt }\n");
        for (var i = 0; i < repositories; i++)
        {
            text.Append("  r").Append(i).Append(": repository(owner: $owner").Append(i).Append(", name: $name").Append(i).Append(") { ")
                .Append(selection(i)).Append(" }\n");
        }

        return text.Append("}\n").Append(fragment).ToString();
    }
}

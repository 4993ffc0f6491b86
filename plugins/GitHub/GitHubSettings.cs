using System.Text.RegularExpressions;
using OkrHost.Contracts;

namespace OkrHost.Plugins.GitHub;

/// <summary>Where deployments come from.</summary>
public enum DeploymentSource
{
    /// <summary>The Deployments API (<c>deployments</c>).</summary>
    Deployments,

    /// <summary>Completed runs of deploy workflows on GitHub Actions (<c>workflow-runs</c>).</summary>
    WorkflowRuns,
}

/// <summary>Which of GitHub's APIs reads deployments, statuses and commit history.</summary>
public enum GitHubApiKind
{
    /// <summary>GraphQL (<c>graphql</c>): deployments with their statuses and commit history, several repositories a query.</summary>
    Graphql,

    /// <summary>REST (<c>rest</c>): a statuses request per deployment and a compare per lead-time pair.</summary>
    Rest,
}

/// <summary>The <c>sources.github</c> settings.</summary>
public sealed partial class GitHubSettings
{
    /// <summary>Default API address.</summary>
    public static readonly Uri PublicApi = new("https://api.github.com/");

    /// <summary>Repositories as <c>owner/name</c>.</summary>
    public List<string>? Repositories { get; set; }

    /// <summary>Environments counted as production.</summary>
    public string EnvironmentPattern { get; set; } = "(?i)prod";

    /// <summary>Deployments API or Actions runs.</summary>
    public DeploymentSource DeploymentSource { get; set; } = DeploymentSource.Deployments;

    /// <summary>Workflows whose runs are deployments in <c>workflow-runs</c> mode.</summary>
    public string WorkflowPattern { get; set; } = "(?i)deploy";

    /// <summary>Branch whose runs count in <c>workflow-runs</c> mode; absent means each repository's default branch.</summary>
    public string? Branch { get; set; }

    /// <summary>The API deployments are read through (<c>workflow-runs</c> mode always reads runs over REST).</summary>
    public GitHubApiKind Api { get; set; } = GitHubApiKind.Graphql;

    /// <summary>The GraphQL endpoint; absent means <see cref="GraphQLEndpoint"/>'s default for the base URL.</summary>
    public string? GraphqlUrl { get; set; }

    /// <summary>
    /// Where GraphQL queries go: <paramref name="graphqlUrl"/> when given, else beside the REST root —
    /// <c>https://api.github.com/graphql</c> for github.com (and <c>api.{name}.ghe.com/graphql</c>), and
    /// <c>{baseUrl}api/graphql</c> for GitHub Enterprise Server, whose REST root is <c>{baseUrl}api/v3/</c>.
    /// </summary>
    public static Uri GraphQLEndpoint(Uri? baseUrl, string? graphqlUrl)
    {
        if (graphqlUrl is not null)
        {
            return new Uri(graphqlUrl, UriKind.Absolute);
        }

        var root = ApiRoot(baseUrl);
        return root.AbsolutePath.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase) ? new Uri(root, "../graphql") : new Uri(root, "graphql");
    }

    /// <summary>
    /// The API root Octokit talks to. Octokit's own rule adds <c>/api/v3/</c> at the host's root and drops
    /// any path; here the path is kept, so a server behind a path prefix works too, and a baseUrl that
    /// already ends in <c>/api/v3/</c> is used as is.
    /// </summary>
    public static Uri ApiRoot(Uri? baseUrl)
    {
        if (baseUrl is null)
        {
            return PublicApi;
        }

        var uri = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/", UriKind.Absolute);
        if (uri.Host is "github.com" or "api.github.com")
        {
            return PublicApi;
        }

        if (uri.Host.EndsWith(".ghe.com", StringComparison.OrdinalIgnoreCase))
        {
            return new Uri($"https://{(uri.Host.StartsWith("api.", StringComparison.OrdinalIgnoreCase) ? "" : "api.")}{uri.Host}/");
        }

        return uri.AbsolutePath.EndsWith("/api/v3/", StringComparison.OrdinalIgnoreCase) ? uri : new Uri(uri, "api/v3/");
    }

    /// <summary>Every problem with these settings (no I/O).</summary>
    public void Validate(SourceSettings source, ICollection<Problem> problems)
    {
        if (Repositories is not { Count: > 0 })
        {
            problems.Add(Problem.Missing(source.Path("repositories"), "list the repositories to measure as \"owner/name\", e.g. [\"acme/api\"]"));
        }
        else
        {
            for (var i = 0; i < Repositories.Count; i++)
            {
                if (Repositories[i] is not { } name || !RepositoryName().IsMatch(name))
                {
                    problems.Add(Problem.Error($"{source.Path("repositories")}[{i}]",
                        $"'{Repositories[i]}' is not a repository name of the form \"owner/name\" (e.g. \"acme/api\")"));
                }
            }
        }

        CheckPattern(source, "environmentPattern", EnvironmentPattern, problems);
        CheckPattern(source, "workflowPattern", WorkflowPattern, problems);
        if (Branch is { Length: 0 })
        {
            problems.Add(Problem.Error(source.Path("branch"), "is empty; leave it out to use each repository's default branch"));
        }

        if (BaseUrlProblem(source.BaseUrl) is { } problem)
        {
            problems.Add(Problem.Error(source.Path("baseUrl"), problem));
        }
        else if (GraphqlUrlProblem(source.BaseUrl) is { } graphqlProblem)
        {
            problems.Add(Problem.Error(source.Path("graphqlUrl"), graphqlProblem));
        }
    }

    /// <summary>The token goes with every query, so the endpoint must be on the REST API's own origin.</summary>
    private string? GraphqlUrlProblem(Uri? baseUrl)
    {
        if (GraphqlUrl is null)
        {
            return null;
        }

        if (!Uri.TryCreate(GraphqlUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return $"'{GraphqlUrl}' is not an absolute http(s) address such as https://github.example.com/api/graphql";
        }

        var root = ApiRoot(baseUrl);
        return Uri.Compare(uri, root, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0
            ? null
            : $"'{GraphqlUrl}' is on another server than the REST API ({root.GetLeftPart(UriPartial.Authority)}); the token is sent only there — leave graphqlUrl out to use {GraphQLEndpoint(baseUrl, null)}";
    }

    /// <summary>GitHub-specific mistakes in an address the host already found to be an absolute http(s) URL.</summary>
    private static string? BaseUrlProblem(Uri? uri)
    {
        if (uri is null)
        {
            return null;
        }

        var baseUrl = uri.OriginalString;

        if (uri.Host is "github.com" or "api.github.com" && uri.AbsolutePath.Trim('/').Length > 0)
        {
            return $"'{baseUrl}' points at a page, not at the API; use https://api.github.com/ (or leave baseUrl out) and list repositories in 'repositories'";
        }

        if (uri.AbsolutePath.Contains("/api/graphql", StringComparison.OrdinalIgnoreCase) || uri.AbsolutePath.Contains("/api/v4", StringComparison.OrdinalIgnoreCase))
        {
            return $"'{baseUrl}' is not the REST API; for GitHub Enterprise give the server's address (e.g. https://github.example.com/) — /api/v3/ is added";
        }

        if (!string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            return $"'{baseUrl}' has a query or fragment; give just the server's address";
        }

        return null;
    }

    private static void CheckPattern(SourceSettings source, string key, string? pattern, ICollection<Problem> problems)
    {
        if (pattern is null)
        {
            problems.Add(Problem.Error(source.Path(key), "must be a regular expression"));
            return;
        }

        try
        {
            _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            problems.Add(Problem.Error(source.Path(key), $"is not a valid regular expression: {ex.Message}"));
        }
    }

    [GeneratedRegex(@"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")]
    private static partial Regex RepositoryName();
}

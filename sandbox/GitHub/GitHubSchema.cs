using System.Diagnostics;
using System.Globalization;
using System.Text;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// GitHub's published GraphQL schema (<c>Data/github-schema.graphql</c>, from <c>@octokit/graphql-schema</c>
/// 15.26.1), executable. Resolvers serve what a deployments client reads — <c>repository</c>, its
/// <c>deployments</c> with their <c>statuses</c>, <c>object(oid:)</c> as a <c>Commit</c> with its
/// <c>history</c> and <c>parents</c>, and <c>rateLimit</c>; every other field resolves by name or to null.
/// </summary>
public static class GitHubSchema
{
    /// <summary>Largest <c>first</c> or <c>last</c> GitHub accepts on a connection.</summary>
    public const int MaxPageSize = 100;

    // About 64k lines of SDL: built once per process on first use, shared by every emulator (resolvers reach
    // their emulator's data through the execution's root value).
    private static readonly Lazy<(ISchema Schema, TimeSpan BuildTime)> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The executable schema.</summary>
    public static ISchema Schema => Built.Value.Schema;

    /// <summary>How long parsing the SDL and initialising the schema took in this process.</summary>
    public static TimeSpan BuildTime => Built.Value.BuildTime;

    /// <summary>The SDL text as published.</summary>
    public static string ReadSdl() => ExecutableSdl.ReadEmbedded("github-schema.graphql");

    /// <summary>Builds an executable schema from <paramref name="sdl"/> with the emulator's resolvers (public so tests can use the reference copy).</summary>
    public static ISchema Build(string sdl)
    {
        ISchema? built = null;
        built = ExecutableSdl.Build(
            sdl,
            (builder, _) =>
            {
                builder.Types.For("GitObject").ResolveType = _ => (IObjectGraphType)built!.AllTypes["Commit"]!;
                builder.Types.For("Query").FieldFor("repository").Resolver = Resolve(Repository);
                builder.Types.For("Query").FieldFor("rateLimit").Resolver = Resolve(context => ((GitHubGraphRoot)context.RootValue!).RateLimit);
                builder.Types.For("Repository").FieldFor("deployments").Resolver = Resolve(Deployments);
                builder.Types.For("Repository").FieldFor("object").Resolver = Resolve(Object);
                builder.Types.For("Deployment").FieldFor("statuses").Resolver = Resolve(Statuses);
                builder.Types.For("Commit").FieldFor("history").Resolver = Resolve(History);
                builder.Types.For("Commit").FieldFor("parents").Resolver = Resolve(Parents);
            },
            _ => null);
        return built;
    }

    private static (ISchema, TimeSpan) Build()
    {
        var stopwatch = Stopwatch.StartNew();
        var schema = Build(ReadSdl());
        return (schema, stopwatch.Elapsed);
    }

    private static FuncFieldResolver<object> Resolve(Func<IResolveFieldContext, object?> resolve) => new(resolve);

    private static object Repository(IResolveFieldContext context)
    {
        var root = (GitHubGraphRoot)context.RootValue!;
        var owner = context.GetArgument<string>("owner");
        var name = context.GetArgument<string>("name");
        return root.Data.Find(owner, name) is { } repository
            ? new RepositoryNode(root, repository)
            : throw Error("NOT_FOUND", $"Could not resolve to a Repository with the name '{owner}/{name}'.");
    }

    private static object Deployments(IResolveFieldContext context)
    {
        var repository = (RepositoryNode)context.Source!;
        if (repository.Root.Data.ForbiddenRepositories.Contains(repository.Record.FullName))
        {
            throw Error("FORBIDDEN", "Resource not accessible by personal access token");
        }

        IEnumerable<GitHubDeploymentRecord> deployments = repository.Record.Deployments;
        if (context.GetArgument<List<string>?>("environments") is { Count: > 0 } environments)
        {
            deployments = deployments.Where(d => environments.Contains(d.Environment));
        }

        // The schema's default order is oldest first.
        var newestFirst = context.GetArgument<Dictionary<string, object?>?>("orderBy") is { } order && order.GetValueOrDefault("direction")?.ToString() == "DESC";
        var ordered = newestFirst
            ? deployments.OrderByDescending(d => d.CreatedAt).ThenByDescending(d => d.Id).ToList()
            : deployments.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).ToList();
        return Connection.Of(context, "deployments", ordered, d => new DeploymentNode(repository, d));
    }

    private static object Statuses(IResolveFieldContext context)
    {
        var deployment = (DeploymentNode)context.Source!;
        var newestFirst = deployment.Record.Statuses.OrderByDescending(s => s.CreatedAt).ThenByDescending(s => s.Id).ToList();
        return Connection.Of(context, "statuses", newestFirst, s => new DeploymentStatusNode(deployment, s));
    }

    private static object? Object(IResolveFieldContext context)
    {
        var repository = (RepositoryNode)context.Source!;
        var oid = context.GetArgument<string?>("oid") ?? context.GetArgument<string?>("expression");
        var index = oid is { Length: 40 } ? repository.Record.IndexOf(oid) : -1;
        return index < 0 ? null : new CommitNode(repository, index);
    }

    private static object History(IResolveFieldContext context)
    {
        var commit = (CommitNode)context.Source!;
        var history = commit.Repository.Record.History(commit.Index);
        return Connection.Of(context, "history", history, index => new CommitNode(commit.Repository, index));
    }

    private static object Parents(IResolveFieldContext context)
    {
        var commit = (CommitNode)context.Source!;
        return Connection.Of(context, "parents", commit.Repository.Record.ParentsOf(commit.Index).ToList(), index => new CommitNode(commit.Repository, index));
    }

    /// <summary>An error as GitHub words it; its code becomes the error's <c>type</c>.</summary>
    internal static ExecutionError Error(string type, string message) => new(message) { Code = type };

    internal static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}

/// <summary>What one execution sees: the emulator's data, web root and the query's rate-limit account.</summary>
internal sealed class GitHubGraphRoot(GitHubData data, string webRoot, RateLimitNode rateLimit)
{
    public GitHubData Data { get; } = data;

    public string WebRoot { get; } = webRoot;

    public RateLimitNode RateLimit { get; } = rateLimit;
}

/// <summary>GitHub's <c>RateLimit</c> object.</summary>
internal sealed record RateLimitNode(int Cost, int Limit, int NodeCount, int Remaining, string ResetAt, int Used);

internal sealed class RepositoryNode(GitHubGraphRoot root, GitHubRepositoryRecord record)
{
    public GitHubGraphRoot Root { get; } = root;

    public GitHubRepositoryRecord Record { get; } = record;

    public string NameWithOwner => Record.FullName;

    public string Name => Record.Name;

    public long DatabaseId => Record.Id;
}

internal sealed class DeploymentNode(RepositoryNode repository, GitHubDeploymentRecord record)
{
    public GitHubDeploymentRecord Record { get; } = record;

    public long DatabaseId => Record.Id;

    public string CreatedAt => GitHubSchema.Time(Record.CreatedAt);

    public string Environment => Record.Environment;

    public string OriginalEnvironment => Record.Environment;

    public string CommitOid => Record.Sha;

    public string Task => "deploy";

    public RepositoryNode Repository => repository;
}

internal sealed class DeploymentStatusNode(DeploymentNode deployment, GitHubStatusRecord record)
{
    public string State => record.State.ToUpperInvariant();

    public string CreatedAt => GitHubSchema.Time(record.CreatedAt);

    public string UpdatedAt => CreatedAt;

    public string Description => record.Description;

    public string Environment => deployment.Environment;

    public string LogUrl => $"{deployment.Repository.Root.WebRoot}{deployment.Repository.Record.FullName}/actions/runs/{deployment.Record.Id}";
}

internal sealed class CommitNode(RepositoryNode repository, int index)
{
    public RepositoryNode Repository { get; } = repository;

    public int Index { get; } = index;

    private GitHubCommitRecord Record => Repository.Record.Commits[Index];

    public string Oid => Record.Sha;

    public string AbbreviatedOid => Record.Sha[..7];

    public string AuthoredDate => GitHubSchema.Time(Record.AuthoredAt);

    public string CommittedDate => AuthoredDate;

    public string Message => Record.Message;

    public string MessageHeadline => Record.Message.Split('\n')[0];

    public string Url => $"{Repository.Root.WebRoot}{Repository.Record.FullName}/commit/{Record.Sha}";
}

/// <summary>Relay paging over a list as GitHub serves it: <c>first</c> or <c>last</c> required, at most 100.</summary>
internal sealed record Connection(IReadOnlyList<object> Nodes, IReadOnlyList<Connection.Edge> Edges, Connection.Page PageInfo, int TotalCount)
{
    public static Connection Of<T>(IResolveFieldContext context, string name, IReadOnlyList<T> items, Func<T, object> node)
    {
        var first = context.GetArgument<int?>("first");
        var last = context.GetArgument<int?>("last");
        if (first is null && last is null)
        {
            throw GitHubSchema.Error("MISSING_PAGINATION_BOUNDARIES", $"You must provide a `first` or `last` value to properly paginate the `{name}` connection.");
        }

        foreach (var (argument, value) in new[] { ("first", first), ("last", last) })
        {
            if (value > GitHubSchema.MaxPageSize || value < 0)
            {
                throw GitHubSchema.Error("EXCESSIVE_PAGINATION",
                    $"Requesting {value} records on the `{name}` connection exceeds the `{argument}` limit of {GitHubSchema.MaxPageSize} records.");
            }
        }

        var start = context.GetArgument<string?>("after") is { } after ? Position(after, name) + 1 : 0;
        var end = context.GetArgument<string?>("before") is { } before ? Position(before, name) : items.Count;
        start = Math.Clamp(start, 0, items.Count);
        end = Math.Clamp(end, start, items.Count);
        if (first is { } f)
        {
            end = Math.Min(end, start + f);
        }

        if (last is { } l)
        {
            start = Math.Max(start, end - l);
        }

        var nodes = Enumerable.Range(start, end - start).Select(i => node(items[i])).ToList();
        var edges = nodes.Select((n, i) => new Edge(Cursor(start + i), n)).ToList();
        return new Connection(nodes, edges,
            new Page(end < items.Count, start > 0, nodes.Count > 0 ? Cursor(start) : null, nodes.Count > 0 ? Cursor(end - 1) : null), items.Count);
    }

    private static string Cursor(int position) => Convert.ToBase64String(Encoding.UTF8.GetBytes($"cursor:{position + 1}"));

    private static int Position(string cursor, string name)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            if (text.StartsWith("cursor:", StringComparison.Ordinal) && int.TryParse(text.AsSpan(7), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0)
            {
                return n - 1;
            }
        }
        catch (FormatException)
        {
            // Not base64: answered below as any other cursor GitHub did not hand out.
        }

        throw GitHubSchema.Error("INVALID_CURSOR_ARGUMENTS", $"`{cursor}` does not appear to be a valid cursor for the `{name}` connection.");
    }

    public sealed record Edge(string Cursor, object Node);

    public sealed record Page(bool HasNextPage, bool HasPreviousPage, string? StartCursor, string? EndCursor);
}

using System.Globalization;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.AspNetCore.Http;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// <c>POST /api/graphql</c> (GitHub Enterprise Server's layout): documents validated and executed on GitHub's
/// published schema, measured first as GitHub does — over 500,000 nodes is refused with
/// <c>MAX_NODE_LIMIT_EXCEEDED</c>, the cost in points is taken from an hourly budget and, once that is
/// spent, answered HTTP 200 with a <c>RATE_LIMITED</c> error — and the GraphQL faults a
/// <see cref="FaultKind.HeavyQuery"/> or <see cref="FaultKind.PartialData"/> rule asks for.
/// </summary>
internal sealed class GitHubGraphQLEndpoint(GitHubEmulator emulator)
{
    /// <summary>The item a fault rule leaves on the request for the endpoint to act on.</summary>
    public const string FaultItem = "okrhost.github.graphql-fault";

    /// <summary>Largest page a query may ask for while a heavy-query fault is on: GitHub gives up on bigger ones.</summary>
    public const int HeavyPage = 50;

    private const string Documentation = "https://docs.github.com/graphql";
    private static readonly DocumentExecuter Executer = new();
    private static readonly GraphQLSerializer Serializer = new();

    private readonly HourlyBudget _budget = new();
    private long _spent;

    /// <summary>Points per hour (GitHub: 5,000 for a user's token, 10,000 for an Enterprise Cloud app).</summary>
    public int PointLimit { get; set; } = 5_000;

    /// <summary>Points spent since the sandbox started.</summary>
    public long PointsSpent => Interlocked.Read(ref _spent);

    public async Task HandleAsync(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.Equals($"bearer {emulator.Token}", StringComparison.OrdinalIgnoreCase) && !header.Equals($"token {emulator.Token}", StringComparison.Ordinal))
        {
            await WriteAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["message"] = "Bad credentials", ["documentation_url"] = Documentation });
            return;
        }

        var request = await GraphQLBody.ReadAsync(context, Serializer);

        if (request?.Query is not { Length: > 0 } query)
        {
            await WriteAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["message"] = "Problems parsing JSON", ["documentation_url"] = Documentation });
            return;
        }

        QueryCost cost;
        try
        {
            cost = QueryCost.Measure(GraphQLParser.Parser.Parse(query), request.OperationName, request.Variables);
        }
        catch (GraphQLSyntaxErrorException)
        {
            // The executer words the syntax error; a document that does not parse costs the minimum.
            cost = new QueryCost(0, 0, 0);
        }

        if (cost.Nodes > QueryCost.NodeLimit)
        {
            await WriteErrorsAsync(context, Points(0), Error("MAX_NODE_LIMIT_EXCEEDED",
                $"This query requests up to {cost.Nodes.ToString("N0", CultureInfo.InvariantCulture)} possible nodes which exceeds the maximum limit of {QueryCost.NodeLimit.ToString("N0", CultureInfo.InvariantCulture)}."));
            return;
        }

        var fault = context.Items[FaultItem] as FaultKind?;
        if (fault == FaultKind.HeavyQuery && cost.LargestPage > HeavyPage)
        {
            // What GitHub answers when a query runs past its time limit.
            context.Response.StatusCode = cost.Nodes % 2 == 0 ? StatusCodes.Status502BadGateway : StatusCodes.Status504GatewayTimeout;
            await WriteAsync(context, context.Response.StatusCode, new JsonObject
            {
                ["data"] = null,
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["message"] = "Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug.",
                }),
            });
            return;
        }

        var account = Points(cost.Points);
        if (account.Remaining < 0)
        {
            await WriteErrorsAsync(context, account with { Remaining = 0 }, Error("RATE_LIMITED", "API rate limit exceeded for user ID 1."));
            return;
        }

        var rateLimit = new RateLimitNode(cost.Points, PointLimit, (int)Math.Min(cost.Nodes, int.MaxValue), account.Remaining, GitHubSchema.Time(account.ResetAt), account.Used);
        var result = await Executer.ExecuteAsync(options =>
        {
            options.Schema = GitHubSchema.Schema;
            options.Query = query;
            options.Variables = request.Variables;
            options.OperationName = request.OperationName;
            options.Root = new GitHubGraphRoot(emulator.Data, $"{context.Request.Scheme}://{context.Request.Host}/github/", rateLimit);
            options.CancellationToken = context.RequestAborted;
        });

        var body = JsonNode.Parse(Serializer.Serialize(result))!.AsObject();
        foreach (var error in (body["errors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            // GitHub names an execution error's kind in "type" (NOT_FOUND, FORBIDDEN…), not in extensions.
            if (result.Executed && error["extensions"]?["code"]?.GetValue<string>() is { } code)
            {
                error.Remove("extensions");
                error["type"] = code;
            }
        }

        if (fault == FaultKind.PartialData && body["data"] is JsonObject data && data.Select(pair => pair.Key).FirstOrDefault(key => key != "rateLimit") is { } broken)
        {
            data[broken] = null;
            var errors = body["errors"] as JsonArray ?? [];
            errors.Add(new JsonObject
            {
                ["message"] = "Something went wrong while executing your query. Please include `0400:3C1F:1A2B3C:4D5E6F:65A1B2C3` when reporting this issue.",
                ["path"] = new JsonArray(broken),
            });
            body["errors"] = errors;
        }

        WriteRateHeaders(context.Response, account);
        await WriteAsync(context, StatusCodes.Status200OK, body);
    }

    /// <summary>Spends <paramref name="cost"/> points when they are left; remaining -1 when they are not.</summary>
    private Account Points(int cost)
    {
        var (spent, used, resetAt) = _budget.Spend(cost, PointLimit);
        if (spent)
        {
            Interlocked.Add(ref _spent, cost);
        }

        return new Account(spent ? PointLimit - used : -1, used, resetAt);
    }

    private Task WriteErrorsAsync(HttpContext context, Account account, JsonObject error)
    {
        WriteRateHeaders(context.Response, account);
        return WriteAsync(context, StatusCodes.Status200OK, new JsonObject { ["errors"] = new JsonArray(error) });
    }

    private void WriteRateHeaders(HttpResponse response, Account account)
    {
        response.Headers["x-ratelimit-limit"] = PointLimit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = Math.Max(0, account.Remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = account.Used.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = account.ResetAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "graphql";
    }

    private static JsonObject Error(string type, string message) => new() { ["type"] = type, ["message"] = message };

    private static async Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private readonly record struct Account(int Remaining, int Used, DateTimeOffset ResetAt);
}

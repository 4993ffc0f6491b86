using System.Globalization;
using System.Text.Json.Nodes;
using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Linear;

/// <summary>
/// Emulates Linear's GraphQL API (<c>POST /linear/graphql</c>) for the simulated organisation: documents
/// are validated and executed against Linear's published schema; authentication, rate-limit headers
/// and error bodies are shaped like Linear's.
/// </summary>
public sealed class LinearEmulator : IServiceEmulator
{
    /// <summary>Requests per hour Linear allows a personal API key.</summary>
    public const int RequestsPerHour = 1500;

    private static readonly DocumentExecuter Executer = new();
    private static readonly GraphQLSerializer Serializer = new();

    private readonly Lock _rateGate = new();
    private DateTimeOffset _windowStart = DateTimeOffset.UtcNow;
    private int _windowUsed;
    private int _forcedRateLimits;

    public LinearEmulator(SandboxOrg org)
    {
        Org = org;
        Data = new LinearData(LinearDataGenerator.Generate(org));
    }

    /// <inheritdoc/>
    public string Id => "linear";

    /// <summary>The accepted personal API key, sent as <c>Authorization: &lt;key&gt;</c> with no scheme.</summary>
    public string Token => "lin_api_sandboxR4nd0mK3yF0rTh3D3m0Org4n1s4t10n";

    /// <summary>The accepted OAuth access token, sent as <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public string OAuthToken => "lin_oauth_sandbox7e3c9f0a51d24b8e96c0aa13f5d7b2e4";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; }

    /// <summary>The workspace's issues; tests edit them before running the plugin.</summary>
    public LinearData Data { get; }

    /// <summary>Answers the next <paramref name="requests"/> requests with Linear's <c>RATELIMITED</c> error.</summary>
    public void RateLimitNext(int requests) => Interlocked.Exchange(ref _forcedRateLimits, requests);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes) => routes.MapPost("/graphql", HandleAsync);

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl) => new()
    {
        ["baseUrl"] = new Uri(baseUrl, "graphql").ToString(),
        ["teams"] = new JsonArray(Org.TeamKeys.Select(key => (JsonNode)JsonValue.Create(key)).ToArray()),
        ["bugLabel"] = "Bug",
    };

    /// <summary>
    /// One filtered <c>issues</c> query at 250 per page covers every window of the fetch window: the issues
    /// with a created, started, completed or canceled time in it, and the urgent bugs (priority 1, label
    /// Bug in any case) created before its end and neither completed nor canceled before its start (open
    /// at some time in it). Minimum = that count / 250, rounded up, and at least 1.
    /// </summary>
    public long MinimumRequests(SandboxPeriod period)
    {
        var from = period.FetchFrom;
        bool InWindow(DateTimeOffset? at) => at >= from && at < period.To;
        var needed = Data.Issues.Count(issue =>
            InWindow(issue.CreatedAt) || InWindow(issue.StartedAt) || InWindow(issue.CompletedAt) || InWindow(issue.CanceledAt)
            || (issue.Priority == 1
                && issue.Labels.Any(label => string.Equals(label, "Bug", StringComparison.OrdinalIgnoreCase))
                && issue.CreatedAt < period.To
                && !(issue.CompletedAt < from)
                && !(issue.CanceledAt < from)));
        return Math.Max(1, (needed + IssuesResolver.MaxPageSize - 1) / IssuesResolver.MaxPageSize);
    }

    private async Task HandleAsync(HttpContext context)
    {
        if (!Authenticated(context.Request.Headers.Authorization.ToString()))
        {
            await WriteErrorAsync(context, "Authentication required, not authenticated", "AUTHENTICATION_ERROR",
                "authentication error", 401, "You need to authenticate to access this operation.");
            return;
        }

        if (!TakeRateLimitToken(context.Response))
        {
            await WriteErrorAsync(context, "Rate limit exceeded for requests. Please wait before retrying.", "RATELIMITED",
                "ratelimited", 429, "Too many requests. Please try again later.");
            return;
        }

        var request = await GraphQLBody.ReadAsync(context, Serializer);

        if (request?.Query is not { Length: > 0 } query)
        {
            await WriteErrorAsync(context, "Must provide query string.", "BAD_USER_INPUT", "graphql error", 400, null);
            return;
        }

        var result = await Executer.ExecuteAsync(options =>
        {
            options.Schema = LinearSchema.Schema;
            options.Query = query;
            options.Variables = request.Variables;
            options.OperationName = request.OperationName;
            options.Root = new LinearExecutionRoot(Data, Org.Now);
            options.CancellationToken = context.RequestAborted;
        });

        if (result.Errors is not { Count: > 0 })
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await Serializer.WriteAsync(context.Response.Body, result, context.RequestAborted);
            return;
        }

        // Errors are rewritten with Linear's extensions; an answer without data (invalid document, bad input)
        // is a 400 like Linear's, data with errors a 200.
        var body = JsonNode.Parse(Serializer.Serialize(result))!.AsObject();
        foreach (var error in body["errors"]!.AsArray().OfType<JsonObject>())
        {
            error["extensions"] = LinearExtensions(error["extensions"] as JsonObject, result.Executed);
        }

        var status = body["data"] is null ? StatusCodes.Status400BadRequest : StatusCodes.Status200OK;
        await WriteJsonAsync(context, status, body);
    }

    private bool Authenticated(string authorization) =>
        authorization == Token || authorization == "Bearer " + OAuthToken;

    private bool TakeRateLimitToken(HttpResponse response)
    {
        lock (_rateGate)
        {
            var now = DateTimeOffset.UtcNow;
            if (now - _windowStart >= TimeSpan.FromHours(1))
            {
                _windowStart = now;
                _windowUsed = 0;
            }

            var forced = _forcedRateLimits > 0;
            if (forced)
            {
                _forcedRateLimits--;
            }

            var allowed = !forced && _windowUsed < RequestsPerHour;
            if (allowed)
            {
                _windowUsed++;
            }

            // A forced limit resets almost at once so tests do not wait; a real one at the window's end.
            var reset = forced ? now + TimeSpan.FromMilliseconds(200) : _windowStart + TimeSpan.FromHours(1);
            response.Headers["X-RateLimit-Requests-Limit"] = RequestsPerHour.ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Requests-Remaining"] = (forced ? 0 : RequestsPerHour - _windowUsed).ToString(CultureInfo.InvariantCulture);
            response.Headers["X-RateLimit-Requests-Reset"] = reset.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            return allowed;
        }
    }

    private static JsonObject LinearExtensions(JsonObject? graphQlNet, bool executed)
    {
        var code = executed ? graphQlNet?["code"]?.GetValue<string>() ?? "INTERNAL_SERVER_ERROR" : "GRAPHQL_VALIDATION_FAILED";
        var userPresentable = graphQlNet?["data"]?["userPresentableMessage"]?.GetValue<string>();
        var extensions = new JsonObject
        {
            ["type"] = executed ? "invalid input" : "graphql error",
            ["code"] = code,
            ["statusCode"] = 400,
            ["userError"] = true,
        };
        if (userPresentable is not null)
        {
            extensions["userPresentableMessage"] = userPresentable;
        }

        return extensions;
    }

    private static Task WriteErrorAsync(HttpContext context, string message, string code, string type, int statusCode, string? userPresentableMessage)
    {
        var extensions = new JsonObject { ["type"] = type, ["code"] = code, ["statusCode"] = statusCode, ["userError"] = true };
        if (userPresentableMessage is not null)
        {
            extensions["userPresentableMessage"] = userPresentableMessage;
        }

        var body = new JsonObject { ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["extensions"] = extensions }) };
        return WriteJsonAsync(context, StatusCodes.Status400BadRequest, body);
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }
}

using System.Diagnostics;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Notion;

/// <summary>
/// Emulates the Notion API (version 2022-06-28) for the simulated organisation: database queries
/// against an OKR database and a postmortem database, with Notion's auth, version, validation,
/// not-shared and rate-limit answers.
/// </summary>
public sealed class NotionEmulator : IServiceEmulator
{
    /// <summary>Versions the API accepts in <c>Notion-Version</c>.</summary>
    public static readonly IReadOnlyList<string> Versions = ["2021-05-11", "2021-05-13", "2021-08-16", "2022-02-22", "2022-06-28"];

    private const int MaxPageSize = 100;

    // Notion sends text as UTF-8, backticks and dashes unescaped.
    private static readonly JsonSerializerOptions Wire = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Lock _bucketGate = new();
    private double _tokens;
    private long _refilledAt = Stopwatch.GetTimestamp();

    /// <summary>Builds the organisation's Notion workspace.</summary>
    public NotionEmulator(SandboxOrg org)
    {
        ArgumentNullException.ThrowIfNull(org);
        Org = org;
        Data = NotionDemoData.Build(org);
    }

    /// <inheritdoc/>
    public string Id => "notion";

    /// <inheritdoc/>
    public string Token => "secret_sandboxNotionIntegration0okrhost4demo";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; }

    /// <summary>The workspace's databases; tests may edit them.</summary>
    public NotionData Data { get; }

    /// <summary>Id of the OKR database (one row per key result).</summary>
    public string OkrDatabaseId => NotionDemoData.OkrDatabaseId;

    /// <summary>Id of the postmortem database.</summary>
    public string PostmortemDatabaseId => NotionDemoData.PostmortemDatabaseId;

    /// <summary>
    /// Average requests per second above which Notion answers 429 <c>rate_limited</c> with
    /// <c>Retry-After</c> (Notion publishes about 3, with short bursts allowed). <c>null</c> (default): no limit.
    /// </summary>
    public double? RateLimitPerSecond
    {
        get;
        set
        {
            lock (_bucketGate)
            {
                field = value;
                _tokens = Burst(value);
                _refilledAt = Stopwatch.GetTimestamp();
            }
        }
    }

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        ArgumentNullException.ThrowIfNull(routes);
        routes.MapPost("/v1/databases/{id}/query", (RequestDelegate)QueryAsync);
    }

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl)
    {
        ArgumentNullException.ThrowIfNull(baseUrl);
        return new JsonObject
        {
            ["baseUrl"] = baseUrl.ToString(),
            ["okrDatabaseId"] = OkrDatabaseId,
            ["postmortemDatabaseId"] = PostmortemDatabaseId,
        };
    }

    /// <inheritdoc/>
    /// <remarks>
    /// Every row of the OKR database, and the postmortem pages created in the fetch window (archived ones
    /// included: a query returns them), at 100 a page.
    /// </remarks>
    public long MinimumRequests(SandboxPeriod period)
    {
        var okrRows = Data[OkrDatabaseId].Pages.Count;
        var postmortems = Data[PostmortemDatabaseId].Pages.Count(p => p.CreatedTime >= period.FetchFrom && p.CreatedTime < period.To);
        return Pages(okrRows) + Pages(postmortems);

        static long Pages(int items) => Math.Max(1, (items + MaxPageSize - 1) / MaxPageSize);
    }

    private async Task QueryAsync(HttpContext context)
    {
        try
        {
            Admit(context.Request);
            var database = Data.Find((string)context.Request.RouteValues["id"]!) is { SharedWithIntegration: true } found
                ? found
                : throw NotFound((string)context.Request.RouteValues["id"]!);
            var body = await ReadBodyAsync(context.Request, context.RequestAborted);
            var answer = Query(database, body);
            context.Response.ContentType = "application/json; charset=utf-8";
            await context.Response.WriteAsync(answer.ToJsonString(Wire), context.RequestAborted);
        }
        catch (NotionApiError error)
        {
            context.Response.StatusCode = error.Status;
            context.Response.ContentType = "application/json; charset=utf-8";
            var answer = new JsonObject
            {
                ["object"] = "error",
                ["status"] = error.Status,
                ["code"] = error.Code,
                ["message"] = error.Message,
            };
            await context.Response.WriteAsync(answer.ToJsonString(Wire), context.RequestAborted);
        }
    }

    // Checked as rate limit, then token, then version: Notion does not document its order, and a client
    // that is rate limited should back off whatever else is wrong with its request.
    private void Admit(HttpRequest request)
    {
        if (RetryAfter() is { } seconds)
        {
            request.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
            throw new NotionApiError(429, "rate_limited", "You have been rate limited. Please try again in a few minutes.");
        }

        if ((string?)request.Headers.Authorization != "Bearer " + Token)
        {
            throw new NotionApiError(401, "unauthorized", "API token is invalid.");
        }

        var version = (string?)request.Headers["Notion-Version"];
        if (string.IsNullOrEmpty(version))
        {
            throw new NotionApiError(400, "missing_version", "Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.");
        }

        if (!Versions.Contains(version))
        {
            throw new NotionApiError(400, "invalid_request", $"Notion-Version header failed validation: Notion-Version header should be {string.Join(", ", Versions.Select(v => $"\"{v}\""))}, instead was `\"{version}\"`.");
        }
    }

    private static NotionApiError NotFound(string id) => Guid.TryParse(id, out _)
        ? new NotionApiError(404, "object_not_found", $"Could not find database with ID: {id}. Make sure the relevant pages and databases are shared with your integration.")
        : NotionApiError.Validation($"path failed validation: path.database_id should be a valid uuid, instead was `\"{id}\"`.");

    private static async Task<JsonObject> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(request.Body);
        var text = await reader.ReadToEndAsync(cancellationToken);
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(text) as JsonObject ?? throw NotionApiError.Validation("body failed validation: body should be an object.");
        }
        catch (JsonException)
        {
            throw new NotionApiError(400, "invalid_json", "Error parsing JSON body.");
        }
    }

    private static JsonObject Query(NotionDatabase database, JsonObject body)
    {
        var pageSize = MaxPageSize;
        if (body["page_size"] is { } size)
        {
            if (size.GetValueKind() != JsonValueKind.Number || !size.AsValue().TryGetValue<int>(out pageSize) || pageSize is < 1 or > MaxPageSize)
            {
                throw NotionApiError.Validation($"body failed validation: body.page_size should be a number between 1 and {MaxPageSize}, instead was `{size.ToJsonString()}`.");
            }
        }

        var filter = NotionQuery.Filter(body["filter"], database);
        var matching = NotionQuery.Sort(database.Pages.Where(filter), body["sorts"], database).ToList();
        var start = 0;
        if (body["start_cursor"] is { } cursorNode)
        {
            var cursor = (string?)cursorNode;
            start = matching.FindIndex(p => p.Id == cursor);
            if (start < 0)
            {
                throw NotionApiError.Validation($"body failed validation: body.start_cursor should be a valid cursor, instead was `{cursorNode.ToJsonString()}`.");
            }
        }

        var results = matching.Skip(start).Take(pageSize).ToList();
        var hasMore = start + results.Count < matching.Count;
        return new JsonObject
        {
            ["object"] = "list",
            ["results"] = new JsonArray(results.Select(p => (JsonNode)PageJson(p, database)).ToArray()),
            ["next_cursor"] = hasMore ? matching[start + results.Count].Id : null,
            ["has_more"] = hasMore,
            ["type"] = "page_or_database",
            ["page_or_database"] = new JsonObject(),
        };
    }

    private static JsonObject PageJson(NotionPage page, NotionDatabase database)
    {
        var properties = new JsonObject();
        foreach (var (name, value) in page.Properties)
        {
            var property = (JsonObject)value.DeepClone();
            var type = (string)value["type"]!;
            property.Insert(0, "id", type == "title" ? "title" : NotionValue.ShortId(name));
            properties[name] = property;
        }

        var editor = new JsonObject { ["object"] = "user", ["id"] = NotionValue.UuidFrom("editor:" + database.Id) };
        return new JsonObject
        {
            ["object"] = "page",
            ["id"] = page.Id,
            ["created_time"] = Timestamp(page.CreatedTime),
            ["last_edited_time"] = Timestamp(page.LastEditedTime ?? page.CreatedTime),
            ["created_by"] = editor.DeepClone(),
            ["last_edited_by"] = editor,
            ["cover"] = null,
            ["icon"] = null,
            ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = database.Id },
            ["archived"] = page.Archived,
            ["in_trash"] = page.InTrash,
            ["properties"] = properties,
            ["url"] = page.Url,
            ["public_url"] = null,
        };
    }

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static double Burst(double? perSecond) => perSecond is { } rate ? Math.Max(1, rate * 3) : 0;

    // A token bucket: the published average with a few seconds' worth of burst, as Notion allows.
    private int? RetryAfter()
    {
        lock (_bucketGate)
        {
            if (RateLimitPerSecond is not { } rate)
            {
                return null;
            }

            var now = Stopwatch.GetTimestamp();
            _tokens = Math.Min(Burst(rate), _tokens + Stopwatch.GetElapsedTime(_refilledAt, now).TotalSeconds * rate);
            _refilledAt = now;
            if (_tokens >= 1)
            {
                _tokens--;
                return null;
            }

            return Math.Max(1, (int)Math.Ceiling((1 - _tokens) / rate));
        }
    }
}

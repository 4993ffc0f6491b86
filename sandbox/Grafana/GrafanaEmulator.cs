using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Grafana;

/// <summary>
/// Emulates the parts of Grafana's HTTP API the plugin reads: annotations, Grafana-managed alerts
/// (Prometheus-compatible) and Tempo search through the data source proxy.
/// </summary>
/// <remarks>
/// Faithful to Grafana where it matters to a client:
/// <list type="bullet">
/// <item><c>GET /api/annotations</c> has no cursor: <c>limit</c> (default 100, no maximum) truncates
/// silently, latest end first (<c>ORDER BY epoch_end DESC, epoch DESC</c>, as Grafana's SQL store does).</item>
/// <item>The time filter is Grafana's overlap test <c>epoch &lt;= to AND epoch_end &gt;= from</c>, both ends
/// inclusive and applied only when both are given: a region that started before the window and ends
/// inside it is returned, so clients must filter on <c>time</c> themselves.</item>
/// <item>Tags: all must match (any with <c>matchAny=true</c>), each compared by key and value as Grafana
/// parses them (<c>key:value</c>); a tag without a value matches on the key alone, so <c>tags=drift</c>
/// also returns an annotation tagged <c>drift:staging</c>; and "all" is Grafana's count of matching
/// tags, so two tags matching one filter can stand in for another. Case-sensitive (SQLite).</item>
/// <item>Auth: a missing token answers 401 <c>auth.unauthorized</c>, a wrong one 401 <c>api-key.invalid</c>.</item>
/// <item>Tempo search answers only <c>{}</c> and <c>{ status = error }</c> (400 with Tempo's parse error text
/// otherwise), includes traces overlapping <c>[start, end]</c> (Unix seconds), newest first, <c>limit</c>
/// default 20, with <c>startTimeUnixNano</c> as a string as Tempo's protobuf JSON does.</item>
/// </list>
/// </remarks>
public sealed class GrafanaEmulator : IServiceEmulator
{
    /// <summary>Page size the demo settings ask for (the plugin's default), and the benchmark assumes.</summary>
    public const int DemoAnnotationLimit = 5000;

    /// <summary>Trace search size the demo settings ask for (the plugin's default).</summary>
    public const int DemoTraceLimit = 1000;

    /// <summary>Grafana's default when <c>limit</c> is absent.</summary>
    public const int DefaultAnnotationLimit = 100;

    /// <summary>Tempo's default <c>limit</c>.</summary>
    public const int DefaultTraceLimit = 20;

    private const int SpansPerSpanSet = 3;

    /// <summary>Builds the emulator and its data for <paramref name="org"/>.</summary>
    public GrafanaEmulator(SandboxOrg org)
    {
        Org = org;
        Data = GrafanaDataBuilder.Build(org);
    }

    /// <inheritdoc/>
    public string Id => "grafana";

    /// <inheritdoc/>
    public string Token => "glsa_sandboxOkrHostServiceAccount0001_5f3a9c2e";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; }

    /// <summary>The data served; tests may edit it before running the plugin.</summary>
    public GrafanaData Data { get; }

    /// <summary>The uid of the organisation's Tempo data source.</summary>
    public static string TempoUid => GrafanaDataBuilder.TempoUid;

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapGet("/api/annotations", Authorized(AnnotationsAsync));
        routes.MapGet("/api/prometheus/grafana/api/v1/alerts", Authorized(AlertsAsync));
        routes.MapGet("/api/datasources/proxy/uid/{uid}/api/search", Authorized(TempoSearchAsync));
    }

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl) => new()
    {
        ["baseUrl"] = baseUrl.ToString(),
        ["driftTags"] = new JsonArray("drift"),
        ["findingTags"] = new JsonArray("finding"),
        ["tempoDatasourceUid"] = TempoUid,
        ["annotationLimit"] = DemoAnnotationLimit,
        ["traceLimit"] = DemoTraceLimit,
    };

    /// <summary>
    /// The fewest requests for the demo settings: per distinct tag set, ceil(n / limit) annotation
    /// windows (at least one), where n is what Grafana returns for that tag set over the host's fetch window
    /// (the period, the previous period and the trend weeks: a perfect client that knew where the annotations
    /// lie could not do with fewer windows, since none may hold more than <c>limit</c>); one alerts request;
    /// per TraceQL query (<c>{}</c> and <c>{ status = error }</c>), ceil(n / limit) searches (at least one)
    /// over that window.
    /// </summary>
    public long MinimumRequests(SandboxPeriod period)
    {
        var fromMs = period.FetchFrom.ToUnixTimeMilliseconds();
        var toMs = period.To.ToUnixTimeMilliseconds() - 1;
        var annotations = Snapshot(Data.Annotations);
        long requests = 1;
        foreach (var tags in new[] { "drift", "finding" })
        {
            var query = new AnnotationQuery(fromMs, toMs, [tags], MatchAny: false, Type: null, int.MaxValue);
            requests += Windows(Query(annotations, query).Count(), DemoAnnotationLimit);
        }

        var traces = Traces(TempoUid) ?? [];
        var inRange = Overlapping(traces, period.FetchFrom.ToUnixTimeSeconds(), period.To.ToUnixTimeSeconds()).ToArray();
        requests += Windows(inRange.Length, DemoTraceLimit);
        requests += Windows(inRange.Count(t => t.ErrorSpanCount > 0), DemoTraceLimit);
        return requests;
    }

    /// <summary>Grafana's annotation search over <paramref name="annotations"/>, ordered and limited as Grafana does.</summary>
    internal static IEnumerable<GrafanaAnnotation> Query(IEnumerable<GrafanaAnnotation> annotations, AnnotationQuery query)
    {
        var wanted = query.Tags.Select(ParseTag).ToArray();
        return annotations
            .Where(a => query.FromMs <= 0 || query.ToMs <= 0
                || (a.Time.ToUnixTimeMilliseconds() <= query.ToMs && a.TimeEnd.ToUnixTimeMilliseconds() >= query.FromMs))
            .Where(a => query.Type switch
            {
                "alert" => a.AlertId > 0,
                "annotation" => a.AlertId == 0,
                _ => true,
            })
            .Where(a =>
            {
                if (wanted.Length == 0)
                {
                    return true;
                }

                // Grafana sums the annotation's tags that match any of the filters and compares the sum
                // with the number of filters: an annotation tagged drift and drift:staging passes
                // tags=drift&tags=env:prod without env:prod.
                var matching = a.Tags.Select(ParseTag).Count(h => wanted.Any(w => h.Key == w.Key && (w.Value.Length == 0 || h.Value == w.Value)));
                return query.MatchAny ? matching > 0 : matching == wanted.Length;
            })
            .OrderByDescending(a => a.TimeEnd)
            .ThenByDescending(a => a.Time)
            .Take(query.Limit);
    }

    private static long Windows(int items, int limit) => Math.Max(1, (items + limit - 1) / limit);

    private static (string Key, string Value) ParseTag(string tag)
    {
        var colon = tag.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 ? (tag.Trim(), "") : (tag[..colon].Trim(), tag[(colon + 1)..].Trim());
    }

    private RequestDelegate Authorized(Func<HttpContext, Task> handler) => async context =>
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (header.Length == 0)
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, GrafanaError("Unauthorized", "auth.unauthorized", 401));
            return;
        }

        if (header != "Bearer " + Token)
        {
            await WriteJsonAsync(context, StatusCodes.Status401Unauthorized, GrafanaError("Invalid API key", "api-key.invalid", 401));
            return;
        }

        await handler(context);
    };

    private async Task AnnotationsAsync(HttpContext context)
    {
        var request = context.Request.Query;
        var limit = QueryInt64(request["limit"]) is var asked and > 0 ? (int)Math.Min(asked, int.MaxValue) : DefaultAnnotationLimit;
        var query = new AnnotationQuery(
            QueryInt64(request["from"]),
            QueryInt64(request["to"]),
            request["tags"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToArray(),
            string.Equals(request["matchAny"], "true", StringComparison.OrdinalIgnoreCase),
            request["type"].ToString(),
            limit);
        var items = new JsonArray();
        foreach (var annotation in Query(Snapshot(Data.Annotations), query))
        {
            items.Add(ToJson(annotation));
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, items);
    }

    private async Task AlertsAsync(HttpContext context)
    {
        var alerts = new JsonArray();
        foreach (var alert in Snapshot(Data.Alerts))
        {
            alerts.Add(new JsonObject
            {
                ["labels"] = ToJson(alert.Labels),
                ["annotations"] = ToJson(alert.Annotations),
                ["state"] = alert.State,
                ["activeAt"] = (alert.ActiveAt ?? DateTimeOffset.MinValue).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture),
                ["value"] = alert.Value,
            });
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject { ["alerts"] = alerts },
        });
    }

    private async Task TempoSearchAsync(HttpContext context)
    {
        var uid = (string)context.Request.RouteValues["uid"]!;
        if (!uid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || uid.Length > 40)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["message"] = "UID is invalid" });
            return;
        }

        if (Traces(uid) is not { } traces)
        {
            await WriteJsonAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["message"] = "Unable to find datasource" });
            return;
        }

        var request = context.Request.Query;
        var q = request["q"].ToString();
        if (ParseTraceQl(q) is not { } errorsOnly)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(
                $"invalid TraceQL query: parse error at line 1, col {UnexpectedColumn(q)}: syntax error: unexpected IDENTIFIER");
            return;
        }

        var limit = QueryInt64(request["limit"]) is var asked and > 0 ? (int)Math.Min(asked, int.MaxValue) : DefaultTraceLimit;
        var inRange = Overlapping(traces, QueryInt64(request["start"]), QueryInt64(request["end"])).ToArray();
        var found = new JsonArray();
        foreach (var trace in inRange.Where(t => !errorsOnly || t.ErrorSpanCount > 0).OrderByDescending(t => t.Start).Take(limit))
        {
            found.Add(ToJson(trace, errorsOnly ? trace.ErrorSpanCount : trace.SpanCount));
        }

        var jobs = Math.Max(1, inRange.Length / 50);
        await WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject
        {
            ["traces"] = found,
            ["metrics"] = new JsonObject
            {
                ["inspectedTraces"] = inRange.Length,
                ["inspectedBytes"] = (inRange.Length * 2411L).ToString(CultureInfo.InvariantCulture),
                ["completedJobs"] = jobs,
                ["totalJobs"] = jobs,
            },
        });
    }

    /// <summary><c>true</c> for <c>{ status = error }</c>, <c>false</c> for <c>{}</c>, <c>null</c> for anything else.</summary>
    private static bool? ParseTraceQl(string q)
    {
        var compact = string.Concat(q.Where(c => !char.IsWhiteSpace(c)));
        return compact switch
        {
            "{}" or "" => false,
            "{status=error}" => true,
            _ => null,
        };
    }

    private static int UnexpectedColumn(string q)
    {
        var brace = q.IndexOf('{', StringComparison.Ordinal);
        var column = brace < 0 ? 0 : brace + 1;
        while (column < q.Length && char.IsWhiteSpace(q[column]))
        {
            column++;
        }

        return column + 1;
    }

    private List<TempoTrace>? Traces(string uid)
    {
        lock (Data)
        {
            return Data.TempoDataSources.TryGetValue(uid, out var traces) ? [.. traces] : null;
        }
    }

    private static IEnumerable<TempoTrace> Overlapping(IEnumerable<TempoTrace> traces, long startSeconds, long endSeconds) =>
        traces.Where(t => (startSeconds <= 0 || t.End >= DateTimeOffset.FromUnixTimeSeconds(startSeconds))
            && (endSeconds <= 0 || t.Start <= DateTimeOffset.FromUnixTimeSeconds(endSeconds)));

    private T[] Snapshot<T>(List<T> list)
    {
        lock (Data)
        {
            return [.. list];
        }
    }

    private static long QueryInt64(Microsoft.Extensions.Primitives.StringValues value) =>
        long.TryParse(value.ToString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) ? parsed : 0;

    private static JsonObject GrafanaError(string message, string messageId, int status) => new()
    {
        ["extra"] = null,
        ["message"] = message,
        ["messageId"] = messageId,
        ["statusCode"] = status,
        ["traceID"] = "",
    };

    private static JsonObject ToJson(GrafanaAnnotation annotation) => new()
    {
        ["id"] = annotation.Id,
        ["alertId"] = annotation.AlertId,
        ["alertName"] = "",
        ["dashboardId"] = annotation.DashboardUid.Length == 0 ? 0 : 7,
        ["dashboardUID"] = annotation.DashboardUid,
        ["panelId"] = annotation.PanelId,
        ["userId"] = annotation.UserId,
        ["newState"] = annotation.AlertId > 0 ? "alerting" : "",
        ["prevState"] = annotation.AlertId > 0 ? "normal" : "",
        ["created"] = annotation.Created.ToUnixTimeMilliseconds(),
        ["updated"] = annotation.Updated.ToUnixTimeMilliseconds(),
        ["time"] = annotation.Time.ToUnixTimeMilliseconds(),
        ["timeEnd"] = annotation.TimeEnd.ToUnixTimeMilliseconds(),
        ["text"] = annotation.Text,
        ["tags"] = new JsonArray([.. annotation.Tags.Select(t => (JsonNode?)JsonValue.Create(t))]),
        ["login"] = annotation.Login,
        ["email"] = annotation.Email,
        ["avatarUrl"] = annotation.Email.Length == 0 ? "" : "/avatar/" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(annotation.Email)))[..32],
        ["data"] = new JsonObject(),
    };

    private static JsonObject ToJson(TempoTrace trace, int matched)
    {
        var startNanos = Nanos(trace.Start);
        var spans = new JsonArray();
        for (var i = 0; i < Math.Min(SpansPerSpanSet, matched); i++)
        {
            spans.Add(new JsonObject
            {
                ["spanID"] = trace.TraceId.Substring(i * 4, 16),
                ["startTimeUnixNano"] = (startNanos + i * 1_000_000L).ToString(CultureInfo.InvariantCulture),
                ["durationNanos"] = (trace.DurationMs * 1_000_000L / (i + 1)).ToString(CultureInfo.InvariantCulture),
            });
        }

        var spanSet = new JsonObject { ["spans"] = spans, ["matched"] = matched };
        return new JsonObject
        {
            ["traceID"] = trace.TraceId,
            ["rootServiceName"] = trace.RootServiceName,
            ["rootTraceName"] = trace.RootTraceName,
            ["startTimeUnixNano"] = startNanos.ToString(CultureInfo.InvariantCulture),
            ["durationMs"] = trace.DurationMs,
            ["spanSet"] = spanSet.DeepClone(),
            ["spanSets"] = new JsonArray(spanSet),
        };
    }

    private static long Nanos(DateTimeOffset instant) => (instant - DateTimeOffset.UnixEpoch).Ticks * 100;

    private static JsonObject ToJson(IReadOnlyDictionary<string, string> map)
    {
        var json = new JsonObject();
        foreach (var (key, value) in map)
        {
            json[key] = value;
        }

        return json;
    }

    private static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString());
    }
}

/// <summary>The parameters of one <c>GET /api/annotations</c>.</summary>
internal sealed record AnnotationQuery(long FromMs, long ToMs, IReadOnlyList<string> Tags, bool MatchAny, string? Type, int Limit);

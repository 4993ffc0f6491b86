using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Slack;

/// <summary>
/// Emulates the Slack Web API methods a war-room client uses, under <c>/slack/api/{method}</c>:
/// <c>auth.test</c>, <c>conversations.list</c>, <c>conversations.history</c>, <c>conversations.info</c>,
/// and <c>chat.postMessage</c> (JSON body, as alerts send it), whose posts are kept in <see cref="SlackData.Posts"/>.
/// As Slack: GET query or POST form, token in <c>Authorization: Bearer</c> or a <c>token</c> parameter,
/// failures are HTTP 200 <c>{"ok":false,"error":…}</c>, cursor paging through
/// <c>response_metadata.next_cursor</c> ("" on the last page), and pages that may hold fewer items than
/// <c>limit</c> while more follow.
/// </summary>
public sealed partial class SlackEmulator : IServiceEmulator
{
    /// <summary>Every scope a war-room bot can hold; the default <see cref="Scopes"/>.</summary>
    public static readonly IReadOnlyList<string> AllScopes = ["channels:read", "groups:read", "channels:history", "groups:history", "chat:write"];

    /// <summary>Largest <c>limit</c> of <c>conversations.list</c>.</summary>
    public const int ListLimitMax = 1000;

    /// <summary>Largest <c>limit</c> of <c>conversations.history</c>.</summary>
    public const int HistoryLimitMax = 999;

    private readonly ConcurrentDictionary<string, RateWindow> _rateWindows = new(StringComparer.Ordinal);

    /// <summary>Builds the workspace for <paramref name="org"/>.</summary>
    public SlackEmulator(SandboxOrg org)
    {
        Org = org;
        SlackWorkspace.Build(org, Data);
    }

    /// <inheritdoc/>
    public string Id => "slack";

    /// <inheritdoc/>
    public string Token => "xoxb-sandbox-7301-okrhost-war-rooms";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; }

    /// <summary>The workspace; tests edit it to build edge cases.</summary>
    public SlackData Data { get; } = new();

    /// <summary>Scopes granted to <see cref="Token"/>; remove one to get <c>missing_scope</c> answers.</summary>
    public HashSet<string> Scopes { get; } = new(AllScopes, StringComparer.Ordinal);

    /// <summary>
    /// How many channels <c>conversations.list</c> scans per page before filtering by type and
    /// archive state: like Slack, a page then holds at most this many and often fewer.
    /// </summary>
    public int ListScanWindow { get; set; } = 200;

    /// <summary>
    /// Per-method rate limits (Tier 2/3 style), off by default: at most <see cref="SlackRateLimit.Requests"/>
    /// calls of a method per <see cref="SlackRateLimit.Window"/>; more answer 429 with <c>Retry-After</c>.
    /// </summary>
    public ConcurrentDictionary<string, SlackRateLimit> RateLimits { get; } = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/api/{method}", ["GET", "POST"], HandleAsync);
    }

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl) => new() { ["baseUrl"] = new Uri(baseUrl, "api/").ToString() };

    /// <summary>
    /// Every page of <c>conversations.list</c> (both types, archived included, <c>limit=1000</c>), plus, for
    /// each war room (default pattern) created in the host's fetch window (the period, the previous period
    /// and the trend weeks), the pages of its whole history at <c>limit=999</c>, plus one <c>limit=1</c>
    /// history request for each archived war room created before the window (it may have closed inside it:
    /// postmortem coverage counts it). War rooms opened later or still open need no history: "open now"
    /// comes from the list's <c>is_archived</c>.
    /// </summary>
    public long MinimumRequests(SandboxPeriod period)
    {
        lock (Data.Sync)
        {
            long listPages = Math.Max(1, (Data.Channels.Count + PageSize(ListLimitMax) - 1) / PageSize(ListLimitMax));
            var warRooms = Data.Channels.Where(c => WarRoomName().IsMatch(c.Name)).ToList();
            var historyPages = warRooms
                .Where(c => c.Created >= period.FetchFrom && c.Created < period.To)
                .Sum(c => Math.Max(1, (c.Messages.Count + HistoryLimitMax - 1) / HistoryLimitMax));
            var archiveLookups = warRooms.Count(c => c.IsArchived && c.Created < period.FetchFrom);
            return listPages + historyPages + archiveLookups;
        }
    }

    [GeneratedRegex("(?i)^(inc|incident|war-?room)[-_]")]
    private static partial Regex WarRoomName();

    private int PageSize(int limit) => Math.Min(limit, ListScanWindow);

    private async Task<IResult> HandleAsync(HttpContext context, string method)
    {
        var (parameters, body) = await ReadParametersAsync(context.Request);
        if (RateLimited(method) is { } retryAfter)
        {
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            return Results.Json(new JsonObject { ["ok"] = false, ["error"] = "ratelimited" }, statusCode: StatusCodes.Status429TooManyRequests);
        }

        var token = BearerToken(context.Request) ?? parameters.GetValueOrDefault("token");
        if (string.IsNullOrEmpty(token))
        {
            return Error("not_authed");
        }

        if (token != Token)
        {
            return Error("invalid_auth");
        }

        return method switch
        {
            "auth.test" => Ok(new JsonObject
            {
                ["url"] = "https://acme-sandbox.slack.com/",
                ["team"] = "Acme (sandbox)",
                ["user"] = "okrhost",
                ["team_id"] = "T07SANDBOX",
                ["user_id"] = "U07OKRHOST",
                ["bot_id"] = "B07OKRHOST",
                ["is_enterprise_install"] = false,
            }),
            "conversations.list" => List(parameters),
            "conversations.history" => History(parameters),
            "conversations.info" => Info(parameters),
            "chat.postMessage" => PostMessage(parameters, body),
            _ => Error("unknown_method"),
        };
    }

    private IResult List(Dictionary<string, string> parameters)
    {
        var types = (parameters.GetValueOrDefault("types") ?? "public_channel").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var wantPublic = types.Contains("public_channel");
        var wantPrivate = types.Contains("private_channel");
        var needed = new List<string>();
        if (wantPublic)
        {
            needed.Add("channels:read");
        }

        if (wantPrivate)
        {
            needed.Add("groups:read");
        }

        if (MissingScope([.. needed]) is { } missing)
        {
            return missing;
        }

        var excludeArchived = parameters.GetValueOrDefault("exclude_archived") is "true" or "1";
        if (!TryLimit(parameters, 100, ListLimitMax, out var limit))
        {
            return Error("invalid_limit");
        }

        lock (Data.Sync)
        {
            var start = 0;
            if (parameters.GetValueOrDefault("cursor") is { Length: > 0 } cursor)
            {
                var id = DecodeCursor(cursor, "team:");
                start = id is null ? -1 : Data.Channels.FindIndex(c => c.Id == id);
                if (start < 0)
                {
                    return Error("invalid_cursor");
                }
            }

            var end = Math.Min(Data.Channels.Count, start + PageSize(limit));
            var page = new JsonArray();
            for (var i = start; i < end; i++)
            {
                var channel = Data.Channels[i];
                if ((channel.IsPrivate ? wantPrivate : wantPublic) && !(excludeArchived && channel.IsArchived))
                {
                    page.Add(ChannelJson(channel));
                }
            }

            var next = end < Data.Channels.Count ? EncodeCursor("team:" + Data.Channels[end].Id) : "";
            return Ok(new JsonObject { ["channels"] = page, ["response_metadata"] = new JsonObject { ["next_cursor"] = next } });
        }
    }

    private IResult History(Dictionary<string, string> parameters)
    {
        if (!TryLimit(parameters, 100, HistoryLimitMax, out var limit))
        {
            return Error("invalid_limit");
        }

        if (parameters.GetValueOrDefault("channel") is not { Length: > 0 } channelId || Data.Find(channelId) is not { } channel)
        {
            return Error("channel_not_found");
        }

        if (MissingScope(channel.IsPrivate ? "groups:history" : "channels:history") is { } missing)
        {
            return missing;
        }

        if (!channel.IsMember)
        {
            return Error("not_in_channel");
        }

        var inclusive = parameters.GetValueOrDefault("inclusive") is "true" or "1";
        var oldest = parameters.GetValueOrDefault("oldest") is { Length: > 0 } o ? SlackTs.Parse(o) : (DateTimeOffset?)null;
        var latest = parameters.GetValueOrDefault("latest") is { Length: > 0 } l ? SlackTs.Parse(l) : (DateTimeOffset?)null;
        lock (Data.Sync)
        {
            // Newest first, as Slack answers; the cursor names the ts the next page starts below.
            IEnumerable<SlackMessage> messages = channel.Messages.OrderByDescending(m => m.At);
            if (oldest is { } from)
            {
                messages = messages.Where(m => inclusive ? m.At >= from : m.At > from);
            }

            if (latest is { } to)
            {
                messages = messages.Where(m => inclusive ? m.At <= to : m.At < to);
            }

            if (parameters.GetValueOrDefault("cursor") is { Length: > 0 } cursor)
            {
                if (DecodeCursor(cursor, "next_ts:") is not { } below)
                {
                    return Error("invalid_cursor");
                }

                var belowAt = SlackTs.Parse(below);
                messages = messages.Where(m => m.At <= belowAt);
            }

            var window = messages.Take(limit + 1).ToList();
            var hasMore = window.Count > limit;
            var page = new JsonArray(window.Take(limit).Select(MessageJson).ToArray<JsonNode?>());
            return Ok(new JsonObject
            {
                ["messages"] = page,
                ["has_more"] = hasMore,
                ["pin_count"] = 0,
                ["response_metadata"] = new JsonObject { ["next_cursor"] = hasMore ? EncodeCursor("next_ts:" + window[limit].Ts) : "" },
            });
        }
    }

    private IResult Info(Dictionary<string, string> parameters)
    {
        if (parameters.GetValueOrDefault("channel") is not { Length: > 0 } channelId || Data.Find(channelId) is not { } channel)
        {
            return Error("channel_not_found");
        }

        if (MissingScope(channel.IsPrivate ? "groups:read" : "channels:read") is { } missing)
        {
            return missing;
        }

        lock (Data.Sync)
        {
            return Ok(new JsonObject { ["channel"] = ChannelJson(channel) });
        }
    }

    private JsonObject ChannelJson(SlackChannel channel) => new()
    {
        ["id"] = channel.Id,
        ["name"] = channel.Name,
        ["is_channel"] = !channel.IsPrivate,
        ["is_group"] = channel.IsPrivate,
        ["is_im"] = false,
        ["is_mpim"] = false,
        ["is_private"] = channel.IsPrivate,
        ["created"] = channel.Created.ToUnixTimeSeconds(),
        ["is_archived"] = channel.IsArchived,
        ["is_general"] = channel.Name == "general",
        ["unlinked"] = 0,
        ["name_normalized"] = channel.Name,
        ["is_shared"] = false,
        ["is_org_shared"] = false,
        ["is_ext_shared"] = false,
        ["is_pending_ext_shared"] = false,
        ["pending_shared"] = new JsonArray(),
        ["is_member"] = channel.IsMember,
        ["creator"] = channel.Creator,
        ["previous_names"] = new JsonArray(),
        ["num_members"] = channel.Messages.Where(m => m.User is not null).Select(m => m.User).Distinct().Count(),
        ["topic"] = new JsonObject { ["value"] = channel.Topic, ["creator"] = "", ["last_set"] = 0 },
        ["purpose"] = new JsonObject { ["value"] = channel.Purpose, ["creator"] = channel.Purpose.Length > 0 ? channel.Creator : "", ["last_set"] = channel.Created.ToUnixTimeSeconds() },
    };

    private static JsonObject MessageJson(SlackMessage message)
    {
        var json = new JsonObject { ["type"] = "message" };
        if (message.Subtype is not null)
        {
            json["subtype"] = message.Subtype;
        }

        if (message.User is not null)
        {
            json["user"] = message.User;
        }

        if (message.BotId is not null)
        {
            json["bot_id"] = message.BotId;
        }

        if (message.Username is not null)
        {
            json["username"] = message.Username;
        }

        json["text"] = message.Text;
        json["ts"] = message.Ts;
        return json;
    }

    private IResult? MissingScope(params string[] needed)
    {
        var lacking = needed.Where(s => !Scopes.Contains(s)).ToArray();
        if (lacking.Length == 0)
        {
            return null;
        }

        return Results.Json(new JsonObject
        {
            ["ok"] = false,
            ["error"] = "missing_scope",
            ["needed"] = string.Join(',', lacking),
            ["provided"] = string.Join(',', AllScopes.Where(Scopes.Contains)),
        });
    }

    private int? RateLimited(string method)
    {
        if (!RateLimits.TryGetValue(method, out var limit))
        {
            return null;
        }

        var window = _rateWindows.GetOrAdd(method, _ => new RateWindow());
        lock (window)
        {
            var now = DateTimeOffset.UtcNow;
            if (now - window.Start >= limit.Window)
            {
                window.Start = now;
                window.Count = 0;
            }

            if (window.Count < limit.Requests)
            {
                window.Count++;
                return null;
            }

            return Math.Max(1, (int)Math.Ceiling((window.Start + limit.Window - now).TotalSeconds));
        }
    }

    private static bool TryLimit(Dictionary<string, string> parameters, int fallback, int max, out int limit)
    {
        limit = fallback;
        if (parameters.GetValueOrDefault("limit") is not { Length: > 0 } text)
        {
            return true;
        }

        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 1)
        {
            return false;
        }

        limit = Math.Min(parsed, max);
        return true;
    }

    /// <summary>Query and form parameters; a JSON body (Slack accepts one for write methods) is returned whole.</summary>
    private static async Task<(Dictionary<string, string> Parameters, JsonObject? Body)> ReadParametersAsync(HttpRequest request)
    {
        var parameters = request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal);
        if (request.HasFormContentType)
        {
            var form = await request.ReadFormAsync();
            foreach (var (key, value) in form)
            {
                parameters[key] = value.ToString();
            }
        }
        else if (request.HasJsonContentType())
        {
            try
            {
                return (parameters, await System.Text.Json.JsonSerializer.DeserializeAsync<JsonObject>(request.Body));
            }
            catch (System.Text.Json.JsonException)
            {
                return (parameters, new JsonObject { ["invalid_json"] = true });
            }
        }

        return (parameters, null);
    }

    private IResult PostMessage(Dictionary<string, string> parameters, JsonObject? body)
    {
        if (MissingScope("chat:write") is { } missing)
        {
            return missing;
        }

        if (body?["invalid_json"] is not null)
        {
            return Error("invalid_json");
        }

        var channel = body?["channel"]?.GetValue<string>() ?? parameters.GetValueOrDefault("channel");
        if (string.IsNullOrEmpty(channel))
        {
            return Error("channel_not_found");
        }

        var text = body?["text"]?.GetValue<string>() ?? parameters.GetValueOrDefault("text");
        var blocks = body?["blocks"] as JsonArray;
        if (string.IsNullOrEmpty(text) && (blocks is null || blocks.Count == 0))
        {
            return Error("no_text");
        }

        SlackPost post;
        lock (Data.Sync)
        {
            var ts = $"{Org.Now.ToUnixTimeSeconds()}.{Data.Posts.Count + 1:D6}";
            post = new SlackPost(channel, text, blocks?.DeepClone().AsArray(), ts);
            Data.Posts.Add(post);
        }

        return Ok(new JsonObject { ["channel"] = channel, ["ts"] = post.Ts, ["message"] = new JsonObject { ["text"] = text, ["ts"] = post.Ts } });
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static string EncodeCursor(string value) => Convert.ToBase64String(Encoding.UTF8.GetBytes(value));

    private static string? DecodeCursor(string cursor, string prefix)
    {
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(cursor));
            return text.StartsWith(prefix, StringComparison.Ordinal) ? text[prefix.Length..] : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static IResult Ok(JsonObject body)
    {
        var answer = new JsonObject { ["ok"] = true };
        foreach (var (key, value) in body.ToList())
        {
            body.Remove(key);
            answer[key] = value;
        }

        return Results.Json(answer);
    }

    private static IResult Error(string error) => Results.Json(new JsonObject { ["ok"] = false, ["error"] = error });

    private sealed class RateWindow
    {
        public DateTimeOffset Start { get; set; } = DateTimeOffset.MinValue;

        public int Count { get; set; }
    }
}

/// <summary>A per-method rate limit of the emulator: <paramref name="Requests"/> calls per <paramref name="Window"/>.</summary>
public sealed record SlackRateLimit(int Requests, TimeSpan Window);

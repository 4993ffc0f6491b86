using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Slack;

/// <summary>
/// The Slack Web API methods the plugin calls, over the host's client. Slack answers failures with HTTP
/// 200 and <c>ok:false</c>; those become <see cref="SourceException"/>s saying what to do about them.
/// </summary>
internal sealed class SlackWebApi(HttpClient http, string tokenEnv)
{
    /// <summary><c>conversations.list</c> accepts at most 1000.</summary>
    private const int ListLimit = 1000;

    /// <summary><c>conversations.history</c> accepts at most 999.</summary>
    private const int HistoryLimit = 999;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>Every public and private channel the token can see, archived ones included.</summary>
    public async Task<List<SlackChannel>> ListChannelsAsync(IProgress<SourceProgress> progress, CancellationToken cancellationToken)
    {
        var channels = new List<SlackChannel>();
        var cursor = "";
        do
        {
            var query = $"conversations.list?types=public_channel,private_channel&exclude_archived=false&limit={ListLimit}"
                + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            var page = await CallAsync<ChannelPage>("conversations.list", query, null, cancellationToken);
            if (page.Channels?.Any(c => string.IsNullOrEmpty(c.Id) || c.Name is null) == true)
            {
                throw new SourceException("Slack conversations.list: the answer lists a channel without an id or a name");
            }

            channels.AddRange(page.Channels ?? []);
            progress.Report(new SourceProgress($"channels ({channels.Count} so far)"));
            // A page may hold fewer than `limit` channels while more follow: only an empty cursor ends the list.
            cursor = page.ResponseMetadata?.NextCursor ?? "";
        }
        while (cursor.Length > 0);

        return channels;
    }

    /// <summary>The whole top-level history of <paramref name="channel"/>.</summary>
    public async Task<List<SlackMessage>> HistoryAsync(SlackChannel channel, CancellationToken cancellationToken)
    {
        var messages = new List<SlackMessage>();
        var cursor = "";
        do
        {
            var query = $"conversations.history?channel={Uri.EscapeDataString(channel.Id)}&limit={HistoryLimit}"
                + (cursor.Length > 0 ? "&cursor=" + Uri.EscapeDataString(cursor) : "");
            var page = await CallAsync<HistoryPage>("conversations.history", query, channel, cancellationToken);
            messages.AddRange(page.Messages ?? []);
            cursor = page.HasMore ? page.ResponseMetadata?.NextCursor ?? "" : "";
        }
        while (cursor.Length > 0);

        return messages;
    }

    /// <summary>
    /// When an archived <paramref name="channel"/> was archived, if that was at or after <paramref name="since"/>
    /// (null when earlier, or when its archive message is gone). Nothing can be posted to an archived channel,
    /// so its newest message is its latest archive message: one request at <c>limit=1</c>. A room the bot is
    /// no longer in answers <c>not_in_channel</c>: its close time is unknown, which the caller reports.
    /// </summary>
    public async Task<ArchiveLookup> ArchivedSinceAsync(SlackChannel channel, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var query = $"conversations.history?channel={Uri.EscapeDataString(channel.Id)}"
            + $"&oldest={since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}&inclusive=true&limit=1";
        var page = await CallAsync<HistoryPage>("conversations.history", query, channel, cancellationToken, tolerated: "not_in_channel");
        return !page.Ok ? new ArchiveLookup(Readable: false, null)
            : new ArchiveLookup(Readable: true, page.Messages is [{ Subtype: "channel_archive" } archive, ..] ? SlackSource.ParseTs(archive.Ts) : null);
    }

    private async Task<T> CallAsync<T>(string method, string query, SlackChannel? channel, CancellationToken cancellationToken, string? tolerated = null)
        where T : SlackAnswer
    {
        using var response = await http.GetAsync(query, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new SourceException($"Slack {method}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var answer = await response.ReadJsonAsync<T>("Slack", method, Json, cancellationToken);
        if (!answer.Ok && answer.Error != tolerated)
        {
            throw new SourceException($"Slack {method}: {Explain(answer, channel)}");
        }

        return answer;
    }

    private string Explain(SlackAnswer answer, SlackChannel? channel)
    {
        var where = channel is null ? "" : $" #{channel.Name} ({channel.Id})";
        return answer.Error switch
        {
            "not_authed" => $"no token was sent (not_authed); set {tokenEnv} to the bot token (xoxb-…)",
            "invalid_auth" or "token_revoked" or "token_expired" or "account_inactive" =>
                $"the token was rejected ({answer.Error}); check {tokenEnv}",
            "missing_scope" => $"the token lacks the scope {answer.Needed ?? "(not named)"}"
                + $" (it has {(string.IsNullOrEmpty(answer.Provided) ? "none listed" : answer.Provided)}) (missing_scope);"
                + $" add {answer.Needed ?? "it"} to the Slack app's bot token scopes and reinstall the app",
            "not_in_channel" => $"the bot is not a member of{where} (not_in_channel); invite the bot to the channel or add the channels:history scope",
            "channel_not_found" => $"channel{where} was not found (channel_not_found); the bot may have lost access to it",
            null or "" => "the answer says ok:false without an error code",
            _ => $"the API answered ok:false with error '{answer.Error}'{(where.Length > 0 ? " for" + where : "")}",
        };
    }
}

/// <summary>What every Slack answer carries.</summary>
internal abstract record SlackAnswer
{
    public bool Ok { get; init; }
    public string? Error { get; init; }
    public string? Needed { get; init; }
    public string? Provided { get; init; }
    public ResponseMetadata? ResponseMetadata { get; init; }
}

internal sealed record ResponseMetadata(string? NextCursor);

/// <summary>What one look at an archived channel's newest message told: whether it could be read, and the archive time if recent.</summary>
internal sealed record ArchiveLookup(bool Readable, DateTimeOffset? ArchivedAt);

internal sealed record ChannelPage : SlackAnswer
{
    public List<SlackChannel>? Channels { get; init; }
}

internal sealed record HistoryPage : SlackAnswer
{
    public List<SlackMessage>? Messages { get; init; }
    public bool HasMore { get; init; }
}

/// <summary>A conversation as <c>conversations.list</c> describes it.</summary>
internal sealed record SlackChannel(string Id, string Name, long Created, bool IsArchived, bool IsPrivate)
{
    public SlackText? Purpose { get; init; }

    [JsonIgnore]
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeSeconds(Created);
}

internal sealed record SlackText(string? Value);

/// <summary>A history message; <see cref="Ts"/> is Unix seconds with six decimals.</summary>
internal sealed record SlackMessage(string Ts, string? Subtype, string? User);

using System.Globalization;

namespace OkrHost.Sandbox.Slack;

/// <summary>
/// The workspace the Slack emulator serves. Tests may edit it after the sandbox starts (add a channel,
/// drop a message); take <see cref="Sync"/> around edits made while a plugin is running.
/// </summary>
public sealed class SlackData
{
    /// <summary>Lock guarding <see cref="Channels"/> and every channel's messages.</summary>
    public object Sync { get; } = new();

    /// <summary>Every conversation of the workspace, in the order <c>conversations.list</c> walks them.</summary>
    public List<SlackChannel> Channels { get; } = [];

    /// <summary>Messages posted with <c>chat.postMessage</c>, oldest first (take <see cref="Sync"/> to read).</summary>
    public List<SlackPost> Posts { get; } = [];

    /// <summary>The workspace's members: display name by user id (<c>U…</c>).</summary>
    public Dictionary<string, string> Users { get; } = new(StringComparer.Ordinal);

    /// <summary>The channel with <paramref name="id"/>, or null.</summary>
    public SlackChannel? Find(string id)
    {
        lock (Sync)
        {
            return Channels.Find(c => c.Id == id);
        }
    }
}

/// <summary>A public or private channel.</summary>
public sealed class SlackChannel
{
    /// <summary>Channel id (<c>C…</c>).</summary>
    public required string Id { get; init; }

    /// <summary>Channel name, without '#'.</summary>
    public required string Name { get; set; }

    /// <summary>When it was created; Slack serves whole Unix seconds.</summary>
    public required DateTimeOffset Created { get; set; }

    /// <summary>User id of the creator.</summary>
    public required string Creator { get; init; }

    /// <summary>Private channel (needs <c>groups:read</c> / <c>groups:history</c>).</summary>
    public bool IsPrivate { get; set; }

    /// <summary>Archived.</summary>
    public bool IsArchived { get; set; }

    /// <summary>Whether the bot is a member; <c>conversations.history</c> answers <c>not_in_channel</c> otherwise.</summary>
    public bool IsMember { get; set; } = true;

    /// <summary>The channel's purpose text (user text).</summary>
    public string Purpose { get; set; } = "";

    /// <summary>The channel's topic text (user text).</summary>
    public string Topic { get; set; } = "";

    /// <summary>Top-level messages, oldest first, with distinct <see cref="SlackMessage.Ts"/>.</summary>
    public List<SlackMessage> Messages { get; } = [];
}

/// <summary>A top-level message in a channel's history.</summary>
/// <param name="Ts">Slack's message timestamp, <c>"1700000000.000100"</c>.</param>
/// <param name="User">Author's user id; null for legacy bot messages.</param>
/// <param name="Text">Text (user text).</param>
/// <param name="Subtype">Slack's subtype (<c>channel_join</c>, <c>bot_message</c>, <c>channel_archive</c>…), null for plain messages.</param>
public sealed record SlackMessage(string Ts, string? User, string Text, string? Subtype = null)
{
    /// <summary>Bot id of a <c>bot_message</c>.</summary>
    public string? BotId { get; init; }

    /// <summary>Bot display name of a <c>bot_message</c>.</summary>
    public string? Username { get; init; }

    /// <summary>The instant of <see cref="Ts"/>.</summary>
    public DateTimeOffset At => SlackTs.Parse(Ts);
}

/// <summary>Slack's <c>ts</c> strings: Unix seconds with six decimals.</summary>
public static class SlackTs
{
    /// <summary>Formats <paramref name="at"/> with <paramref name="micros"/> as the decimals that keep it unique.</summary>
    public static string Format(DateTimeOffset at, int micros = 0) =>
        string.Create(CultureInfo.InvariantCulture, $"{at.ToUnixTimeSeconds()}.{micros:D6}");

    /// <summary>Parses a ts to its instant (microsecond precision).</summary>
    public static DateTimeOffset Parse(string ts)
    {
        var seconds = decimal.Parse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }
}

/// <summary>A message posted with <c>chat.postMessage</c>: the fallback text and the Block Kit blocks as sent.</summary>
public sealed record SlackPost(string Channel, string? Text, System.Text.Json.Nodes.JsonArray? Blocks, string Ts);

using System.Composition;
using System.Globalization;
using System.Net.Http.Headers;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Slack;

/// <summary>
/// War rooms in Slack (PRODUCT.md 6.3): channels whose name matches <c>warRoomPattern</c>, opened when
/// created, closed when archived (at the <c>ts</c> of their <c>channel_archive</c> message).
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("slack", "Slack", DefaultTokenEnv = DefaultTokenEnv,
    TokenHelp = "A bot token (xoxb-...) of a Slack app with the bot token scopes channels:read, groups:read, channels:history and groups:history, installed to the workspace and invited to private war rooms. Create the app at api.slack.com/apps; the token is under OAuth & Permissions.")]
public sealed class SlackSource : ISourcePlugin
{
    /// <summary>Where the bot token is read from by default.</summary>
    public const string DefaultTokenEnv = "SLACK_BOT_TOKEN";

    private const int HistoryConcurrency = 4;

    /// <inheritdoc/>
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("slack.war_rooms_opened", "War rooms opened", MetricUnit.Count,
            "War-room channels (name matches warRoomPattern) created in the period.") { HigherIsBetter = false },
        new("slack.war_rooms_open", "War rooms open now", MetricUnit.Count,
            "War-room channels not archived now.") { HigherIsBetter = false, IsPointInTime = true },
        new("slack.war_room_duration_hours.p50", "War-room duration (median)", MetricUnit.Hours,
            "Median of archive time (ts of the channel_archive message) − created, over war rooms opened in the period and closed by now.") { HigherIsBetter = false },
        new("slack.war_room_messages", "War-room messages", MetricUnit.Count,
            "Top-level messages without a subtype in war rooms opened in the period, whenever posted."),
        new("slack.war_room_participants", "War-room participants", MetricUnit.Count,
            "Distinct users who posted those messages."),
    ];

    /// <inheritdoc/>
    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<SettingProblem>();
        SlackSettings.Read(settings, problems, out _, out _);
        return problems;
    }

    /// <inheritdoc/>
    public async Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<SettingProblem>();
        var settings = SlackSettings.Read(context.Settings, problems, out var warRoomPattern, out var baseUri);
        if (warRoomPattern is null || baseUri is null)
        {
            throw new SourceException("Slack: invalid settings: " + string.Join("; ", problems.Where(p => p.Kind == SettingProblemKind.Invalid).Select(p => $"{p.JsonPath} {p.Message}")));
        }

        using var http = context.Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = baseUri,
            Authorization = context.Settings.Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null,
        });
        var api = new SlackWebApi(http, settings.TokenEnv);

        context.Progress.Report(new SourceProgress("channels"));
        var channels = await api.ListChannelsAsync(context.Progress, cancellationToken);
        var warRooms = channels.Where(c => warRoomPattern.IsMatch(c.Name)).DistinctBy(c => c.Id).ToList();

        // War rooms opened in the period or the one before need their whole history (messages, close time).
        // Of the rest, only archived ones opened before the previous period can have closed inside the two
        // periods (postmortem coverage counts them whenever they were opened); their newest message since
        // the previous period's start is the archive message, if they closed in time. Rooms opened after
        // the period or still open need nothing: "open now" comes from the list alone.
        var span = new ReportPeriod(context.PreviousPeriod.From, context.Period.To);
        var needed = warRooms.Where(c => span.Contains(c.CreatedAt)).ToList();
        var olderArchived = warRooms.Where(c => c.IsArchived && c.CreatedAt < span.From).ToList();
        var rooms = new Dictionary<string, WarRoom>(StringComparer.Ordinal);
        var closedEarlier = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var unreadable = new List<SlackChannel>();
        var done = 0;
        var total = needed.Count + olderArchived.Count;
        await Parallel.ForEachAsync(
            needed.Concat(olderArchived),
            new ParallelOptions { MaxDegreeOfParallelism = HistoryConcurrency, CancellationToken = cancellationToken },
            async (channel, ct) =>
            {
                if (span.Contains(channel.CreatedAt))
                {
                    var room = WarRoom.From(channel, await api.HistoryAsync(channel, ct));
                    lock (rooms)
                    {
                        rooms[channel.Id] = room;
                    }
                }
                else
                {
                    var lookup = await api.ArchivedSinceAsync(channel, span.From, ct);
                    lock (rooms)
                    {
                        if (!lookup.Readable)
                        {
                            unreadable.Add(channel);
                        }
                        else if (lookup.ArchivedAt is { } archivedAt)
                        {
                            closedEarlier[channel.Id] = archivedAt;
                        }
                    }
                }

                lock (rooms)
                {
                    context.Progress.Report(new SourceProgress("war-room histories", ++done, total));
                }
            });

        var now = context.Clock.GetUtcNow();
        var known = needed.Select(c => rooms[c.Id]).OrderBy(r => r.Channel.CreatedAt).ThenBy(r => r.Channel.Name, StringComparer.Ordinal).ToList();
        var result = new SourceResult { DataAsOf = known.SelectMany(r => r.LastActivity is { } at ? [at] : Array.Empty<DateTimeOffset>()).DefaultIfEmpty(now).Max() };
        AddMetrics(result, context, warRooms, known);
        AddEvents(result, warRooms, rooms, closedEarlier);
        AddSection(result, context.Period, known);
        AddNotes(result, context, warRooms, known, unreadable);
        return result;
    }

    private static void AddMetrics(SourceResult result, SourceContext context, List<SlackChannel> warRooms, List<WarRoom> known)
    {
        List<WarRoom> OpenedIn(ReportPeriod period) => known.Where(r => period.Contains(r.Channel.CreatedAt)).ToList();
        var current = OpenedIn(context.Period);
        var previous = OpenedIn(context.PreviousPeriod);

        result.Metrics.Add(new("slack.war_rooms_opened", current.Count, previous.Count));
        result.Metrics.Add(new("slack.war_rooms_open", warRooms.Count(c => !c.IsArchived), null));
        result.Metrics.Add(new("slack.war_room_duration_hours.p50", MedianDuration(current), MedianDuration(previous)));
        result.Metrics.Add(new("slack.war_room_messages", current.Sum(r => r.Messages), previous.Sum(r => r.Messages)));
        result.Metrics.Add(new("slack.war_room_participants", Participants(current), Participants(previous)));
    }

    private static double? MedianDuration(List<WarRoom> rooms) =>
        MetricMath.Median(rooms.Where(r => r.ClosedAt is not null).Select(r => r.Duration!.Value.TotalHours));

    private static int Participants(List<WarRoom> rooms) => rooms.SelectMany(r => r.Participants).Distinct(StringComparer.Ordinal).Count();

    /// <summary>
    /// One event per war room whose state matters to the two periods: every open one, every archived one
    /// opened in the two periods whose archive time was read, and every older one archived inside them.
    /// Older rooms archived before the previous period are left out rather than shown as open.
    /// </summary>
    private static void AddEvents(SourceResult result, List<SlackChannel> warRooms, Dictionary<string, WarRoom> rooms, Dictionary<string, DateTimeOffset> closedEarlier)
    {
        foreach (var channel in warRooms)
        {
            DateTimeOffset? closed = !channel.IsArchived ? null
                : rooms.TryGetValue(channel.Id, out var room) ? room.ClosedAt
                : closedEarlier.TryGetValue(channel.Id, out var archivedAt) ? archivedAt
                : null;
            if (!channel.IsArchived || closed is not null)
            {
                result.Events.Add(new IncidentEvent(channel.Id, channel.Name, channel.CreatedAt, closed));
            }
        }
    }

    private static void AddSection(SourceResult result, ReportPeriod period, List<WarRoom> known)
    {
        result.Series.Add(MetricMath.Series(
            "war-rooms-weekly", "War rooms opened per week", MetricUnit.Count, period, SeriesBucket.Week,
            known, r => r.Channel.CreatedAt, items => items.Count));

        var rows = known.Where(r => period.Contains(r.Channel.CreatedAt)).Select(r => (IReadOnlyList<TableCell>)
        [
            r.Channel.Name,
            r.Channel.Purpose?.Value ?? "",
            r.Channel.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            r.Duration is { } duration ? duration.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)
                : r.Channel.IsArchived ? "archived, close time unknown" : "open",
            r.Messages.ToString(CultureInfo.InvariantCulture),
            r.Participants.Count.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        result.Tables.Add(new DataTable(
            "war-rooms", "War rooms opened in the period", ["War room", "Purpose", "Opened", "Duration (h)", "Messages", "Participants"], rows));
    }

    private static void AddNotes(SourceResult result, SourceContext context, List<SlackChannel> warRooms, List<WarRoom> known, List<SlackChannel> unreadable)
    {
        if (unreadable.Count > 0)
        {
            result.Notes.Add(
                $"{unreadable.Count} archived war room(s) opened before the previous period cannot be read by the bot "
                + $"({string.Join(", ", unreadable.Select(c => "#" + c.Name).Order(StringComparer.Ordinal))}, not_in_channel): "
                + "if they closed in the period, postmortem coverage leaves them out; invite the bot to count them.");
        }

        if (warRooms.Count == 0)
        {
            result.Notes.Add("No channel the bot can see matches warRoomPattern; check the pattern and that the bot is in private war rooms.");
        }

        var unknownClose = known.Where(r => r.Channel.IsArchived && r.ClosedAt is null).Select(r => "#" + r.Channel.Name).ToList();
        if (unknownClose.Count > 0)
        {
            result.Notes.Add(
                $"{unknownClose.Count} archived war room(s) have no channel_archive message in their history ({string.Join(", ", unknownClose)}): "
                + "their close time is unknown, so they are left out of the durations.");
        }

        var stillOpen = known.Count(r => context.Period.Contains(r.Channel.CreatedAt) && !r.Channel.IsArchived);
        if (stillOpen > 0)
        {
            result.Notes.Add($"{stillOpen} war room(s) opened in the period are still open and are left out of the median duration.");
        }
    }

    /// <summary>A war room with what its history says.</summary>
    private sealed record WarRoom(SlackChannel Channel, DateTimeOffset? ClosedAt, int Messages, IReadOnlyCollection<string> Participants, DateTimeOffset? LastActivity)
    {
        public TimeSpan? Duration => ClosedAt - Channel.CreatedAt;

        public static WarRoom From(SlackChannel channel, List<SlackMessage> history)
        {
            // Archiving leaves a channel_archive message; unarchived-then-rearchived rooms keep the latest.
            var archivedAt = channel.IsArchived
                ? history.Where(m => m.Subtype == "channel_archive").Select(m => (DateTimeOffset?)ParseTs(m.Ts)).Max()
                : null;
            var counted = history.Where(m => m.Subtype is null).ToList();
            var participants = counted.Where(m => !string.IsNullOrEmpty(m.User)).Select(m => m.User!).ToHashSet(StringComparer.Ordinal);
            var last = history.Count == 0 ? (DateTimeOffset?)null : history.Max(m => ParseTs(m.Ts));
            return new WarRoom(channel, archivedAt, counted.Count, participants, last);
        }
    }

    internal static DateTimeOffset ParseTs(string ts)
    {
        if (!decimal.TryParse(ts, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var seconds))
        {
            throw new SourceException($"Slack conversations.history: a message has an unreadable ts '{ts}'");
        }

        return DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
    }
}

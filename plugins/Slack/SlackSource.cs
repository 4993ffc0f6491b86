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
[SourcePlugin("slack", "Slack", DefaultTokenEnv = DefaultTokenEnv, DefaultBaseUrl = "https://slack.com/api/",
    TokenHelp = "A bot token (xoxb-...) of a Slack app with the bot token scopes channels:read, groups:read, channels:history and groups:history, installed to the workspace and invited to private war rooms. Create the app at api.slack.com/apps; the token is under OAuth & Permissions.")]
public sealed class SlackSource : SourcePlugin<SlackSettings>
{
    /// <summary>Where the bot token is read from by default.</summary>
    public const string DefaultTokenEnv = "SLACK_BOT_TOKEN";

    private const int HistoryConcurrency = 4;

    /// <inheritdoc/>
    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(WarRoomFact), typeof(WarRoomCensusFact), typeof(IncidentFact)];

    /// <inheritdoc/>
    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
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
    protected override void Validate(SlackSettings settings, SourceSettings source, List<Problem> problems) =>
        settings.WarRoomRegex(source, problems);

    /// <inheritdoc/>
    protected override async Task<FactSet> CollectAsync(SlackSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var warRoomPattern = settings.WarRoomRegex(context.Settings, [])
            ?? throw new SourceException("Slack: invalid settings: warRoomPattern is not a valid regular expression");
        var baseUrl = context.Settings.BaseUrl ?? throw new SourceException("Slack: no baseUrl");
        using var http = context.Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"),
            Authorization = context.Settings.Token is { Length: > 0 } token ? new AuthenticationHeaderValue("Bearer", token) : null,
        });
        var api = new SlackWebApi(http, context.Settings.TokenEnv ?? DefaultTokenEnv);

        context.Progress.Report(new SourceProgress("channels"));
        var channels = await api.ListChannelsAsync(context.Progress, cancellationToken);
        var warRooms = channels.Where(c => warRoomPattern.IsMatch(c.Name)).DistinctBy(c => c.Id).ToList();

        // Only war rooms opened in the fetch window need their history (close time, messages); "open
        // now" comes from the list alone.
        // Of the rest, only archived ones opened before the window can have closed inside it (postmortem
        // coverage counts them whenever they were opened); their newest message since the window's start is
        // the archive message, if they closed in time. Rooms opened after it or still open need nothing.
        var window = context.FetchWindow;
        var needed = warRooms.Where(c => window.Contains(c.CreatedAt)).ToList();
        var olderArchived = warRooms.Where(c => c.IsArchived && c.CreatedAt < window.From).ToList();
        var rooms = new Dictionary<string, WarRoomFact>(StringComparer.Ordinal);
        var closedEarlier = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var unreadable = new List<SlackChannel>();
        var done = 0;
        var total = needed.Count + olderArchived.Count;
        var now = context.Clock.GetUtcNow();
        await Parallel.ForEachAsync(
            needed.Concat(olderArchived),
            new ParallelOptions { MaxDegreeOfParallelism = HistoryConcurrency, CancellationToken = cancellationToken },
            async (channel, ct) =>
            {
                if (window.Contains(channel.CreatedAt))
                {
                    var room = ToFact(channel, await api.HistoryAsync(channel, ct), now);
                    lock (rooms)
                    {
                        rooms[channel.Id] = room;
                    }
                }
                else
                {
                    var lookup = await api.ArchivedSinceAsync(channel, window.From, ct);
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

        return new FactSet
        {
            Window = context.FetchWindow,
            CollectedAt = now,
            Facts =
            [
                .. needed.Select(c => rooms[c.Id]).OrderBy(r => r.OpenedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
                new WarRoomCensusFact(WarRoomCensusFact.FixedId, warRooms.Count, warRooms.Count(c => !c.IsArchived)) { UpdatedAt = now },
                .. Incidents(warRooms, rooms, closedEarlier, now),
            ],
            Notes = unreadable.Count == 0 ? [] :
            [
                $"{unreadable.Count} archived war room(s) opened before the previous period cannot be read by the bot "
                + $"({string.Join(", ", unreadable.Select(c => "#" + c.Name).Order(StringComparer.Ordinal))}, not_in_channel): "
                + "if they closed in the period, postmortem coverage leaves them out; invite the bot to count them.",
            ],
        };
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var period = window.Period;
        var known = facts.Facts.OfType<WarRoomFact>().OrderBy(r => r.OpenedAt).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var census = facts.Facts.OfType<WarRoomCensusFact>().SingleOrDefault();
        var current = known.Where(r => period.Contains(r.OpenedAt)).ToList();

        var result = new SourceComputation();
        result.Metrics.Add(new("slack.war_rooms_opened", current.Count));
        result.Metrics.Add(new("slack.war_rooms_open", census?.Open));
        result.Metrics.Add(MetricValue.Median("slack.war_room_duration_hours.p50", current.Where(r => r.ClosedAt is not null).Select(r => r.Duration!.Value.TotalHours).ToArray()));
        result.Metrics.Add(new("slack.war_room_messages", current.Sum(r => r.Messages)));
        result.Metrics.Add(new("slack.war_room_participants", current.SelectMany(r => r.Participants).Distinct(StringComparer.Ordinal).Count()));
        if (!window.WithSection)
        {
            return result;
        }

        // Remarks and freshness look at the war rooms of the period and the one before, as the metrics do.
        var span = new ReportPeriod(period.Previous.From, period.To);
        var recent = known.Where(r => span.Contains(r.OpenedAt)).ToList();
        result.DataAsOf = recent.SelectMany(r => r.LastActivity is { } at ? [at] : Array.Empty<DateTimeOffset>()).DefaultIfEmpty(facts.CollectedAt).Max();
        AddSection(result, period, current);
        AddNotes(result, census, recent, current);
        return result;
    }

    private static void AddSection(SourceComputation result, ReportPeriod period, List<WarRoomFact> current)
    {
        result.Series.Add(MetricMath.Series(
            "war-rooms-weekly", "War rooms opened per week", MetricUnit.Count, period, SeriesBucket.Week,
            current, r => r.OpenedAt, items => items.Count));

        var rows = current.Select(r => (IReadOnlyList<TableCell>)
        [
            r.Name,
            r.Purpose,
            r.OpenedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            r.Duration is { } duration ? duration.TotalHours.ToString("0.0", CultureInfo.InvariantCulture)
                : r.IsArchived ? "archived, close time unknown" : "open",
            r.Messages.ToString(CultureInfo.InvariantCulture),
            r.Participants.Count.ToString(CultureInfo.InvariantCulture),
        ]).ToList();
        result.Tables.Add(new DataTable(
            "war-rooms", "War rooms opened in the period", ["War room", "Purpose", "Opened", "Duration (h)", "Messages", "Participants"], rows));
    }

    private static void AddNotes(SourceComputation result, WarRoomCensusFact? census, List<WarRoomFact> recent, List<WarRoomFact> current)
    {
        if (census is { Seen: 0 })
        {
            result.Notes.Add("No channel the bot can see matches warRoomPattern; check the pattern and that the bot is in private war rooms.");
        }

        var unknownClose = recent.Where(r => r.IsArchived && r.ClosedAt is null).Select(r => "#" + r.Name).ToList();
        if (unknownClose.Count > 0)
        {
            result.Notes.Add(
                $"{unknownClose.Count} archived war room(s) have no channel_archive message in their history ({string.Join(", ", unknownClose)}): "
                + "their close time is unknown, so they are left out of the durations.");
        }

        var stillOpen = current.Count(r => !r.IsArchived);
        if (stillOpen > 0)
        {
            result.Notes.Add($"{stillOpen} war room(s) opened in the period are still open and are left out of the median duration.");
        }
    }

    /// <summary>
    /// One incident per war room whose state is known: open ones, archived ones of the window whose archive
    /// time was read, and older ones archived inside the window. An archived room whose close time is
    /// unknown (no channel_archive message, or closed before the window) is left out rather than shown as open.
    /// </summary>
    private static IEnumerable<IncidentFact> Incidents(
        List<SlackChannel> warRooms, Dictionary<string, WarRoomFact> rooms, Dictionary<string, DateTimeOffset> closedEarlier, DateTimeOffset now)
    {
        foreach (var channel in warRooms)
        {
            DateTimeOffset? closed = !channel.IsArchived ? null
                : rooms.TryGetValue(channel.Id, out var room) ? room.ClosedAt
                : closedEarlier.TryGetValue(channel.Id, out var archivedAt) ? archivedAt
                : null;
            if (!channel.IsArchived || closed is not null)
            {
                yield return new IncidentFact(channel.Id, channel.Name, channel.CreatedAt, closed) { UpdatedAt = now };
            }
        }
    }

    /// <summary>A war room with what its history says.</summary>
    private static WarRoomFact ToFact(SlackChannel channel, List<SlackMessage> history, DateTimeOffset now)
    {
        // Archiving leaves a channel_archive message; unarchived-then-rearchived rooms keep the latest.
        var archivedAt = channel.IsArchived
            ? history.Where(m => m.Subtype == "channel_archive").Select(m => (DateTimeOffset?)ParseTs(m.Ts)).Max()
            : null;
        var counted = history.Where(m => m.Subtype is null).ToList();
        var participants = counted.Where(m => !string.IsNullOrEmpty(m.User)).Select(m => m.User!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var last = history.Count == 0 ? (DateTimeOffset?)null : history.Max(m => ParseTs(m.Ts));
        return new WarRoomFact(channel.Id, channel.Name, channel.CreatedAt, archivedAt)
        {
            Purpose = channel.Purpose?.Value ?? "",
            IsArchived = channel.IsArchived,
            Messages = counted.Count,
            Participants = participants,
            LastActivity = last,
            UpdatedAt = now,
        };
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

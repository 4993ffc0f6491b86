using System.Composition;
using System.Globalization;
using System.Net.Http.Headers;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

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
    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(WarRoomFact), typeof(WarRoomCensusFact), typeof(IncidentFact), typeof(WarRoomArchiveFact)];

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
        // The list is read every run: only it shows new and newly archived war rooms. A stored collection's
        // reading of a room is reused only once the room is archived, because nothing can be posted to an
        // archived channel; Slack gives channels no update time, so nothing else can be trusted to be unchanged.
        var window = context.FetchWindow;
        var known = new KnownWarRooms(context.Known);
        var rooms = new Dictionary<string, WarRoomFact>(StringComparer.Ordinal);
        var archives = new Dictionary<string, WarRoomArchiveFact>(StringComparer.Ordinal);
        var toRead = new List<SlackChannel>();
        foreach (var channel in warRooms)
        {
            if (window.Contains(channel.CreatedAt))
            {
                Reuse(rooms, channel, known.ClosedRoom(channel), toRead);
            }
            else if (channel.IsArchived && channel.CreatedAt < window.From)
            {
                Reuse(archives, channel, known.Archive(channel, window.From), toRead);
            }
        }

        var done = 0;
        var now = context.Clock.GetUtcNow();
        await Parallel.ForEachAsync(
            toRead,
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
                        archives[channel.Id] = new WarRoomArchiveFact(channel.Id, channel.Name, lookup.ArchivedAt, window.From, lookup.Readable) { UpdatedAt = now };
                    }
                }

                lock (rooms)
                {
                    context.Progress.Report(new SourceProgress("war-room histories", ++done, toRead.Count));
                }
            });

        var unreadable = archives.Values.Where(a => !a.Readable).Select(a => "#" + a.Name).Order(StringComparer.Ordinal).ToList();
        return new FactSet
        {
            Window = context.FetchWindow,
            CollectedAt = now,
            Facts =
            [
                .. rooms.Values.OrderBy(r => r.OpenedAt).ThenBy(r => r.Name, StringComparer.Ordinal),
                new WarRoomCensusFact(WarRoomCensusFact.FixedId, warRooms.Count, warRooms.Count(c => !c.IsArchived)) { UpdatedAt = now },
                .. Incidents(warRooms, rooms, archives, window.From, now),
                .. warRooms.Where(c => archives.ContainsKey(c.Id)).Select(c => archives[c.Id]),
            ],
            Notes = unreadable.Count == 0 ? [] :
            [
                $"{unreadable.Count} archived war room(s) opened before the previous period cannot be read by the bot "
                + $"({string.Join(", ", unreadable)}, not_in_channel): "
                + "if they closed in the period, postmortem coverage leaves them out; invite the bot to count them.",
            ],
        };
    }

    /// <summary>Takes the stored reading of <paramref name="channel"/> when there is one, else queues the channel to be read.</summary>
    private static void Reuse<T>(Dictionary<string, T> into, SlackChannel channel, T? known, List<SlackChannel> toRead)
        where T : Fact
    {
        if (known is null)
        {
            toRead.Add(channel);
        }
        else
        {
            into[channel.Id] = known;
        }
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var period = window.Period;
        var known = facts.Facts.OfType<WarRoomFact>().OrderBy(r => r.OpenedAt).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        var census = facts.Facts.OfType<WarRoomCensusFact>().SingleOrDefault();
        var current = known.Where(r => period.Contains(r.OpenedAt)).ToList();

        MetricValue[] metrics =
        [
            new("slack.war_rooms_opened", current.Count),
            new("slack.war_rooms_open", census?.Open),
            MetricValue.Median("slack.war_room_duration_hours.p50", current.Where(r => r.ClosedAt is not null).Select(r => r.Duration!.Value.TotalHours).ToArray()),
            new("slack.war_room_messages", current.Sum(r => r.Messages)),
            new("slack.war_room_participants", current.SelectMany(r => r.Participants).Distinct(StringComparer.Ordinal).Count()),
        ];
        if (!window.WithSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        // Remarks and freshness look at the war rooms of the period and the one before, as the metrics do.
        var span = new ReportPeriod(period.Previous.From, period.To);
        var recent = known.Where(r => span.Contains(r.OpenedAt)).ToList();
        return new SourceComputation
        {
            Metrics = metrics,
            Series =
            [
                MetricMath.Series("war-rooms-weekly", "War rooms opened per week", MetricUnit.Count, period, SeriesBucket.Week,
                    current, r => r.OpenedAt, items => items.Count),
            ],
            Tables = [WarRoomTable(current)],
            Notes = Notes(census, recent, current),
            DataAsOf = recent.SelectMany(r => r.LastActivity is { } at ? [at] : Array.Empty<DateTimeOffset>()).DefaultIfEmpty(facts.CollectedAt).Max(),
        };
    }

    private static DataTable WarRoomTable(List<WarRoomFact> current)
    {
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
        return new DataTable(
            "war-rooms", "War rooms opened in the period", ["War room", "Purpose", "Opened", "Duration (h)", "Messages", "Participants"], rows);
    }

    private static List<string> Notes(WarRoomCensusFact? census, List<WarRoomFact> recent, List<WarRoomFact> current)
    {
        var notes = new List<string>();
        if (census is { Seen: 0 })
        {
            notes.Add("No channel the bot can see matches warRoomPattern; check the pattern and that the bot is in private war rooms.");
        }

        var unknownClose = recent.Where(r => r.IsArchived && r.ClosedAt is null).Select(r => "#" + r.Name).ToList();
        if (unknownClose.Count > 0)
        {
            notes.Add(
                $"{unknownClose.Count} archived war room(s) have no channel_archive message in their history ({string.Join(", ", unknownClose)}): "
                + "their close time is unknown, so they are left out of the durations.");
        }

        var stillOpen = current.Count(r => !r.IsArchived);
        if (stillOpen > 0)
        {
            notes.Add($"{stillOpen} war room(s) opened in the period are still open and are left out of the median duration.");
        }

        return notes;
    }

    /// <summary>
    /// One incident per war room whose state is known: open ones, archived ones of the window whose archive
    /// time was read, and older ones archived inside the window. An archived room whose close time is
    /// unknown (no channel_archive message, or closed before the window) is left out rather than shown as open.
    /// </summary>
    private static IEnumerable<IncidentFact> Incidents(
        List<SlackChannel> warRooms, Dictionary<string, WarRoomFact> rooms, Dictionary<string, WarRoomArchiveFact> archives, DateTimeOffset from, DateTimeOffset now)
    {
        foreach (var channel in warRooms)
        {
            DateTimeOffset? closed = !channel.IsArchived ? null
                : rooms.TryGetValue(channel.Id, out var room) ? room.ClosedAt
                : archives.TryGetValue(channel.Id, out var archive) && archive.ArchivedAt >= from ? archive.ArchivedAt
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

    /// <summary>
    /// What a stored collection read that Slack cannot have changed since: the histories of war rooms that
    /// were archived then and still are. One unarchived and archived again in between keeps its stored close
    /// time (a known limit): the list cannot tell it apart, only its whole history could.
    /// </summary>
    private sealed class KnownWarRooms(FactSet? known)
    {
        private readonly Dictionary<string, WarRoomFact> _archivedRooms =
            (known?.Facts.OfType<WarRoomFact>() ?? []).Where(r => r.IsArchived).ToDictionary(r => r.Id, StringComparer.Ordinal);

        private readonly Dictionary<string, WarRoomArchiveFact> _archives =
            (known?.Facts.OfType<WarRoomArchiveFact>() ?? []).Where(a => a.Readable).ToDictionary(a => a.Id, StringComparer.Ordinal);

        /// <summary>The stored reading of a war room archived then and now, under its current name and purpose.</summary>
        public WarRoomFact? ClosedRoom(SlackChannel channel) =>
            channel.IsArchived && _archivedRooms.TryGetValue(channel.Id, out var room)
                ? room with { Name = channel.Name, Purpose = channel.Purpose?.Value ?? "" }
                : null;

        /// <summary>
        /// When an archived war room opened before <paramref name="from"/> was archived, as far as windows
        /// starting at <paramref name="from"/> care, if a stored look at it (or its whole stored history) answers that.
        /// </summary>
        public WarRoomArchiveFact? Archive(SlackChannel channel, DateTimeOffset from)
        {
            if (_archives.TryGetValue(channel.Id, out var archive) && archive.Since <= from)
            {
                return archive with { Name = channel.Name };
            }

            return ClosedRoom(channel) is { } room
                ? new WarRoomArchiveFact(channel.Id, channel.Name, room.ClosedAt, room.OpenedAt, Readable: true) { UpdatedAt = room.UpdatedAt }
                : null;
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

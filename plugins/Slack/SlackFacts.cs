using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.Slack;

/// <summary>
/// A war room whose history was read. Closed at the <c>ts</c> of its latest <c>channel_archive</c>
/// message; <c>ClosedAt</c> is null while open and for an archived room without that message. The
/// shared <see cref="IncidentFact"/>s are emitted beside these, only for war rooms whose state is known.
/// </summary>
/// <param name="Id">The channel id.</param>
/// <param name="Name">The channel name.</param>
/// <param name="OpenedAt">When the channel was created.</param>
/// <param name="ClosedAt">When it was archived, when known.</param>
[FactKind("slack.war-room")]
public sealed record WarRoomFact(string Id, string Name, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt) : Fact(Id)
{
    /// <summary>The channel's purpose.</summary>
    public string Purpose { get; init; } = "";

    /// <summary>Whether the channel is archived.</summary>
    public bool IsArchived { get; init; }

    /// <summary>Top-level messages without a subtype.</summary>
    public int Messages { get; init; }

    /// <summary>Distinct users who posted those messages.</summary>
    public IReadOnlyList<string> Participants { get; init; } = [];

    /// <summary>The newest message's time, if any.</summary>
    public DateTimeOffset? LastActivity { get; init; }

    /// <summary>Close − open, for a war room whose close time is known.</summary>
    public TimeSpan? Duration => ClosedAt - OpenedAt;
}

/// <summary>
/// The war rooms seen now (point in time, one per collection: the newest wins a merge): how many match
/// the pattern and how many of them are not archived.
/// </summary>
/// <param name="Id">Always <see cref="FixedId"/>.</param>
/// <param name="Seen">Channels matching warRoomPattern, archived or not.</param>
/// <param name="Open">Of those, the ones not archived.</param>
[FactKind("slack.war-room-census")]
public sealed record WarRoomCensusFact(string Id, int Seen, int Open) : Fact(Id)
{
    /// <summary>The one id of this kind.</summary>
    public const string FixedId = "now";
}

/// <summary>
/// An archived war room opened before the fetch window, as one look at its newest message found it (or as
/// its whole history, when an earlier collection read it). Postmortem coverage needs its close when that
/// falls in the window; later collections reuse the answer instead of asking again, since an archived
/// channel's history cannot change.
/// </summary>
/// <param name="Id">The channel id.</param>
/// <param name="Name">The channel name.</param>
/// <param name="ArchivedAt">When it was archived, when that is at or after <paramref name="Since"/>; null when earlier or unknown.</param>
/// <param name="Since">From when its messages were read: the answer holds for every window starting then or later.</param>
/// <param name="Readable">False when the bot may not read it (<c>not_in_channel</c>): its close time is unknown.</param>
[FactKind("slack.war-room-archive")]
public sealed record WarRoomArchiveFact(string Id, string Name, DateTimeOffset? ArchivedAt, DateTimeOffset Since, bool Readable) : Fact(Id);

using OkrHost.Contracts;

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

using System.Text.Json.Serialization;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>An annotation carrying every drift tag or every finding tag (or both).</summary>
/// <param name="Id">Grafana's annotation id.</param>
/// <param name="Time">Start, epoch ms.</param>
/// <param name="TimeEnd">End, epoch ms; equal to <paramref name="Time"/> (or 0) for a point annotation.</param>
/// <param name="Tags">Its tags.</param>
/// <param name="Text">Its text.</param>
/// <param name="Link">Link to its dashboard panel around its time, when it has a dashboard.</param>
/// <param name="IsDrift">Whether it carries every tag of driftTags.</param>
/// <param name="IsFinding">Whether it carries every tag of findingTags.</param>
[FactKind("grafana.annotation")]
public sealed record GrafanaAnnotationFact(string Id, long Time, long TimeEnd, IReadOnlyList<string> Tags, string Text, string? Link, bool IsDrift, bool IsFinding)
    : Fact(Id)
{
    /// <summary>Start.</summary>
    [JsonIgnore]
    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(Time);

    /// <summary>Hours from start to end for a region; <c>null</c> for a point annotation.</summary>
    [JsonIgnore]
    public double? RegionHours => TimeEnd > Time ? (TimeEnd - Time) / 3_600_000d : null;
}

/// <summary>The alerts firing now (point in time: the newest reading wins a merge).</summary>
/// <param name="Id">Always <see cref="FixedId"/>.</param>
/// <param name="Alerts">The firing alert instances.</param>
[FactKind("grafana.firing-alerts")]
public sealed record FiringAlertsFact(string Id, IReadOnlyList<FiringAlert> Alerts) : Fact(Id)
{
    /// <summary>The one id of this kind.</summary>
    public const string FixedId = "now";
}

/// <summary>An alert instance firing now.</summary>
/// <param name="Name">Its <c>alertname</c> label.</param>
/// <param name="State">Its state as Grafana wrote it.</param>
/// <param name="ActiveAt">Since when, when known.</param>
/// <param name="Summary">Its <c>summary</c> annotation.</param>
public sealed record FiringAlert(string Name, string State, DateTimeOffset? ActiveAt, string Summary);

/// <summary>A trace found by one Tempo search.</summary>
/// <param name="Id">The search's query and the trace id.</param>
/// <param name="Query">The TraceQL query that found it.</param>
/// <param name="RootServiceName">Root service, when known.</param>
/// <param name="Start">Start of the trace.</param>
/// <param name="DurationMs">Duration in milliseconds.</param>
/// <param name="MatchedSpans">Spans matched over its span sets.</param>
[FactKind("grafana.trace")]
public sealed record GrafanaTraceFact(string Id, string Query, string? RootServiceName, DateTimeOffset Start, double DurationMs, long MatchedSpans) : Fact(Id);

/// <summary>A Tempo search that was made (Tempo is configured); its traces are <see cref="GrafanaTraceFact"/>s.</summary>
/// <param name="Id">The TraceQL query.</param>
[FactKind("grafana.trace-search")]
public sealed record TraceSearchFact(string Id) : Fact(Id)
{
    /// <summary>
    /// Whether a window still held <c>traceLimit</c> traces after <c>maxTraceSearches</c> searches, so its
    /// traces are a sample: a later collection searches the whole window again rather than build on it.
    /// </summary>
    public bool Sampled { get; init; }
}

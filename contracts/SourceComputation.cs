using System.Text.Json.Serialization;

namespace OkrHost.Contracts;

/// <summary>One window of a source's computation (<see cref="ISourcePlugin.Compute"/>).</summary>
/// <param name="Period">The window to compute the metrics for, inside the facts' fetch window.</param>
/// <param name="WithSection">
/// True for the report period only: then also build the section's series, tables and notes. The host
/// computes many more windows (the previous period, every trend week) and reads only their metrics.
/// </param>
public readonly record struct ComputeWindow(ReportPeriod Period, bool WithSection);

/// <summary>What a computation produced for one window.</summary>
/// <example><code>
/// return new SourceComputation
/// {
///     Metrics = [new("acme.deployments", deployments.Count)],
///     Series = window.WithSection ? [MetricMath.Series(…)] : [],
/// };
/// </code></example>
public sealed record SourceComputation
{
    /// <summary>A value for every declared metric, over the window.</summary>
    public required IReadOnlyList<MetricValue> Metrics { get; init; }

    /// <summary>Time series for the section's charts (buckets from <see cref="MetricMath.Series{T}"/>).</summary>
    public IReadOnlyList<TimeSeries> Series { get; init; } = [];

    /// <summary>Drill-down tables for the section (the failed deployments, the urgent bugs, …).</summary>
    public IReadOnlyList<DataTable> Tables { get; init; } = [];

    /// <summary>
    /// Short remarks about the window shown in the section, e.g. that war rooms opened in it are still
    /// open. The collection's own remarks (<see cref="FactSet.Notes"/>) are shown too.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>When the newest data seen was produced at the service, for the report's freshness line.</summary>
    public DateTimeOffset? DataAsOf { get; init; }
}

/// <summary>Width of a time-series bucket.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesBucket>))]
public enum SeriesBucket
{
    /// <summary>One UTC day (<c>day</c>).</summary>
    [JsonStringEnumMemberName("day")] Day,
    /// <summary>Seven days ending at a multiple of 7 days before the period's end (<c>week</c>).</summary>
    [JsonStringEnumMemberName("week")] Week,
}

/// <summary>A chartable series of values over consecutive buckets.</summary>
/// <param name="Id">Unique within the source, e.g. <c>deployments-weekly</c>.</param>
/// <param name="Title">Chart title.</param>
/// <param name="Unit">Unit of the values.</param>
/// <param name="Bucket">Width of each point's bucket.</param>
/// <param name="Points">Points in time order, one per bucket, empty buckets included.</param>
public sealed record TimeSeries(string Id, string Title, MetricUnit Unit, SeriesBucket Bucket, IReadOnlyList<SeriesPoint> Points);

/// <summary>One bucket of a <see cref="TimeSeries"/>.</summary>
/// <param name="Start">UTC start of the bucket.</param>
/// <param name="Value">Value for the bucket; <c>null</c> when there is nothing to measure (a median of none).</param>
public sealed record SeriesPoint(DateTimeOffset Start, double? Value);

/// <summary>A drill-down table. Every cell is external text and is HTML-escaped by the host.</summary>
/// <param name="Id">Unique within the source.</param>
/// <param name="Title">Table caption.</param>
/// <param name="Columns">Column headings.</param>
/// <param name="Rows">Rows, each with one cell per column.</param>
public sealed record DataTable(string Id, string Title, IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<TableCell>> Rows)
{
    /// <summary>Rows left out to keep the report readable; the table says so.</summary>
    public int OmittedRows { get; init; }
}

/// <summary>A table cell: text and an optional link (only http and https links are rendered as links).</summary>
/// <param name="Text">The cell's text.</param>
/// <param name="Link">Optional absolute URL.</param>
public sealed record TableCell(string Text, string? Link = null)
{
    /// <summary>A cell holding just text.</summary>
    public static implicit operator TableCell(string text) => new(text);

    /// <summary>A cell holding just text.</summary>
    public static TableCell FromString(string text) => new(text);
}

using System.Text.Json.Serialization;

namespace OkrHost.Contracts;

/// <summary>What one collection produced.</summary>
public sealed class SourceResult
{
    /// <summary>A value for every declared metric.</summary>
    public IList<MetricValue> Metrics { get; } = new List<MetricValue>();

    /// <summary>Time series for the section's charts (weekly or daily buckets over the period).</summary>
    public IList<TimeSeries> Series { get; } = new List<TimeSeries>();

    /// <summary>Drill-down tables for the section (the failed deployments, the urgent bugs, …).</summary>
    public IList<DataTable> Tables { get; } = new List<DataTable>();

    /// <summary>
    /// Domain events that host-level analyzers combine across sources (the <c>dora.*</c> metrics).
    /// Not written to the snapshot. Include events of the previous period too.
    /// </summary>
    public IList<SourceEvent> Events { get; } = new List<SourceEvent>();

    /// <summary>
    /// Short remarks shown in the section, e.g. that a search hit its limit and the numbers are a sample.
    /// </summary>
    public IList<string> Notes { get; } = new List<string>();

    /// <summary>When the newest data seen was produced at the service, for the report's freshness line.</summary>
    public DateTimeOffset? DataAsOf { get; set; }
}

/// <summary>Width of a time-series bucket.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SeriesBucket>))]
public enum SeriesBucket
{
    /// <summary>One UTC day (<c>day</c>).</summary>
    [JsonStringEnumMemberName("day")] Day,
    /// <summary>Seven days starting at a bucket start (<c>week</c>).</summary>
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

using System.Text.Json.Serialization;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Reporting;

/// <summary>
/// The report.json snapshot (PRODUCT.md section 5, schemaVersion 1). Everything the HTML needs is in
/// here, so <c>okrhost render</c> can rebuild the page with no network.
/// </summary>
public sealed record ReportSnapshot
{
    /// <summary>The only schema version this build reads and writes.</summary>
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required DateTimeOffset GeneratedAt { get; init; }
    public required string Title { get; init; }
    public required PeriodReport Period { get; init; }
    public required PeriodReport PreviousPeriod { get; init; }
    public required IReadOnlyList<SourceReport> Sources { get; init; }
    public required IReadOnlyList<MetricReport> Metrics { get; init; }
    public required IReadOnlyList<ObjectiveReport> Okrs { get; init; }

    /// <summary>Where the OKRs came from (a file path or a source id); null when there are none.</summary>
    public string? OkrOrigin { get; init; }

    /// <summary>OKR definitions that could not be scored (e.g. a Notion row without a target).</summary>
    public IReadOnlyList<Problem> OkrProblems { get; init; } = [];

    /// <summary>When the last stored run before this one was generated; null when there is none (PRODUCT.md section 13).</summary>
    public DateTimeOffset? LastRunAt { get; init; }

    /// <summary>What changed, ranked most important first (PRODUCT.md section 10).</summary>
    public IReadOnlyList<Insight> Insights { get; init; } = [];

    /// <summary>The language model's summary, or why there is none; null when no model is configured.</summary>
    public NarrativeReport? Narrative { get; init; }

    /// <summary>The benchmarks the DORA scores are read against; null in snapshots written before there were any.</summary>
    public DoraBenchmarkBasis? DoraBenchmark { get; init; }

    /// <summary>Each DORA score beside its benchmarks (PRODUCT.md section 14).</summary>
    public IReadOnlyList<DoraBenchmarkRow> DoraBenchmarks { get; init; } = [];
}

public sealed record PeriodReport(DateTimeOffset From, DateTimeOffset To)
{
    public static PeriodReport Of(ReportPeriod period) => new(period.From, period.To);

    public ReportPeriod ToPeriod() => new(From, To);
}

[JsonConverter(typeof(JsonStringEnumConverter<SourceStatus>))]
public enum SourceStatus
{
    [JsonStringEnumMemberName("ok")] Ok,
    [JsonStringEnumMemberName("failed")] Failed,
    [JsonStringEnumMemberName("not-configured")] NotConfigured,
    [JsonStringEnumMemberName("disabled")] Disabled,
}

/// <summary>One source's health and section content.</summary>
public sealed record SourceReport
{
    public required string Id { get; init; }
    public required string DisplayName { get; init; }
    public required SourceStatus Status { get; init; }

    /// <summary>Why it failed, or what is missing when not configured; null when ok or disabled.</summary>
    public string? Error { get; init; }

    public long DurationMs { get; init; }
    public long Requests { get; init; }
    public string? Version { get; init; }
    public DateTimeOffset? DataAsOf { get; init; }
    public IReadOnlyList<TimeSeries> Series { get; init; } = [];
    public IReadOnlyList<DataTable> Tables { get; init; } = [];
    public IReadOnlyList<string> Notes { get; init; } = [];
}

/// <summary>A metric of the report with its definition and values.</summary>
public sealed record MetricReport
{
    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Title { get; init; }
    public required MetricUnit Unit { get; init; }
    public string Definition { get; init; } = "";
    public double? Value { get; init; }
    public double? Previous { get; init; }
    public bool? HigherIsBetter { get; init; }

    /// <summary>
    /// For a median, percentile or rate: how many items it was computed over (PRODUCT.md section 8); null for
    /// counts and when the source does not say. The report shows it beside the value and gives no DORA score under 5.
    /// </summary>
    public int? SampleSize { get; init; }

    /// <summary>The metric week by week, oldest first (PRODUCT.md section 8); null when trends are off or unknown.</summary>
    public IReadOnlyList<TrendPoint>? Trend { get; init; }
}

/// <summary>One week of a metric's trend: the metric's definition applied to the half-open window [From, To).</summary>
public sealed record TrendPoint(DateTimeOffset From, DateTimeOffset To, double? Value);

/// <summary>A key result scored on its metric over the rolling window of the period's length ending at <see cref="To"/>.</summary>
public sealed record KeyResultTrendPoint(DateTimeOffset To, double? Actual, double? Progress, OkrStatus Status);

/// <summary>A key result as the last stored run scored it.</summary>
public sealed record KeyResultLastRun(DateTimeOffset GeneratedAt, double? Actual, OkrStatus Status);

[JsonConverter(typeof(JsonStringEnumConverter<OkrStatus>))]
public enum OkrStatus
{
    [JsonStringEnumMemberName("achieved")] Achieved,
    [JsonStringEnumMemberName("on-track")] OnTrack,
    [JsonStringEnumMemberName("at-risk")] AtRisk,
    [JsonStringEnumMemberName("off-track")] OffTrack,
    [JsonStringEnumMemberName("no-data")] NoData,
}

public sealed record ObjectiveReport
{
    public required string Title { get; init; }
    public double? Progress { get; init; }
    public required OkrStatus Status { get; init; }
    public required IReadOnlyList<KeyResultReport> KeyResults { get; init; }

    /// <summary>When the objective is due (okrs.json <c>due</c>); pace is judged against it.</summary>
    public DateOnly? Due { get; init; }
}

public sealed record KeyResultReport
{
    public required string Title { get; init; }
    public required string Metric { get; init; }
    public required double Target { get; init; }
    public double? Baseline { get; init; }
    public required KeyResultDirection Direction { get; init; }
    public string? Owner { get; init; }

    /// <summary>The owner's check-in confidence (PRODUCT.md section 13); null when none was given.</summary>
    public KeyResultConfidence? Confidence { get; init; }

    /// <summary>The owner's check-in note; null when none was given.</summary>
    public string? Note { get; init; }

    public double? Actual { get; init; }
    public double? Progress { get; init; }
    public required OkrStatus Status { get; init; }

    /// <summary>Where the key result stood in the last stored run; null when there is none or it was not in it.</summary>
    public KeyResultLastRun? LastRun { get; init; }

    /// <summary>The key result scored over the rolling window ending at each trend week, oldest first (PRODUCT.md section 8).</summary>
    public IReadOnlyList<KeyResultTrendPoint> Trend { get; init; } = [];
}

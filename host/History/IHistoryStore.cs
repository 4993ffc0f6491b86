using System.IO.Compression;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;
using OkrHost.Running;

namespace OkrHost.History;

/// <summary>
/// The history store (PRODUCT.md section 9): every report run, its metric values, its scored key
/// results, the facts its sources collected, and the alerts sent. One interface, an embedded SQLite
/// file by default or a shared PostgreSQL database; both behave the same (one test suite runs on both).
/// </summary>
public interface IHistoryStore : IAsyncDisposable
{
    /// <summary>What the store is, for messages: the SQLite file, or PostgreSQL host/port/database (never a password).</summary>
    string Description { get; }

    /// <summary>
    /// Stores a run with its metric values, key results and facts in one transaction: all of it lands
    /// or none. Facts replace the stored facts of the same source and fetch window. A snapshot
    /// already stored (same content) is not stored twice.
    /// </summary>
    Task<SavedRun> SaveRunAsync(HistoryRun run, IReadOnlyList<SourceFacts> facts, CancellationToken cancellationToken);

    /// <summary>Every run, oldest period end first.</summary>
    Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken);

    /// <summary>One run with its snapshot, or null.</summary>
    Task<StoredRun?> GetRunAsync(long runId, CancellationToken cancellationToken);

    /// <summary>
    /// The latest run (by period end, then generation time) whose period ends at or before
    /// <paramref name="periodEndAtOrBefore"/> (any run when null), or null when there is none.
    /// "The last stored run" of a report that is about to be saved.
    /// </summary>
    Task<RunSummary?> GetLatestRunAsync(DateTimeOffset? periodEndAtOrBefore, CancellationToken cancellationToken);

    /// <summary>A run's scored key results in report order (status changes since the last run).</summary>
    Task<IReadOnlyList<StoredKeyResult>> GetKeyResultsAsync(long runId, CancellationToken cancellationToken);

    /// <summary>Stored metric values, one per run and metric, by period end then run (export, trends, <c>get_history</c>).</summary>
    Task<IReadOnlyList<StoredMetricValue>> GetMetricValuesAsync(MetricValueQuery query, CancellationToken cancellationToken);

    /// <summary>A source's stored facts whose fetch window overlaps [from, to), oldest collection first.</summary>
    Task<IReadOnlyList<SourceFacts>> GetFactsAsync(string sourceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>The newest ledger entry per alert key (a key already alerted in the same state is not alerted again).</summary>
    Task<IReadOnlyDictionary<string, AlertRecord>> GetLatestAlertsAsync(CancellationToken cancellationToken);

    /// <summary>Adds alerts that were sent to the ledger, in one transaction.</summary>
    Task RecordAlertsAsync(IReadOnlyList<AlertRecord> alerts, CancellationToken cancellationToken);

    /// <summary>Deletes runs (with their values, key results and facts); returns how many.</summary>
    Task<int> PruneAsync(PruneRule rule, CancellationToken cancellationToken);
}

/// <summary>A report to store, with where it came from.</summary>
public sealed record HistoryRun(ReportSnapshot Snapshot, RunProvenance Provenance);

/// <summary>
/// What made a run: <c>report</c>, <c>import</c>; the tool and contracts versions; a SHA-256 of the
/// config file (a hash, so nothing of the file can be read back from it).
/// </summary>
public sealed record RunProvenance(string Origin, string ToolVersion, string ContractsVersion, string? ConfigFingerprint);

/// <summary>The id of a stored run; <c>Created</c> is false when the same snapshot was already stored.</summary>
public sealed record SavedRun(long Id, bool Created);

/// <summary>
/// One source's facts from one collection, as gzip-compressed UTF-8 JSON: the host serializes the
/// plugin's typed facts (contracts 2.0) and the store keeps the bytes as they are. A large organisation's
/// facts are tens of megabytes of JSON; compressed and streamed they are a few megabytes, never a string.
/// </summary>
public sealed record SourceFacts(string SourceId, DateTimeOffset FetchFrom, DateTimeOffset FetchTo, DateTimeOffset CollectedAt, byte[] FactsGzip)
{
    /// <summary>Hash of the settings the facts were collected with (<see cref="Running.KnownFacts.Fingerprint"/>); null when unknown.</summary>
    public string? SettingsFingerprint { get; init; }

    /// <summary>What a store keeps of <paramref name="facts"/>.</summary>
    public static byte[] Compress(FactSet facts, FactJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            json.Serialize(gzip, facts);
        }

        return buffer.ToArray();
    }

    /// <exception cref="JsonException">Not a fact set, or a fact of a kind no installed plugin declares.</exception>
    /// <exception cref="InvalidDataException">Not gzip.</exception>
    public FactSet Read(FactJson json)
    {
        ArgumentNullException.ThrowIfNull(json);
        using var gzip = new GZipStream(new MemoryStream(FactsGzip, writable: false), CompressionMode.Decompress);
        return json.Deserialize(gzip);
    }
}

public sealed record RunSummary(
    long Id,
    DateTimeOffset GeneratedAt,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    string Title,
    string Origin,
    string ToolVersion,
    string ContractsVersion,
    string? ConfigFingerprint,
    int SourcesOk,
    int SourcesTotal,
    DateTimeOffset StoredAt);

public sealed record StoredRun(RunSummary Summary, string SnapshotJson)
{
    public ReportSnapshot Snapshot() => Reporting.SnapshotJson.Deserialize(SnapshotJson);
}

public sealed record StoredMetricValue(
    long RunId,
    DateTimeOffset GeneratedAt,
    DateTimeOffset PeriodFrom,
    DateTimeOffset PeriodTo,
    string MetricId,
    string Source,
    string Unit,
    double? Value,
    double? Previous,
    int? SampleSize);

/// <summary>Which metric values to read; every filter is optional.</summary>
public sealed record MetricValueQuery
{
    public string? MetricId { get; init; }
    public long? RunId { get; init; }

    /// <summary>Only runs whose period ends strictly after this instant.</summary>
    public DateTimeOffset? PeriodEndAfter { get; init; }

    /// <summary>Only runs whose period ends at or before this instant.</summary>
    public DateTimeOffset? PeriodEndAtOrBefore { get; init; }
}

public sealed record StoredKeyResult(
    long RunId,
    string Objective,
    string KeyResult,
    string Metric,
    double Target,
    double? Baseline,
    KeyResultDirection Direction,
    double? Actual,
    double? Progress,
    OkrStatus Status);

/// <summary>An alert sent for <c>Key</c> (a key result or insight) in <c>State</c> (e.g. a status).</summary>
public sealed record AlertRecord(string Key, string State, long? RunId, DateTimeOffset AlertedAt);

/// <summary>Which runs <c>history prune</c> deletes.</summary>
public abstract record PruneRule;

/// <summary>Keeps the newest <c>Count</c> runs (by generation time) and deletes the rest.</summary>
public sealed record KeepNewestRuns(int Count) : PruneRule;

/// <summary>Deletes the runs generated before <c>Instant</c>.</summary>
public sealed record RunsGeneratedBefore(DateTimeOffset Instant) : PruneRule;

using OkrHost.History;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// What insights and <c>okrhost ask</c> read from the history store (PRODUCT.md section 9):
/// <see cref="StoreRunHistory"/> over a store, <see cref="NoRunHistory"/> when history is off.
/// </summary>
public interface IRunHistory
{
    /// <summary>The latest stored run before <paramref name="current"/> (generated earlier), or null.</summary>
    Task<ReportSnapshot?> PreviousRunAsync(ReportSnapshot current, CancellationToken cancellationToken);

    /// <summary>
    /// The stored values of one metric from runs whose period ends in the <paramref name="weeks"/> weeks up
    /// to <paramref name="until"/>, oldest first; empty when the store holds none.
    /// </summary>
    Task<IReadOnlyList<StoredMetricValue>> MetricValuesAsync(string metricId, DateTimeOffset until, int weeks, CancellationToken cancellationToken);

    /// <summary>The owners' check-ins stored with these runs for the key results on <paramref name="metricId"/>, oldest run first.</summary>
    Task<IReadOnlyList<StoredCheckIn>> CheckInsAsync(IReadOnlyCollection<long> runIds, string metricId, CancellationToken cancellationToken);
}

/// <summary>An owner's check-in as a stored run recorded it (PRODUCT.md section 13).</summary>
public sealed record StoredCheckIn(long RunId, DateTimeOffset GeneratedAt, string Objective, string KeyResult, string Metric, string? Confidence, string? Note)
{
    /// <summary>The check-ins of one run's snapshot, optionally only those on one metric.</summary>
    public static IEnumerable<StoredCheckIn> Of(long runId, ReportSnapshot snapshot, string? metricId = null)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Okrs.SelectMany(o => o.KeyResults
            .Where(kr => (kr.Confidence is not null || kr.Note is not null) && (metricId is null || kr.Metric == metricId))
            .Select(kr => new StoredCheckIn(runId, snapshot.GeneratedAt, o.Title, kr.Title, kr.Metric,
                kr.Confidence is { } c ? ConfidenceGaps.Slug(c) : null, kr.Note)));
    }
}

/// <summary>No store: no previous run, no stored values.</summary>
public sealed class NoRunHistory : IRunHistory
{
    public static readonly NoRunHistory Instance = new();

    private NoRunHistory()
    {
    }

    public Task<ReportSnapshot?> PreviousRunAsync(ReportSnapshot current, CancellationToken cancellationToken) => Task.FromResult<ReportSnapshot?>(null);

    public Task<IReadOnlyList<StoredMetricValue>> MetricValuesAsync(string metricId, DateTimeOffset until, int weeks, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredMetricValue>>([]);

    public Task<IReadOnlyList<StoredCheckIn>> CheckInsAsync(IReadOnlyCollection<long> runIds, string metricId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<StoredCheckIn>>([]);
}

/// <summary>
/// Which alerts were already sent, so a key result alerted in one state is not alerted again while it
/// stays there (PRODUCT.md section 10). <see cref="StoreRunHistory"/> keeps it in the history store.
/// </summary>
public interface IAlertLedger
{
    /// <summary>The state each subject was last alerted in; subjects never alerted are absent.</summary>
    Task<IReadOnlyDictionary<string, string>> LastAlertedAsync(IReadOnlyCollection<string> subjects, CancellationToken cancellationToken);

    /// <summary>Records that these alerts were sent.</summary>
    Task RecordAsync(IReadOnlyCollection<AlertKey> sent, DateTimeOffset sentAt, CancellationToken cancellationToken);
}

/// <summary>What an alert is about (<c>kr:Objective/Key result</c>, <c>source:grafana</c>, …) and the state it reported.</summary>
public sealed record AlertKey(string Subject, string State);

using System.Text.Json;
using OkrHost.Reporting;
using OkrHost.History;

namespace OkrHost.Insights;

/// <summary>
/// The insights' view of the history store: the previous run for status changes, a metric's stored
/// values for <c>ask</c>'s <c>get_history</c>, and the alert ledger that keeps a second run from
/// repeating an alert.
/// </summary>
public sealed class StoreRunHistory(IHistoryStore store) : IRunHistory, IAlertLedger
{
    /// <summary>The stored run that alerts recorded through this ledger came from; null when it could not be stored.</summary>
    public long? RunId { get; init; }

    /// <summary>
    /// The latest stored run whose period ends at or before the current one's (a re-run of the same
    /// period compares against its predecessor). A stored snapshot this build cannot read counts as none.
    /// </summary>
    public async Task<ReportSnapshot?> PreviousRunAsync(ReportSnapshot current, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (await store.GetLatestRunAsync(current.Period.To, cancellationToken) is not { } latest
            || await store.GetRunAsync(latest.Id, cancellationToken) is not { } run)
        {
            return null;
        }

        try
        {
            return run.Snapshot();
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            return null;
        }
    }

    public Task<IReadOnlyList<StoredMetricValue>> MetricValuesAsync(string metricId, DateTimeOffset until, int weeks, CancellationToken cancellationToken) =>
        store.GetMetricValuesAsync(
            new MetricValueQuery { MetricId = metricId, PeriodEndAtOrBefore = until, PeriodEndAfter = until.AddDays(-7 * weeks) },
            cancellationToken);

    /// <summary>Read from each run's stored snapshot, which keeps every key result's check-in; a snapshot this build cannot read has none.</summary>
    public async Task<IReadOnlyList<StoredCheckIn>> CheckInsAsync(IReadOnlyCollection<long> runIds, string metricId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(runIds);
        var checkIns = new List<StoredCheckIn>();
        foreach (var runId in runIds.Distinct().Order())
        {
            if (await store.GetRunAsync(runId, cancellationToken) is not { } run)
            {
                continue;
            }

            try
            {
                checkIns.AddRange(StoredCheckIn.Of(runId, run.Snapshot(), metricId));
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException)
            {
            }
        }

        return checkIns;
    }

    public async Task<IReadOnlyDictionary<string, string>> LastAlertedAsync(IReadOnlyCollection<string> subjects, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subjects);
        var latest = await store.GetLatestAlertsAsync(cancellationToken);
        return subjects.Where(latest.ContainsKey).Distinct(StringComparer.Ordinal)
            .ToDictionary(subject => subject, subject => latest[subject].State, StringComparer.Ordinal);
    }

    public Task RecordAsync(IReadOnlyCollection<AlertKey> sent, DateTimeOffset sentAt, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(sent);
        return store.RecordAlertsAsync(sent.Select(key => new AlertRecord(key.Subject, key.State, RunId, sentAt)).ToArray(), cancellationToken);
    }
}

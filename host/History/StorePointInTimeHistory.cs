using OkrHost.Contracts;
using OkrHost.Running;

namespace OkrHost.History;

/// <summary>
/// Point-in-time metrics' past (PRODUCT.md sections 8 and 9) from the history store: the readings of
/// the stored runs whose period ends at or before this run's, read once per run.
/// </summary>
public sealed class StorePointInTimeHistory : IPointInTimeHistory
{
    // Latest first (period end, then generation time, then run id): the first match is "the latest stored run".
    private readonly ILookup<string, StoredMetricValue> _byMetric;

    private StorePointInTimeHistory(IEnumerable<StoredMetricValue> values) =>
        _byMetric = values
            .OrderByDescending(v => v.PeriodTo).ThenByDescending(v => v.GeneratedAt).ThenByDescending(v => v.RunId)
            .ToLookup(v => v.MetricId, StringComparer.Ordinal);

    /// <summary>One read of the store for every point-in-time metric in <paramref name="metricIds"/>.</summary>
    public static async Task<IPointInTimeHistory> LoadAsync(IHistoryStore store, ReportPeriod period, IReadOnlyCollection<string> metricIds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(metricIds);
        if (metricIds.Count == 0)
        {
            return NoPointInTimeHistory.Instance;
        }

        // "previous" may reach further back than the first trend week, so no lower bound.
        var wanted = metricIds.ToHashSet(StringComparer.Ordinal);
        var values = await store.GetMetricValuesAsync(new MetricValueQuery { PeriodEndAtOrBefore = period.To }, cancellationToken);
        return new StorePointInTimeHistory(values.Where(v => wanted.Contains(v.MetricId)));
    }

    /// <remarks>Also the "previous" of a point-in-time metric, with the previous period as the week (PRODUCT.md section 8).</remarks>
    public double? Recorded(string metricId, ReportPeriod week) =>
        _byMetric[metricId].FirstOrDefault(v => v.PeriodTo > week.From && v.PeriodTo <= week.To)?.Value;
}

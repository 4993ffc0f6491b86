using System.ComponentModel;
using Microsoft.Extensions.AI;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// The read-only tools <c>okrhost ask</c> offers the model (PRODUCT.md section 10), over one snapshot and
/// the history store. Records which metric ids the answer was built on.
/// </summary>
public sealed class AskTools(ReportSnapshot snapshot, IRunHistory history)
{
    /// <summary>Most weeks <c>get_history</c> returns.</summary>
    public const int MaxWeeks = 53;

    private readonly List<string> _metricsUsed = [];
    private readonly List<string> _calls = [];
    private readonly Lock _lock = new();

    /// <summary>Metric ids fetched with <c>get_metric</c> or <c>get_history</c>, in first-use order.</summary>
    public IReadOnlyList<string> MetricsUsed
    {
        get
        {
            lock (_lock)
            {
                return [.. _metricsUsed];
            }
        }
    }

    /// <summary>Every tool call, as <c>name(arguments)</c>, in order.</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_lock)
            {
                return [.. _calls];
            }
        }
    }

    public IList<AITool> Functions() =>
    [
        AIFunctionFactory.Create(ListMetrics, "list_metrics"),
        AIFunctionFactory.Create(GetMetric, "get_metric"),
        AIFunctionFactory.Create(ListKeyResults, "list_key_results"),
        AIFunctionFactory.Create(GetHistoryAsync, "get_history"),
    ];

    [Description("Every metric of the report: id, title, unit, source, and whether it has a value this period.")]
    public IReadOnlyList<object> ListMetrics()
    {
        Record("list_metrics()", null);
        return snapshot.Metrics.Select(m => (object)new { m.Id, m.Title, m.Unit, m.Source, HasValue = m.Value is not null }).ToArray();
    }

    [Description("One metric: id, title, unit, its value this period, the previous period's value, the sample size it was computed over, and its weekly trend; "
        + "numbers have at most 3 decimals, and each display field is the number as the report writes it, with its unit; "
        + "for a DORA score (unit score, 0 to 10, higher is better) also its benchmark: the DORA edition, industry and organisation size with their mean and standard deviation.")]
    public object GetMetric([Description("A metric id from list_metrics, e.g. github.deployments")] string id)
    {
        Record($"get_metric({id})", null);
        if (snapshot.Metrics.FirstOrDefault(m => m.Id == id) is not { } metric)
        {
            return new { Error = $"no metric '{id}'; call list_metrics for the ids" };
        }

        Record(null, id);
        var benchmark = snapshot.DoraBenchmarks.FirstOrDefault(b => b.Metric == id) is { } bench && snapshot.DoraBenchmark is { } basis
            ? new { basis.Edition, Industry = basis.IndustryName, bench.IndustryMean, bench.IndustrySd, OrganizationSize = basis.OrganizationSizeName, bench.SizeMean, bench.SizeSd }
            : null;
        var row = NumberFormat.Row(metric.Unit, [metric.Value, metric.Previous]);
        return new
        {
            metric.Id, metric.Title, metric.Unit,
            Value = NumberFormat.Round(metric.Value), Display = row(metric.Value, "none"),
            Previous = NumberFormat.Round(metric.Previous), PreviousDisplay = row(metric.Previous, "none"),
            metric.SampleSize,
            Trend = metric.Trend?.Select(p => new { p.From, p.To, Value = NumberFormat.Round(p.Value), Display = NumberFormat.Value(p.Value, metric.Unit, "none") }),
            Benchmark = benchmark,
        };
    }

    [Description("Every key result with its objective, metric id, direction, target, baseline, actual value, progress (0 to 1), status, "
        + "the previous period's actual and status, whether it got worse (a worse status, or the same status and further from the target), "
        + "and its owner's check-in (confidence, note); display fields are the numbers as the report writes them.")]
    public IReadOnlyList<object> ListKeyResults()
    {
        Record("list_key_results()", null);
        var metrics = snapshot.Metrics.ToDictionary(m => m.Id, StringComparer.Ordinal);
        return snapshot.Okrs.SelectMany(o => o.KeyResults.Select(kr =>
        {
            var metric = metrics.GetValueOrDefault(kr.Metric);
            var previous = metric?.Previous;
            var row = NumberFormat.Row(metric?.Unit ?? Contracts.MetricUnit.Count, [kr.Actual, kr.Target, previous]);
            return (object)new
            {
                Objective = o.Title, kr.Title, kr.Metric, kr.Direction,
                Target = NumberFormat.Round(kr.Target), TargetDisplay = row(kr.Target, "none"),
                Baseline = NumberFormat.Round(kr.Baseline),
                Actual = NumberFormat.Round(kr.Actual), ActualDisplay = row(kr.Actual, "none"),
                Progress = NumberFormat.Round(kr.Progress), kr.Status,
                PreviousActual = NumberFormat.Round(previous), PreviousDisplay = row(previous, "none"),
                PreviousStatus = KeyResultChange.PreviousStatus(kr, previous),
                GotWorse = KeyResultChange.GotWorse(kr, previous),
                Confidence = kr.Confidence is { } c ? ConfidenceGaps.Slug(c) : null, kr.Note,
                o.Due,
            };
        })).ToArray();
    }

    [Description("The values the history store recorded for one metric over the last weeks, oldest first, and the owners' check-ins (confidence, note) those runs recorded for the key results on it.")]
    public async Task<object> GetHistoryAsync(
        [Description("A metric id from list_metrics")] string id,
        [Description("How many weeks back, 1 to 53")] int weeks,
        CancellationToken cancellationToken)
    {
        Record($"get_history({id}, {weeks})", null);
        if (snapshot.Metrics.All(m => m.Id != id))
        {
            return new { Error = $"no metric '{id}'; call list_metrics for the ids" };
        }

        Record(null, id);
        // "The last weeks" of the report asked about: runs stored after it are not its past.
        var values = await history.MetricValuesAsync(id, snapshot.Period.To, Math.Clamp(weeks, 1, MaxWeeks), cancellationToken);
        var checkIns = await history.CheckInsAsync(values.Select(v => v.RunId).ToArray(), id, cancellationToken);
        var unit = snapshot.Metrics.First(m => m.Id == id).Unit;
        return new
        {
            Id = id,
            Weeks = weeks,
            Values = values.Select(v => new { v.RunId, v.GeneratedAt, v.PeriodFrom, v.PeriodTo, Value = NumberFormat.Round(v.Value), Display = NumberFormat.Value(v.Value, unit, "none"), v.SampleSize }),
            CheckIns = checkIns.Select(c => new { c.RunId, c.GeneratedAt, c.Objective, c.KeyResult, c.Confidence, c.Note }),
        };
    }

    private void Record(string? call, string? metric)
    {
        lock (_lock)
        {
            if (call is not null)
            {
                _calls.Add(call);
            }

            if (metric is not null && !_metricsUsed.Contains(metric))
            {
                _metricsUsed.Add(metric);
            }
        }
    }
}

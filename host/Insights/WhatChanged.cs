using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// The deterministic "what changed" of PRODUCT.md sections 10 and 13, from the snapshot alone plus the
/// previous stored run: status changes, source health, confidence gaps, anomalies, biggest movers and
/// pace, ranked in that order (<see cref="InsightRanking"/>).
/// </summary>
public static class WhatChanged
{
    /// <summary>A rate or median over fewer items than this is too noisy to call a mover.</summary>
    public const int MinimumSample = 5;

    /// <summary>How many movers the block shows at most.</summary>
    public const int MaxMovers = 3;

    /// <summary>Smaller relative changes are not movers at all.</summary>
    public const double MinimumRelativeChange = 0.1;

    /// <summary>Fewer non-null trend values than this give neither an anomaly nor a pace line.</summary>
    public const int MinimumTrendPoints = 4;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static IReadOnlyList<Insight> Find(ReportSnapshot snapshot, ReportSnapshot? previousRun)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var metrics = snapshot.Metrics.ToDictionary(m => m.Id, StringComparer.Ordinal);
        IEnumerable<Insight> all =
        [
            .. StatusChanges(snapshot, previousRun),
            .. Sources(snapshot),
            .. ConfidenceGaps.Find(snapshot),
            .. Anomalies(snapshot),
            .. Movers(snapshot),
            .. Pace(snapshot, metrics),
        ];

        // Stable: within a rank the more severe first, then the order above.
        return all.OrderBy(i => InsightRanking.Rank(i.Kind)).ThenBy(i => i.Severity).ToArray();
    }

    /// <summary>Key results whose status differs from the previous stored run's, matched by objective and title.</summary>
    public static IEnumerable<Insight> StatusChanges(ReportSnapshot snapshot, ReportSnapshot? previousRun)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (previousRun is null)
        {
            yield break;
        }

        foreach (var objective in LastRun.Attach(snapshot, previousRun).Okrs)
        {
            foreach (var kr in objective.KeyResults)
            {
                if (kr.LastRun is not { } old || old.Status == kr.Status || old.Status == OkrStatus.NoData || kr.Status == OkrStatus.NoData)
                {
                    continue;
                }

                var worse = Rank(kr.Status) > Rank(old.Status);
                var row = NumberFormat.Row(UnitOf(snapshot, kr.Metric), [old.Actual, kr.Actual, kr.Target]);
                var severity = !worse ? InsightSeverity.Info : kr.Status == OkrStatus.OffTrack ? InsightSeverity.Critical : InsightSeverity.Warning;
                var text = $"“{kr.Title}” went from {Slug(old.Status)} to {Slug(kr.Status)} since the run of {Day(previousRun.GeneratedAt)}"
                    + $" (actual {row(old.Actual, "none")} → {row(kr.Actual, "none")}, target {row(kr.Target, "none")}).";
                yield return new Insight(InsightKind.StatusChanged, severity, text, kr.Metric, kr.Title, Insight.FactsOf(
                    ("objective", objective.Title),
                    ("from", Slug(old.Status)),
                    ("to", Slug(kr.Status)),
                    ("worse", worse),
                    ("previousActual", old.Actual),
                    ("actual", kr.Actual),
                    ("target", kr.Target),
                    ("previousRun", previousRun.GeneratedAt)));
            }
        }
    }

    /// <summary>The metrics that moved most against the previous period, relative to the previous value.</summary>
    public static IEnumerable<Insight> Movers(ReportSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Metrics
            .Where(m => m.Value is { } v && double.IsFinite(v) && m.Previous is { } p && double.IsFinite(p) && p != 0)
            .Where(m => m.SampleSize is null || m.SampleSize >= MinimumSample)
            .Select(m => (Metric: m, Change: (m.Value!.Value - m.Previous!.Value) / Math.Abs(m.Previous.Value)))
            .Where(x => Math.Abs(x.Change) >= MinimumRelativeChange)
            .OrderByDescending(x => Math.Abs(x.Change))
            .ThenBy(x => x.Metric.Id, StringComparer.Ordinal)
            .Take(MaxMovers)
            .Select(x =>
            {
                var m = x.Metric;
                var percent = Math.Round(x.Change * 100, 1);
                var bad = m.HigherIsBetter is { } higher && (x.Change > 0) != higher;
                var verb = x.Change > 0 ? "rose" : "fell";
                var row = NumberFormat.Row(m.Unit, [m.Previous, m.Value]);
                var text = $"{m.Title} {verb} {Math.Abs(percent).ToString("0.#", Invariant)}% against the previous period"
                    + $" ({row(m.Previous, "none")} → {row(m.Value, "none")}{(m.SampleSize is { } n ? $", {n} samples" : "")}).";
                return new Insight(InsightKind.Mover, bad ? InsightSeverity.Warning : InsightSeverity.Info, text, m.Id, null, Insight.FactsOf(
                    ("value", m.Value),
                    ("previous", m.Previous),
                    ("changePercent", percent),
                    ("sampleSize", m.SampleSize),
                    ("worse", bad)));
            });
    }

    /// <summary>Metrics whose newest trend week lies outside the range of the trend's other weeks.</summary>
    public static IEnumerable<Insight> Anomalies(ReportSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var m in snapshot.Metrics)
        {
            // Only the newest week is judged: over a whole trend the highest and lowest weeks would
            // always lie outside the others' range, so every metric would be an anomaly twice.
            if (m.Trend is not { Count: > 0 } trend || trend[^1].Value is not { } latest || !double.IsFinite(latest))
            {
                continue;
            }

            var others = trend.Take(trend.Count - 1).Select(p => p.Value).OfType<double>().Where(double.IsFinite).ToArray();
            if (others.Length + 1 < MinimumTrendPoints)
            {
                continue;
            }

            var (low, high) = (others.Min(), others.Max());
            if (latest >= low && latest <= high)
            {
                continue;
            }

            var above = latest > high;
            var bad = m.HigherIsBetter is { } higher && above != higher;
            var week = trend[^1];
            var row = NumberFormat.Row(m.Unit, [latest, low, high]);
            var text = $"{m.Title} was {row(latest, "none")} in the week to {Day(week.To.AddTicks(-1))}, "
                + $"{(above ? "above" : "below")} every other week of the trend ({row(low, "none")} to {row(high, "none")}, {others.Length} weeks).";
            yield return new Insight(InsightKind.Anomaly, bad ? InsightSeverity.Warning : InsightSeverity.Info, text, m.Id, null, Insight.FactsOf(
                ("value", latest),
                ("weekFrom", week.From),
                ("weekTo", week.To),
                ("otherWeeksMin", low),
                ("otherWeeksMax", high),
                ("otherWeeks", others.Length),
                ("worse", bad)));
        }
    }

    /// <summary>
    /// An early warning (PRODUCT.md section 13): key results now achieved, on-track or at-risk whose rolling
    /// trend's least-squares line misses the target by the objective's due date (default: the end of the
    /// quarter the period ends in). An off-track one gets none: the scorecard says so already.
    /// </summary>
    public static IEnumerable<Insight> Pace(ReportSnapshot snapshot, IReadOnlyDictionary<string, MetricReport> metrics)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(metrics);
        foreach (var objective in snapshot.Okrs)
        {
            var due = objective.Due is { } d
                ? new DateTimeOffset(d.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1)
                : QuarterEnd(snapshot.Period.To.AddTicks(-1));
            foreach (var kr in objective.KeyResults.Where(kr => kr.Status is OkrStatus.Achieved or OkrStatus.OnTrack or OkrStatus.AtRisk))
            {
                var points = TrendOf(kr, metrics.GetValueOrDefault(kr.Metric));
                if (points.Count < MinimumTrendPoints || points[^1].At >= due)
                {
                    continue;
                }

                var (slopePerDay, projected) = Project(points, due);
                var increase = kr.Direction == KeyResultDirection.Increase;
                if (increase ? projected >= kr.Target : projected <= kr.Target)
                {
                    continue;
                }

                var row = NumberFormat.Row(metrics.GetValueOrDefault(kr.Metric)?.Unit ?? MetricUnit.Count, [projected, kr.Target]);
                var projectedRounded = Math.Round(projected, 4);
                var perWeek = Math.Round(slopePerDay * 7, 2);
                var dueDay = Day(due.AddTicks(-1));
                var moves = slopePerDay > 0 ? "rises to" : slopePerDay < 0 ? "falls to" : "stays at";
                var text = $"“{kr.Title}” is not on pace: its trend {moves} {row(projected, "none")} by {Rendering.ReportFormat.ShortDate(due.AddTicks(-1))}, "
                    + $"{(increase ? "below" : "above")} the target {row(kr.Target, "none")}.";
                var severity = kr.Status == OkrStatus.AtRisk ? InsightSeverity.Critical : InsightSeverity.Warning;
                yield return new Insight(InsightKind.Pace, severity, text, kr.Metric, kr.Title, Insight.FactsOf(
                    ("objective", objective.Title),
                    ("projected", projectedRounded),
                    ("target", kr.Target),
                    ("due", dueDay),
                    ("changePerWeek", perWeek),
                    ("weeks", points.Count)));
            }
        }
    }

    /// <summary>Failed and unconfigured sources: the report is missing their numbers.</summary>
    public static IEnumerable<Insight> Sources(ReportSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var source in snapshot.Sources)
        {
            if (source.Status == SourceStatus.Failed)
            {
                yield return new Insight(InsightKind.SourceFailed, InsightSeverity.Critical,
                    $"{source.DisplayName} failed, so its metrics are missing: {source.Error ?? "no reason recorded"}", null, null,
                    Insight.FactsOf(("source", source.Id), ("error", source.Error)));
            }
            else if (source.Status == SourceStatus.NotConfigured)
            {
                yield return new Insight(InsightKind.SourceNotConfigured, InsightSeverity.Info,
                    $"{source.DisplayName} is not configured: missing {source.Error ?? "a required setting"}.", null, null,
                    Insight.FactsOf(("source", source.Id), ("missing", source.Error)));
            }
        }
    }

    /// <summary>Least squares of value against time; returns the slope per day and the line's value at <paramref name="at"/>.</summary>
    public static (double SlopePerDay, double Projected) Project(IReadOnlyList<(DateTimeOffset At, double Value)> points, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(points);
        var origin = points[0].At;
        var xs = points.Select(p => (p.At - origin).TotalDays).ToArray();
        var ys = points.Select(p => p.Value).ToArray();
        var (meanX, meanY) = (xs.Average(), ys.Average());
        var sxx = xs.Sum(x => (x - meanX) * (x - meanX));
        var slope = sxx == 0 ? 0 : xs.Zip(ys).Sum(p => (p.First - meanX) * (p.Second - meanY)) / sxx;
        return (slope, meanY + slope * ((at - origin).TotalDays - meanX));
    }

    /// <summary>The exclusive end of the calendar quarter that <paramref name="instant"/> falls in.</summary>
    public static DateTimeOffset QuarterEnd(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        var firstMonthOfNext = ((utc.Month - 1) / 3 + 1) * 3 + 1;
        return firstMonthOfNext > 12
            ? new DateTimeOffset(utc.Year + 1, 1, 1, 0, 0, 0, TimeSpan.Zero)
            : new DateTimeOffset(utc.Year, firstMonthOfNext, 1, 0, 0, 0, TimeSpan.Zero);
    }

    /// <summary>Worse statuses rank higher: achieved 0 … off-track 3.</summary>
    public static int Rank(OkrStatus status) => status switch
    {
        OkrStatus.Achieved => 0,
        OkrStatus.OnTrack => 1,
        OkrStatus.AtRisk => 2,
        OkrStatus.OffTrack => 3,
        _ => -1,
    };

    /// <summary>The unit of a metric of the snapshot; a count when the metric is unknown.</summary>
    public static MetricUnit UnitOf(ReportSnapshot snapshot, string metricId)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Metrics.FirstOrDefault(m => m.Id == metricId)?.Unit ?? MetricUnit.Count;
    }

    public static string Slug(OkrStatus status) => Rendering.ReportFormat.Slug(status);

    /// <summary>A metric value with its unit, as <see cref="NumberFormat"/> writes it; "none" when there is nothing to measure.</summary>
    public static string Value(double? value, MetricUnit unit) => NumberFormat.Value(value, unit, "none");

    private static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", Invariant);

    /// <summary>The key result's own weekly actuals, else its metric's weekly values.</summary>
    private static List<(DateTimeOffset At, double Value)> TrendOf(KeyResultReport kr, MetricReport? metric)
    {
        IEnumerable<(DateTimeOffset, double?)> raw = kr.Trend is { Count: > 0 } own
            ? own.Select(p => (p.To, p.Actual))
            : metric?.Trend?.Select(p => (p.To, p.Value)) ?? [];
        return raw.Where(p => p.Item2 is { } v && double.IsFinite(v)).Select(p => (p.Item1, p.Item2!.Value)).ToList();
    }
}

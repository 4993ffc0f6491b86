using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>Turns what Grafana answered into the section's metrics, series, tables and notes.</summary>
internal sealed class GrafanaReport(ReportPeriod period, Uri baseUrl)
{
    public const string AllTracesQuery = "{}";
    public const string ErrorTracesQuery = "{ status = error }";
    private const string CriticalTag = "severity:critical";
    private const string SeverityPrefix = "severity:";
    private const int MaxRows = 50;

    private ReportPeriod Previous => period.Previous;

    /// <param name="drifts">Annotations carrying every drift tag, over both periods.</param>
    /// <param name="findings">Annotations carrying every finding tag, over both periods.</param>
    /// <param name="alerts">Alert instances now.</param>
    /// <param name="traces">Both searches over both periods; <c>null</c> without Tempo.</param>
    public SourceResult Build(
        IReadOnlyList<Annotation> drifts,
        IReadOnlyList<Annotation> findings,
        IReadOnlyList<AlertInstance> alerts,
        (TraceSearch All, TraceSearch Errors)? traces)
    {
        var result = new SourceResult();
        var driftsNow = In(period, drifts);
        var driftsBefore = In(Previous, drifts);
        var findingsNow = In(period, findings);
        var findingsBefore = In(Previous, findings);
        var firing = alerts.Where(a => a.IsFiring).ToArray();

        Add(result, GrafanaMetricIds.Drifts, driftsNow.Length, driftsBefore.Length);
        Add(result, GrafanaMetricIds.DriftResolutionP50, ResolutionP50(driftsNow), ResolutionP50(driftsBefore));
        Add(result, GrafanaMetricIds.Findings, findingsNow.Length, findingsBefore.Length);
        Add(result, GrafanaMetricIds.FindingsCritical, findingsNow.Count(IsCritical), findingsBefore.Count(IsCritical));
        Add(result, GrafanaMetricIds.AlertsFiring, firing.Length, null);
        AddTraceMetrics(result, traces);

        result.Series.Add(MetricMath.Series("drifts-weekly", "Drifts per week", MetricUnit.Count, period, SeriesBucket.Week,
            driftsNow, a => a.Start, bucket => bucket.Count));
        result.Series.Add(MetricMath.Series("findings-weekly", "Findings per week", MetricUnit.Count, period, SeriesBucket.Week,
            findingsNow, a => a.Start, bucket => bucket.Count));
        result.Tables.Add(DriftTable(driftsNow));
        result.Tables.Add(FindingTable(findingsNow));
        result.Tables.Add(SeverityTable(findingsNow, findingsBefore));
        result.Tables.Add(AlertTable(firing));
        if (traces is { } found)
        {
            result.Tables.Add(ServiceTable(In(period, found.All.Traces), In(period, found.Errors.Traces)));
        }

        return result;
    }

    private void AddTraceMetrics(SourceResult result, (TraceSearch All, TraceSearch Errors)? traces)
    {
        if (traces is not { } found)
        {
            foreach (var id in new[] { GrafanaMetricIds.Traces, GrafanaMetricIds.ErrorTraces, GrafanaMetricIds.TraceErrorRate, GrafanaMetricIds.TraceDurationP95, GrafanaMetricIds.Spans })
            {
                Add(result, id, null, null);
            }

            return;
        }

        var allNow = In(period, found.All.Traces);
        var allBefore = In(Previous, found.All.Traces);
        var errorsNow = In(period, found.Errors.Traces);
        var errorsBefore = In(Previous, found.Errors.Traces);
        Add(result, GrafanaMetricIds.Traces, allNow.Length, allBefore.Length);
        Add(result, GrafanaMetricIds.ErrorTraces, errorsNow.Length, errorsBefore.Length);
        Add(result, GrafanaMetricIds.TraceErrorRate, MetricMath.Ratio(errorsNow.Length, allNow.Length), MetricMath.Ratio(errorsBefore.Length, allBefore.Length));
        Add(result, GrafanaMetricIds.TraceDurationP95,
            MetricMath.Percentile(allNow.Select(t => t.DurationMs), 95), MetricMath.Percentile(allBefore.Select(t => t.DurationMs), 95));
        Add(result, GrafanaMetricIds.Spans, allNow.Sum(t => t.MatchedSpans), allBefore.Sum(t => t.MatchedSpans));

        foreach (var (query, search) in new[] { (AllTracesQuery, found.All), (ErrorTracesQuery, found.Errors) })
        {
            if (search.Truncated)
            {
                result.Notes.Add($"Tempo search {query}: a window still returned traceLimit traces after {search.Requests} searches " +
                    "(maxTraceSearches), so the trace numbers are a sample, not a full count: raise traceLimit or maxTraceSearches.");
            }
        }
    }

    private DataTable DriftTable(Annotation[] drifts) => Limited(
        "drifts",
        "Drifts in the period",
        ["Started (UTC)", "Resolved after (h)", "Tags", "Text"],
        drifts.OrderByDescending(a => a.Time).Select(a => (IReadOnlyList<TableCell>)
        [
            Utc(a.Start),
            a.RegionHours is { } hours ? hours.ToString("0.0", CultureInfo.InvariantCulture) : "point (no end)",
            string.Join(", ", a.Tags ?? []),
            new TableCell(a.Text ?? "", DashboardLink(a)),
        ]));

    private DataTable FindingTable(Annotation[] findings) => Limited(
        "findings",
        "Findings in the period",
        ["Time (UTC)", "Severity", "Tags", "Text"],
        findings.OrderByDescending(a => a.Time).Select(a => (IReadOnlyList<TableCell>)
        [
            Utc(a.Start),
            Severity(a),
            string.Join(", ", a.Tags ?? []),
            new TableCell(a.Text ?? "", DashboardLink(a)),
        ]));

    private static DataTable SeverityTable(Annotation[] now, Annotation[] before)
    {
        var severities = now.Concat(before).Select(Severity).Distinct(StringComparer.Ordinal).OrderBy(SeverityRank).ThenBy(s => s, StringComparer.Ordinal);
        var rows = severities.Select(severity => (IReadOnlyList<TableCell>)
        [
            severity,
            now.Count(a => Severity(a) == severity).ToString(CultureInfo.InvariantCulture),
            before.Count(a => Severity(a) == severity).ToString(CultureInfo.InvariantCulture),
        ]).ToArray();
        return new DataTable("finding-severities", "Findings by severity", ["Severity", "Period", "Previous period"], rows);
    }

    private static DataTable AlertTable(AlertInstance[] firing) => Limited(
        "firing-alerts",
        "Alerts firing now",
        ["Alert", "State", "Active since (UTC)", "Summary"],
        firing.OrderBy(a => a.ActiveAt).Select(a => (IReadOnlyList<TableCell>)
        [
            a.Name,
            a.State,
            a.ActiveAt is { } at && at > DateTimeOffset.MinValue ? Utc(at) : "",
            a.Annotations?.GetValueOrDefault("summary") ?? "",
        ]));

    private static DataTable ServiceTable(TempoTrace[] all, TempoTrace[] errors)
    {
        var errorsByService = errors.GroupBy(t => t.RootServiceName ?? "").ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);
        return Limited(
            "trace-services",
            "Traces by root service in the period",
            ["Root service", "Traces", "Error traces", "Error rate", "p95 duration (ms)", "Spans"],
            all.GroupBy(t => t.RootServiceName ?? "")
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal)
                .Select(g =>
                {
                    var failed = errorsByService.GetValueOrDefault(g.Key);
                    return (IReadOnlyList<TableCell>)
                    [
                        g.Key.Length == 0 ? "(unknown)" : g.Key,
                        g.Count().ToString(CultureInfo.InvariantCulture),
                        failed.ToString(CultureInfo.InvariantCulture),
                        ((double)failed / g.Count()).ToString("P1", CultureInfo.InvariantCulture),
                        MetricMath.Percentile(g.Select(t => t.DurationMs), 95)!.Value.ToString("0", CultureInfo.InvariantCulture),
                        g.Sum(t => t.MatchedSpans).ToString(CultureInfo.InvariantCulture),
                    ];
                }));
    }

    private static DataTable Limited(string id, string title, IReadOnlyList<string> columns, IEnumerable<IReadOnlyList<TableCell>> rows)
    {
        var all = rows.ToArray();
        return new DataTable(id, title, columns, all.Take(MaxRows).ToArray()) { OmittedRows = Math.Max(0, all.Length - MaxRows) };
    }

    private string? DashboardLink(Annotation annotation)
    {
        if (string.IsNullOrEmpty(annotation.DashboardUid))
        {
            return null;
        }

        var hour = 3_600_000L;
        var query = string.Create(CultureInfo.InvariantCulture,
            $"d/{Uri.EscapeDataString(annotation.DashboardUid)}?from={annotation.Time - hour}&to={Math.Max(annotation.Time, annotation.TimeEnd) + hour}");
        return new Uri(baseUrl, annotation.PanelId > 0 ? $"{query}&viewPanel={annotation.PanelId}" : query).ToString();
    }

    private static Annotation[] In(ReportPeriod window, IEnumerable<Annotation> annotations) =>
        annotations.Where(a => window.Contains(a.Start)).ToArray();

    private static TempoTrace[] In(ReportPeriod window, IEnumerable<TempoTrace> traces) =>
        traces.Where(t => window.Contains(t.Start)).ToArray();

    private static double? ResolutionP50(IEnumerable<Annotation> drifts) =>
        MetricMath.Median(drifts.Select(a => a.RegionHours).OfType<double>());

    private static bool IsCritical(Annotation finding) =>
        finding.Tags?.Any(t => t.Equals(CriticalTag, StringComparison.OrdinalIgnoreCase)) == true;

    private static string Severity(Annotation finding) =>
        finding.Tags?.FirstOrDefault(t => t.StartsWith(SeverityPrefix, StringComparison.OrdinalIgnoreCase)) is { } tag
            ? tag[SeverityPrefix.Length..].Trim().ToLowerInvariant()
            : "(none)";

    private static int SeverityRank(string severity) => severity switch
    {
        "critical" => 0,
        "high" => 1,
        "medium" => 2,
        "low" => 3,
        _ => 4,
    };

    private static string Utc(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

    private static void Add(SourceResult result, string id, double? value, double? previous) => result.Metrics.Add(new MetricValue(id, value, previous));
}

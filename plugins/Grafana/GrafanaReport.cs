using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>Turns what Grafana answered into the section's metrics, series, tables and notes.</summary>
internal sealed class GrafanaReport(ReportPeriod period)
{
    public const string AllTracesQuery = "{}";
    public const string ErrorTracesQuery = "{ status = error }";
    private const string CriticalTag = "severity:critical";
    private const string SeverityPrefix = "severity:";
    private const int MaxRows = 50;

    private ReportPeriod Previous => period.Previous;

    /// <param name="annotations">Drifts and findings of the whole fetch window.</param>
    /// <param name="firing">Alerts firing now.</param>
    /// <param name="traces">The traces of both searches; <c>null</c> without Tempo.</param>
    /// <param name="withSection">Whether to build the section too.</param>
    public SourceComputation Build(
        IReadOnlyList<GrafanaAnnotationFact> annotations,
        IReadOnlyList<FiringAlert> firing,
        (IReadOnlyList<GrafanaTraceFact> All, IReadOnlyList<GrafanaTraceFact> Errors)? traces,
        bool withSection)
    {
        var driftsNow = In(period, annotations.Where(a => a.IsDrift));
        var findingsNow = In(period, annotations.Where(a => a.IsFinding));

        MetricValue[] metrics =
        [
            new(GrafanaMetricIds.Drifts, driftsNow.Length),
            MetricValue.Median(GrafanaMetricIds.DriftResolutionP50, driftsNow.Select(a => a.RegionHours).OfType<double>().ToArray()),
            new(GrafanaMetricIds.Findings, findingsNow.Length),
            new(GrafanaMetricIds.FindingsCritical, findingsNow.Count(IsCritical)),
            new(GrafanaMetricIds.AlertsFiring, firing.Count),
            .. TraceMetrics(traces),
        ];
        if (!withSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        var findingsBefore = In(Previous, annotations.Where(a => a.IsFinding));
        return new SourceComputation
        {
            Metrics = metrics,
            Series =
            [
                MetricMath.Series("drifts-weekly", "Drifts per week", MetricUnit.Count, period, SeriesBucket.Week,
                    driftsNow, a => a.Start, bucket => bucket.Count),
                MetricMath.Series("findings-weekly", "Findings per week", MetricUnit.Count, period, SeriesBucket.Week,
                    findingsNow, a => a.Start, bucket => bucket.Count),
            ],
            Tables =
            [
                DriftTable(driftsNow),
                FindingTable(findingsNow),
                SeverityTable(findingsNow, findingsBefore),
                AlertTable(firing),
                .. traces is { } found ? [ServiceTable(In(period, found.All), In(period, found.Errors))] : Array.Empty<DataTable>(),
            ],
        };
    }

    private MetricValue[] TraceMetrics((IReadOnlyList<GrafanaTraceFact> All, IReadOnlyList<GrafanaTraceFact> Errors)? traces)
    {
        if (traces is not { } found)
        {
            return [.. new[] { GrafanaMetricIds.Traces, GrafanaMetricIds.ErrorTraces, GrafanaMetricIds.TraceErrorRate, GrafanaMetricIds.TraceDurationP95, GrafanaMetricIds.Spans }
                .Select(id => new MetricValue(id, null))];
        }

        var allNow = In(period, found.All);
        var errorsNow = In(period, found.Errors);
        return
        [
            new(GrafanaMetricIds.Traces, allNow.Length),
            new(GrafanaMetricIds.ErrorTraces, errorsNow.Length),
            MetricValue.Rate(GrafanaMetricIds.TraceErrorRate, errorsNow.Length, allNow.Length),
            MetricValue.Percentile(GrafanaMetricIds.TraceDurationP95, allNow.Select(t => t.DurationMs).ToArray(), 95),
            new(GrafanaMetricIds.Spans, allNow.Sum(t => t.MatchedSpans)),
        ];
    }

    private static DataTable DriftTable(GrafanaAnnotationFact[] drifts) => Limited(
        "drifts",
        "Drifts in the period",
        ["Started (UTC)", "Resolved after (h)", "Tags", "Text"],
        drifts.OrderByDescending(a => a.Time).Select(a => (IReadOnlyList<TableCell>)
        [
            Utc(a.Start),
            a.RegionHours is { } hours ? hours.ToString("0.0", CultureInfo.InvariantCulture) : "point (no end)",
            string.Join(", ", a.Tags),
            new TableCell(a.Text, a.Link),
        ]));

    private static DataTable FindingTable(GrafanaAnnotationFact[] findings) => Limited(
        "findings",
        "Findings in the period",
        ["Time (UTC)", "Severity", "Tags", "Text"],
        findings.OrderByDescending(a => a.Time).Select(a => (IReadOnlyList<TableCell>)
        [
            Utc(a.Start),
            Severity(a),
            string.Join(", ", a.Tags),
            new TableCell(a.Text, a.Link),
        ]));

    private static DataTable SeverityTable(GrafanaAnnotationFact[] now, GrafanaAnnotationFact[] before)
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

    private static DataTable AlertTable(IReadOnlyList<FiringAlert> firing) => Limited(
        "firing-alerts",
        "Alerts firing now",
        ["Alert", "State", "Active since (UTC)", "Summary"],
        firing.OrderBy(a => a.ActiveAt).Select(a => (IReadOnlyList<TableCell>)
        [
            a.Name,
            a.State,
            a.ActiveAt is { } at && at > DateTimeOffset.MinValue ? Utc(at) : "",
            a.Summary,
        ]));

    private static DataTable ServiceTable(GrafanaTraceFact[] all, GrafanaTraceFact[] errors)
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

    private static GrafanaAnnotationFact[] In(ReportPeriod window, IEnumerable<GrafanaAnnotationFact> annotations) =>
        annotations.Where(a => window.Contains(a.Start)).ToArray();

    private static GrafanaTraceFact[] In(ReportPeriod window, IEnumerable<GrafanaTraceFact> traces) =>
        traces.Where(t => window.Contains(t.Start)).ToArray();

    private static bool IsCritical(GrafanaAnnotationFact finding) =>
        finding.Tags.Any(t => t.Equals(CriticalTag, StringComparison.OrdinalIgnoreCase));

    private static string Severity(GrafanaAnnotationFact finding) =>
        finding.Tags.FirstOrDefault(t => t.StartsWith(SeverityPrefix, StringComparison.OrdinalIgnoreCase)) is { } tag
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
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Running;

/// <summary>Where the scorecard's OKRs came from and what could not be used.</summary>
public sealed record OkrInput(OkrDocument? Document, string? Origin, IReadOnlyList<Problem> Problems);

/// <summary>Assembles report.json from the computed sources, the analyzers and the OKRs.</summary>
public static class ReportBuilder
{
    public static ReportSnapshot Build(string title, DateTimeOffset generatedAt, ReportComputation computation, OkrInput okrs)
    {
        ArgumentNullException.ThrowIfNull(computation);
        ArgumentNullException.ThrowIfNull(okrs);
        var weeks = computation.Windows.TrendWeeks;
        var metrics = computation.Sources.SelectMany(source => Rows(source.Id, source.Run.Plan.Metrics, source.Metrics, weeks))
            .Concat(computation.Analyzers.SelectMany(a => Rows(a.Analyzer.Id, a.Analyzer.Metrics, a.Metrics, weeks)))
            .ToArray();
        var values = metrics.ToDictionary(m => m.Id, m => m.Value, StringComparer.Ordinal);
        var rolling = Rolling(computation);
        return new ReportSnapshot
        {
            GeneratedAt = generatedAt,
            Title = title,
            Period = PeriodReport.Of(computation.Windows.Period),
            PreviousPeriod = PeriodReport.Of(computation.Windows.Previous),
            Sources = computation.Sources.Select(Source).ToArray(),
            Metrics = metrics,
            Okrs = okrs.Document is null ? [] : OkrScorer.Score(okrs.Document.Objectives, values, rolling),
            OkrOrigin = okrs.Origin,
            OkrProblems = okrs.Problems,
        };
    }

    /// <summary>Each metric over the rolling windows the key results' trends are scored on (PRODUCT.md section 8); none when trends are off.</summary>
    private static Dictionary<string, IReadOnlyList<TrendPoint>> Rolling(ReportComputation computation)
    {
        var windows = computation.Windows.RollingWindows;
        return windows.Count == 0
            ? []
            : computation.Sources.SelectMany(s => s.Metrics).Concat(computation.Analyzers.SelectMany(a => a.Metrics))
                .GroupBy(m => m.Id, StringComparer.Ordinal)
                .ToDictionary(
                    g => g.Key,
                    g => (IReadOnlyList<TrendPoint>)windows.Select((window, i) => new TrendPoint(window.From, window.To, g.First().Rolling[i])).ToArray(),
                    StringComparer.Ordinal);
    }

    private static SourceReport Source(ComputedSource source) => new()
    {
        Id = source.Id,
        DisplayName = source.Run.Plan.Plugin.DisplayName,
        Status = source.Run.Status,
        Error = source.Run.Error,
        DurationMs = source.Run.DurationMs,
        Requests = source.Run.Requests,
        Version = source.Run.Plan.Plugin.Version,
        DataAsOf = source.Section?.DataAsOf,
        Series = source.Section?.Series.ToArray() ?? [],
        Tables = source.Section?.Tables.ToArray() ?? [],
        Notes = source.Notes,
    };

    /// <summary>One row per declared metric; a source that is not ok has every value null and no trend values.</summary>
    private static IEnumerable<MetricReport> Rows(string source, IReadOnlyList<MetricDefinition> definitions, IReadOnlyList<ComputedMetric> values, IReadOnlyList<ReportPeriod> weeks)
    {
        var byId = values.ToDictionary(v => v.Id, StringComparer.Ordinal);
        return definitions.Select(definition =>
        {
            var value = byId.GetValueOrDefault(definition.Id);
            return new MetricReport
            {
                Id = definition.Id,
                Source = source,
                Title = definition.Title,
                Unit = definition.Unit,
                Definition = definition.Definition,
                HigherIsBetter = definition.HigherIsBetter,
                Value = value?.Value,
                Previous = value?.Previous,
                SampleSize = value?.SampleSize,
                Trend = weeks.Count == 0 ? null : weeks.Select((week, i) => new TrendPoint(week.From, week.To, value?.Trend[i])).ToArray(),
            };
        });
    }
}

using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Okrs;
using OkrHost.Running;

namespace OkrHost.Reporting;

/// <summary>The analyzer's output for the snapshot.</summary>
public sealed record AnalyzerRun(IEventAnalyzer Analyzer, IReadOnlyList<MetricValue> Values);

/// <summary>Where the scorecard's OKRs came from and what could not be used.</summary>
public sealed record OkrInput(OkrDocument? Document, string? Origin, IReadOnlyList<OkrProblem> Problems);

/// <summary>Assembles report.json from the runs, the analyzers and the OKRs.</summary>
public static class ReportBuilder
{
    public static ReportSnapshot Build(
        string title,
        ReportPeriod period,
        DateTimeOffset generatedAt,
        IReadOnlyList<SourceRun> runs,
        IReadOnlyList<AnalyzerRun> analyzers,
        OkrInput okrs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(okrs);
        var metrics = runs.SelectMany(run => Rows(run.Plan.Id, run.Plan.Plugin.Plugin.Metrics, run.Result?.Metrics))
            .Concat(analyzers.SelectMany(a => Rows(a.Analyzer.Id, a.Analyzer.Metrics, a.Values)))
            .ToArray();
        var values = metrics.ToDictionary(m => m.Id, m => m.Value, StringComparer.Ordinal);
        return new ReportSnapshot
        {
            GeneratedAt = generatedAt,
            Title = title,
            Period = PeriodReport.Of(period),
            PreviousPeriod = PeriodReport.Of(period.Previous),
            Sources = runs.Select(Source).ToArray(),
            Metrics = metrics,
            Okrs = okrs.Document is null ? [] : OkrScorer.Score(okrs.Document.Objectives, values),
            OkrOrigin = okrs.Origin,
            OkrProblems = okrs.Problems,
        };
    }

    private static SourceReport Source(SourceRun run) => new()
    {
        Id = run.Plan.Id,
        DisplayName = run.Plan.Plugin.DisplayName,
        Status = run.Status,
        Error = run.Error,
        DurationMs = run.DurationMs,
        Requests = run.Requests,
        Version = run.Plan.Plugin.Version,
        DataAsOf = run.Result?.DataAsOf,
        Series = run.Result?.Series.ToArray() ?? [],
        Tables = run.Result?.Tables.ToArray() ?? [],
        Notes = run.Result?.Notes.ToArray() ?? [],
    };

    private static IEnumerable<MetricReport> Rows(string source, IReadOnlyList<MetricDefinition> definitions, IEnumerable<MetricValue>? values)
    {
        var byId = (values ?? []).ToDictionary(v => v.Id, StringComparer.Ordinal);
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
                Value = Finite(value?.Value),
                // A point-in-time metric has no previous value, whatever the plugin returned.
                Previous = definition.IsPointInTime ? null : Finite(value?.Previous),
            };
        });
    }

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

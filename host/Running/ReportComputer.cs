using System.Text.Json;
using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Reporting;

namespace OkrHost.Running;

/// <summary>A metric over every window of a report.</summary>
/// <param name="Id">Metric id.</param>
/// <param name="Value">Over the period.</param>
/// <param name="Previous">Over the previous period; for a point-in-time metric, the reading of the latest stored run whose period ended in the previous period.</param>
/// <param name="SampleSize">Items the period's value was computed over, for medians, percentiles and rates.</param>
/// <param name="Trend">One value per trend week, oldest first (<see cref="ReportWindows.TrendWeeks"/>).</param>
/// <param name="Rolling">
/// One value per rolling window, oldest first (<see cref="ReportWindows.RollingWindows"/>); the newest is
/// <paramref name="Value"/>. A point-in-time metric cannot be recomputed over the past, so its weekly readings stand in.
/// </param>
public sealed record ComputedMetric(string Id, double? Value, double? Previous, int? SampleSize, IReadOnlyList<double?> Trend, IReadOnlyList<double?> Rolling);

/// <summary>A source's collection and what its facts came to; a source whose computation threw is failed.</summary>
public sealed record ComputedSource(SourceRun Run, IReadOnlyList<ComputedMetric> Metrics, SourceComputation? Section, IReadOnlyList<string> Notes)
{
    public string Id => Run.Plan.Id;
}

/// <summary>An analyzer's metrics over every window.</summary>
public sealed record ComputedAnalyzer(IEventAnalyzer Analyzer, IReadOnlyList<ComputedMetric> Metrics);

/// <summary>Every number of a report, computed from the sources' facts.</summary>
public sealed record ReportComputation(ReportWindows Windows, IReadOnlyList<ComputedSource> Sources, IReadOnlyList<ComputedAnalyzer> Analyzers);

/// <summary>
/// Where the trend of a point-in-time metric (PRODUCT.md section 8) comes from for the weeks before this
/// run: such a metric cannot be recomputed for the past, only remembered.
/// </summary>
public interface IPointInTimeHistory
{
    /// <summary>
    /// The value of <paramref name="metricId"/> recorded by the latest stored run whose period end t has
    /// <c>week.From &lt; t ≤ week.To</c>; null when no stored run qualifies.
    /// </summary>
    double? Recorded(string metricId, ReportPeriod week);
}

/// <summary>No stored runs: earlier weeks of a point-in-time trend are null.</summary>
public sealed class NoPointInTimeHistory : IPointInTimeHistory
{
    public static readonly NoPointInTimeHistory Instance = new();

    public double? Recorded(string metricId, ReportPeriod week) => null;
}

/// <summary>
/// Turns collected facts into every number of a report: each ok source's computation for the period
/// (with its section), the previous period and every trend week; then the analyzers for the same windows.
/// Pure: no I/O, and the same facts always give the same numbers.
/// </summary>
public static class ReportComputer
{
    public static ReportComputation Compute(
        ReportWindows windows,
        IReadOnlyList<SourceRun> runs,
        IReadOnlyList<IEventAnalyzer> analyzers,
        Func<string, JsonElement> analyzerSettings,
        IPointInTimeHistory history,
        TimeSpan computeTimeout,
        TimeProvider clock,
        Serilog.ILogger logger) =>
        Analyze(windows, ComputeSources(windows, runs, history, computeTimeout, clock, logger), analyzers, analyzerSettings, history);

    /// <summary>Each ok source's numbers for every window, from its own facts (a source whose computation fails is failed).</summary>
    public static IReadOnlyList<ComputedSource> ComputeSources(ReportWindows windows, IReadOnlyList<SourceRun> runs, IPointInTimeHistory history, TimeSpan computeTimeout, TimeProvider clock, Serilog.ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(history);
        ArgumentNullException.ThrowIfNull(clock);
        return runs.Select(run => ComputeSource(windows, run, history, computeTimeout, clock, logger)).ToArray();
    }

    /// <summary>The analyzers' numbers for every window, from the facts of every computed source.</summary>
    public static ReportComputation Analyze(
        ReportWindows windows,
        IReadOnlyList<ComputedSource> sources,
        IReadOnlyList<IEventAnalyzer> analyzers,
        Func<string, JsonElement> analyzerSettings,
        IPointInTimeHistory history)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(analyzers);
        ArgumentNullException.ThrowIfNull(analyzerSettings);
        ArgumentNullException.ThrowIfNull(history);
        var outcomes = sources.ToDictionary(
            s => s.Id,
            s => new SourceOutcome(s.Run.Status, s.Run.Plan.FactTypes, s.Run.Facts),
            StringComparer.Ordinal);
        var computed = analyzers.Select(analyzer =>
        {
            var settings = analyzerSettings(analyzer.Id);
            var perWindow = AllWindows(windows).Select(w => Index(analyzer.Analyze(new AnalysisInput(w, outcomes, settings)))).ToArray();
            return new ComputedAnalyzer(analyzer, Assemble(windows, analyzer.Metrics, perWindow, history));
        }).ToArray();
        return new ReportComputation(windows, sources, computed);
    }

    private static ComputedSource ComputeSource(ReportWindows windows, SourceRun run, IPointInTimeHistory history, TimeSpan timeout, TimeProvider clock, Serilog.ILogger logger)
    {
        if (run.Status != SourceStatus.Ok || run.Facts is not { } facts)
        {
            return new ComputedSource(run, [], null, []);
        }

        var plan = run.Plan;
        ComputedSource Failed(string why) => new(run with { Status = SourceStatus.Failed, Error = SourceResultValidator.Truncate($"{plan.Plugin.DisplayName}: {why}") }, [], null, []);

        var all = AllWindows(windows).ToArray();
        SourceComputation?[] raw;
        try
        {
            // Plugin code: one that throws or hangs fails its own source only, like a collection.
            raw = PluginCall.Run(() => all.Select((window, i) => plan.Source.Compute(facts, new ComputeWindow(window, WithSection: i == 0))).ToArray(), timeout, clock);
        }
        catch (TimeoutException)
        {
            return Failed($"the plugin's computation did not finish within {HumanTime.Describe(timeout)} (http.sourceTimeoutSeconds)");
        }
        catch (Exception ex)
        {
            logger.Debug(ex, "{Source} failed computing its metrics", plan.Id);
            return Failed($"unexpected error in the plugin's computation: {ex.GetType().Name}: {ex.Message}");
        }

        var perWindow = new List<IReadOnlyDictionary<string, MetricValue>>();
        SourceComputation? section = null;
        for (var i = 0; i < all.Length; i++)
        {
            var (computation, problem) = SourceResultValidator.ValidateComputation(plan.Id, raw[i], previous: i == 0 ? raw[1] : null);
            if (computation is null)
            {
                return Failed(i == 0 ? problem! : $"over {all[i]}: {problem}");
            }

            section ??= computation;
            perWindow.Add(Complete(plan, computation.Metrics, i == 0 ? logger : null));
        }

        return new ComputedSource(run, Assemble(windows, plan.Metrics, perWindow, history), section, [.. section!.Notes, .. facts.Notes]);
    }

    /// <summary>
    /// The period first, then the previous period, the trend weeks oldest first and the rolling windows
    /// oldest first but the newest, which is the period itself.
    /// </summary>
    private static IEnumerable<ReportPeriod> AllWindows(ReportWindows windows) =>
        [windows.Period, windows.Previous, .. windows.TrendWeeks, .. windows.RollingWindows.SkipLast(1)];

    private static List<ComputedMetric> Assemble(
        ReportWindows windows,
        IReadOnlyList<MetricDefinition> definitions,
        IReadOnlyList<IReadOnlyDictionary<string, MetricValue>> perWindow,
        IPointInTimeHistory history)
    {
        var weeks = windows.TrendWeeks;
        var firstRolling = 2 + weeks.Count;
        return definitions.Select(definition =>
        {
            var current = perWindow[0].GetValueOrDefault(definition.Id);
            IReadOnlyList<double?> trend = definition.IsPointInTime
                // Only this run's reading is known now; earlier weeks come from stored runs.
                ? weeks.Select((week, i) => i == weeks.Count - 1 ? Finite(current?.Value) : history.Recorded(definition.Id, week)).ToArray()
                : weeks.Select((_, i) => Finite(perWindow[2 + i].GetValueOrDefault(definition.Id)?.Value)).ToArray();
            IReadOnlyList<double?> rolling = definition.IsPointInTime
                ? trend
                : weeks.Select((_, i) => Finite(i == weeks.Count - 1 ? current?.Value : perWindow[firstRolling + i].GetValueOrDefault(definition.Id)?.Value)).ToArray();
            return new ComputedMetric(
                definition.Id,
                Finite(current?.Value),
                definition.IsPointInTime ? Finite(history.Recorded(definition.Id, windows.Previous)) : Finite(perWindow[1].GetValueOrDefault(definition.Id)?.Value),
                current?.SampleSize,
                trend,
                rolling);
        }).ToList();
    }

    /// <summary>A computation's values by id; an undeclared metric is dropped (and logged once, for the period).</summary>
    private static Dictionary<string, MetricValue> Complete(SourcePlan plan, IEnumerable<MetricValue> values, Serilog.ILogger? logger)
    {
        var declared = plan.Metrics.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
        var byId = new Dictionary<string, MetricValue>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (declared.Contains(value.Id))
            {
                byId[value.Id] = value;
            }
            else
            {
                logger?.Warning("{Source} returned undeclared metric {Metric}; ignored", plan.Id, value.Id);
            }
        }

        foreach (var missing in declared.Where(id => !byId.ContainsKey(id)))
        {
            logger?.Warning("{Source} returned no value for {Metric}; reported as null", plan.Id, missing);
        }

        return byId;
    }

    private static Dictionary<string, MetricValue> Index(IEnumerable<MetricValue> values) =>
        values.GroupBy(v => v.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal);

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}

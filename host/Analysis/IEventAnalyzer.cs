using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Analysis;

/// <summary>
/// Computes metrics across sources from their events (the <c>dora.*</c> metrics), after every source
/// has run. Its metrics are known to OKR validation like any source's.
/// </summary>
public interface IEventAnalyzer
{
    /// <summary>Id, metric prefix and the key of its settings object at the top of plugins.json (<c>"dora": {…}</c>).</summary>
    string Id { get; }

    /// <summary>Display name of its report panel.</summary>
    string DisplayName { get; }

    /// <summary>Every metric it produces.</summary>
    IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>
    /// Every problem with its settings object (undefined when plugins.json has none), as (key, message);
    /// reported as errors at <c>$.{Id}.{key}</c> before anything is fetched.
    /// </summary>
    IReadOnlyList<(string Key, string Message)> ValidateSettings(JsonElement settings);

    /// <summary>A value for every metric in <see cref="Metrics"/>; null values where inputs are missing.</summary>
    IReadOnlyList<MetricValue> Analyze(AnalysisInput input);
}

/// <summary>What an analyzer sees: the period and every source's outcome.</summary>
/// <param name="Period">The report period (its previous period is <c>Period.Previous</c>).</param>
/// <param name="Sources">Every known source by id; <see cref="SourceOutcome.Result"/> is set only for ok sources.</param>
/// <param name="Settings">The analyzer's settings object from plugins.json, or an undefined element.</param>
public sealed record AnalysisInput(ReportPeriod Period, IReadOnlyDictionary<string, SourceOutcome> Sources, JsonElement Settings);

/// <summary>A source's status and, when ok, its result.</summary>
public sealed record SourceOutcome(SourceStatus Status, SourceResult? Result);

using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Analysis;

/// <summary>
/// Computes metrics across sources from their facts (the <c>dora.*</c> metrics), after every source has
/// been collected, once per window like a source's computation. It takes facts by kind, never by source
/// id, so a new plugin emitting a shared kind feeds it. Its metrics are known to OKR validation like any
/// source's.
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
    IReadOnlyList<Problem> ValidateSettings(JsonElement settings);

    /// <summary>A value for every metric in <see cref="Metrics"/> over the input's window; null values where inputs are missing.</summary>
    IReadOnlyList<MetricValue> Analyze(AnalysisInput input);
}

/// <summary>What an analyzer sees for one window.</summary>
/// <param name="Period">The window: the report period, the previous period or a trend week.</param>
/// <param name="Sources">Every known source by id.</param>
/// <param name="Settings">The analyzer's settings object from plugins.json, or an undefined element.</param>
public sealed record AnalysisInput(ReportPeriod Period, IReadOnlyDictionary<string, SourceOutcome> Sources, JsonElement Settings);

/// <summary>A source's status, the fact types its plugin declares and, when ok, its facts.</summary>
public sealed record SourceOutcome(SourceStatus Status, IReadOnlyList<Type> FactTypes, FactSet? Facts)
{
    /// <summary>Whether the plugin declares a fact type that is a <typeparamref name="T"/>.</summary>
    public bool Emits<T>() where T : Fact => FactTypes.Any(typeof(T).IsAssignableFrom);

    /// <summary>The facts of kind <typeparamref name="T"/>; none unless the source is ok.</summary>
    public IEnumerable<T> FactsOf<T>() where T : Fact => Status == SourceStatus.Ok && Facts is { } facts ? facts.Facts.OfType<T>() : [];
}

using OkrHost.Contracts;

namespace OkrHost.Testing;

/// <summary>A metric over the period and the previous period, as the report shows it.</summary>
public sealed record PluginMetric(string Id, double? Value, double? Previous, int? SampleSize);

/// <summary>A plugin's facts and what they come to over a period and the period before, for plugin tests.</summary>
public sealed record PluginRun(FactSet FactSet, IReadOnlyList<PluginMetric> Metrics, SourceComputation Section)
{
    public IReadOnlyList<Fact> Facts => FactSet.Facts;

    public IReadOnlyList<TimeSeries> Series => Section.Series;

    public IReadOnlyList<DataTable> Tables => Section.Tables;

    /// <summary>The section's notes and the collection's, as the report shows them.</summary>
    public IReadOnlyList<string> Notes => [.. Section.Notes, .. FactSet.Notes];

    public DateTimeOffset? DataAsOf => Section.DataAsOf;

    public double? Value(string id) => Metrics.Single(m => m.Id == id).Value;

    public double? Previous(string id) => Metrics.Single(m => m.Id == id).Previous;

    /// <summary>Computes <paramref name="period"/> (with the section) and its previous period; a point-in-time metric has no previous value.</summary>
    public static PluginRun Compute(ISourcePlugin plugin, FactSet facts, ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var current = plugin.Compute(facts, new ComputeWindow(period, WithSection: true));
        var previous = plugin.Compute(facts, new ComputeWindow(period.Previous, WithSection: false)).Metrics.ToDictionary(m => m.Id, StringComparer.Ordinal);
        var metrics = current.Metrics.Select(m => new PluginMetric(
            m.Id,
            m.Value,
            plugin.Metrics.Single(d => d.Id == m.Id).IsPointInTime ? null : previous.GetValueOrDefault(m.Id)?.Value,
            m.SampleSize)).ToArray();
        return new PluginRun(facts, metrics, current);
    }
}

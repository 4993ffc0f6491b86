using OkrHost.Contracts;
using OkrHost.Contracts.Sections;
using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>Builds the <see cref="SourceSection"/> a section component receives, from the snapshot alone.</summary>
public static class ReportSections
{
    public static SourceSection For(ReportSnapshot snapshot, SourceReport source) => new()
    {
        Id = source.Id,
        DisplayName = source.DisplayName,
        Metrics = snapshot.Metrics
            .Where(metric => metric.Source == source.Id)
            .Select(metric => new MetricReading(
                new MetricDefinition(metric.Id, metric.Title, metric.Unit, metric.Definition) { HigherIsBetter = metric.HigherIsBetter },
                metric.Value,
                metric.Previous))
            .ToList(),
        Series = source.Series,
        Tables = source.Tables,
        Notes = source.Notes,
    };
}

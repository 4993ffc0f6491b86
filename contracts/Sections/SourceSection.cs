namespace OkrHost.Contracts.Sections;

/// <summary>
/// Implemented, besides <see cref="ISourcePlugin"/>, by a plugin that renders its report section itself
/// instead of the host's default (tiles, charts and tables).
/// </summary>
public interface ISectionRenderer
{
    /// <summary>
    /// A Razor component with a parameter named <c>Section</c> of type <see cref="SourceSection"/>. The
    /// plugin must then compile against the host's Microsoft.AspNetCore.Components major version.
    /// </summary>
    Type SectionComponent { get; }
}

/// <summary>
/// What a plugin's own section component (<see cref="ISectionRenderer.SectionComponent"/>) receives as its
/// <c>Section</c> parameter. Built from the snapshot, so it is the same when re-rendering report.json.
/// </summary>
public sealed record SourceSection
{
    /// <summary>Source id.</summary>
    public required string Id { get; init; }

    /// <summary>Display name.</summary>
    public required string DisplayName { get; init; }

    /// <summary>The source's metrics with their definitions and values.</summary>
    public required IReadOnlyList<MetricReading> Metrics { get; init; }

    /// <summary>The source's time series.</summary>
    public required IReadOnlyList<TimeSeries> Series { get; init; }

    /// <summary>The source's tables.</summary>
    public required IReadOnlyList<DataTable> Tables { get; init; }

    /// <summary>The source's notes.</summary>
    public required IReadOnlyList<string> Notes { get; init; }
}

/// <summary>A metric's definition with its values.</summary>
/// <param name="Definition">The metric.</param>
/// <param name="Value">Value over the period.</param>
/// <param name="Previous">Value over the previous period.</param>
public sealed record MetricReading(MetricDefinition Definition, double? Value, double? Previous);

using System.Text.Json.Serialization;

namespace OkrHost.Contracts;

/// <summary>What a metric's numbers mean. Serialized in report.json as the names in brackets.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<MetricUnit>))]
public enum MetricUnit
{
    /// <summary>A number of things (<c>count</c>).</summary>
    [JsonStringEnumMemberName("count")] Count,
    /// <summary>Hours (<c>hours</c>).</summary>
    [JsonStringEnumMemberName("hours")] Hours,
    /// <summary>Minutes (<c>minutes</c>).</summary>
    [JsonStringEnumMemberName("minutes")] Minutes,
    /// <summary>Milliseconds (<c>ms</c>).</summary>
    [JsonStringEnumMemberName("ms")] Milliseconds,
    /// <summary>A fraction from 0 to 1, shown as a percentage (<c>ratio</c>).</summary>
    [JsonStringEnumMemberName("ratio")] Ratio,
    /// <summary>A rate per 7 days (<c>per-week</c>).</summary>
    [JsonStringEnumMemberName("per-week")] PerWeek,
    /// <summary>A score from 0 to 10, higher is better, like the DORA Quick Check's (<c>score</c>).</summary>
    [JsonStringEnumMemberName("score")] Score,
}

/// <summary>A metric a source can produce.</summary>
/// <param name="Id">Globally unique id, prefixed by the source id: <c>github.deployments</c>.</param>
/// <param name="Title">Short human title: "Production deployments".</param>
/// <param name="Unit">Unit of the value.</param>
/// <param name="Definition">One line saying exactly what is counted or measured.</param>
public sealed record MetricDefinition(string Id, string Title, MetricUnit Unit, string Definition)
{
    /// <summary>
    /// True for a metric measured "now" rather than over the period (open alerts, open war rooms):
    /// its previous value is always <c>null</c>.
    /// </summary>
    public bool IsPointInTime { get; init; }

    /// <summary>
    /// Whether a higher value is better; drives the colour of the change arrow only, never scoring.
    /// <c>null</c> when neither direction is better.
    /// </summary>
    public bool? HigherIsBetter { get; init; }
}

/// <summary>A metric's value over one window.</summary>
/// <param name="Id">A metric id declared in <see cref="ISourcePlugin.Metrics"/>.</param>
/// <param name="Value">Value over the window; <c>null</c> when there is nothing to measure.</param>
public sealed record MetricValue(string Id, double? Value)
{
    /// <summary>
    /// For a median, a percentile or a rate: the number of items it was computed over (the deployments
    /// of a change failure rate, the commits of a lead time). <c>null</c> for counts and sums.
    /// </summary>
    public int? SampleSize { get; init; }

    /// <summary>The <paramref name="percentile"/> of <paramref name="values"/>, with their count as the sample size.</summary>
    public static MetricValue Percentile(string id, IReadOnlyCollection<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        return new MetricValue(id, MetricMath.Percentile(values, percentile)) { SampleSize = values.Count };
    }

    /// <summary>The median of <paramref name="values"/>, with their count as the sample size.</summary>
    public static MetricValue Median(string id, IReadOnlyCollection<double> values) => Percentile(id, values, 50);

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/> (null for 0), with the denominator as the sample size.</summary>
    public static MetricValue Rate(string id, int numerator, int denominator) =>
        new(id, MetricMath.Ratio(numerator, denominator)) { SampleSize = denominator };
}

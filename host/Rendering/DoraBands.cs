namespace OkrHost.Rendering;

/// <summary>A DORA software-delivery performance cluster.</summary>
public enum DoraBand
{
    Elite,
    High,
    Medium,
    Low,
}

/// <summary>
/// Places a <c>dora.*</c> metric in a DORA performance band.
/// </summary>
/// <remarks>
/// Thresholds are the software delivery performance clusters published in the 2023 Accelerate State of
/// DevOps Report (DORA / Google Cloud, October 2023, https://dora.dev/research/2023/dora-report/):
/// <list type="bullet">
/// <item>Elite: deploys on demand, lead time &lt; 1 day, change failure rate 5%, recovery &lt; 1 hour.</item>
/// <item>High: once a day to once a week, 1 day to 1 week, 10%, &lt; 1 day.</item>
/// <item>Medium: once a week to once a month, 1 week to 1 month, 15%, 1 day to 1 week.</item>
/// <item>Low: once a week to once a month, 1 week to 1 month, 64%, 1 month to 6 months.</item>
/// </list>
/// The published clusters are ranges of survey answers, not cut-offs, and in 2023 the low cluster's
/// throughput ranges equal the medium one's. To give every value exactly one band each range becomes
/// its edge: "on demand" is 7 or more deployments a week, "once a month" is 0.25 a week, a cluster's
/// failure rate is an upper bound ("or less"), and anything worse than medium is low (including the
/// 1 week to 1 month recovery gap the report leaves between medium and low).
/// </remarks>
public static class DoraBands
{
    public const string Edition = "DORA 2023 Accelerate State of DevOps Report";

    /// <summary>The fewest items a median or rate needs before it is placed in a band (PRODUCT.md section 8).</summary>
    public const int MinimumSample = 5;

    /// <summary>Whether a value computed over <paramref name="sampleSize"/> items may carry a band; an unknown size (counts, older snapshots) may.</summary>
    public static bool HasEnoughSamples(int? sampleSize) => sampleSize is not { } n || n >= MinimumSample;

    private const double HoursPerDay = 24;
    private const double HoursPerWeek = 7 * HoursPerDay;
    private const double HoursPerMonth = 30 * HoursPerDay;

    /// <summary>The band of <paramref name="value"/> for the metric, or null when it has no value or no band.</summary>
    public static DoraBand? For(string metricId, double? value) => ReportFormat.Finite(value) is not { } v ? null : metricId switch
    {
        "dora.deployment_frequency" => v >= 7 ? DoraBand.Elite : v >= 1 ? DoraBand.High : v >= 0.25 ? DoraBand.Medium : DoraBand.Low,
        "dora.lead_time_hours.p50" => v < HoursPerDay ? DoraBand.Elite : v <= HoursPerWeek ? DoraBand.High : v <= HoursPerMonth ? DoraBand.Medium : DoraBand.Low,
        "dora.change_failure_rate" => v <= 0.05 ? DoraBand.Elite : v <= 0.10 ? DoraBand.High : v <= 0.15 ? DoraBand.Medium : DoraBand.Low,
        "dora.time_to_restore_hours.p50" => v < 1 ? DoraBand.Elite : v < HoursPerDay ? DoraBand.High : v < HoursPerWeek ? DoraBand.Medium : DoraBand.Low,
        _ => null,
    };

    /// <summary>The thresholds in words, for the panel's legend; null for metrics without bands.</summary>
    public static string? Criteria(string metricId) => metricId switch
    {
        "dora.deployment_frequency" => "Elite ≥ 7 / week · High ≥ 1 / week · Medium ≥ 0.25 / week · else Low",
        "dora.lead_time_hours.p50" => "Elite < 1 day · High ≤ 1 week · Medium ≤ 30 days · else Low",
        "dora.change_failure_rate" => "Elite ≤ 5% · High ≤ 10% · Medium ≤ 15% · else Low",
        "dora.time_to_restore_hours.p50" => "Elite < 1 hour · High < 1 day · Medium < 1 week · else Low",
        _ => null,
    };

    public static string Slug(DoraBand band) => band switch
    {
        DoraBand.Elite => "elite",
        DoraBand.High => "high",
        DoraBand.Medium => "medium",
        _ => "low",
    };
}

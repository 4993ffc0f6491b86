using OkrHost.Contracts;

namespace OkrHost.Analysis;

/// <summary>
/// The DORA Quick Check's 0–10 scores (PRODUCT.md section 14): each time-based metric placed in the
/// Quick Check's answer category 1..6 and recoded linearly, the two instability rates as 10 − 10·r,
/// and the throughput, stability and overall means over the scores that have a value.
/// </summary>
public static class DoraScores
{
    public const string LeadTime = "dora.score.lead_time";
    public const string DeploymentFrequency = "dora.score.deployment_frequency";
    public const string Recovery = "dora.score.recovery";
    public const string ChangeFailure = "dora.score.change_failure";
    public const string Rework = "dora.score.rework";
    public const string Throughput = "dora.score.throughput";
    public const string Stability = "dora.score.stability";
    public const string Overall = "dora.score.overall";

    /// <summary>The fewest items a median or rate needs before it is scored (PRODUCT.md sections 8 and 14).</summary>
    public const int MinimumSample = 5;

    /// <summary>Every score id, in the order the panel and <c>doraBenchmarks[]</c> list them.</summary>
    public static IReadOnlyList<string> Ids { get; } = [LeadTime, DeploymentFrequency, Recovery, ChangeFailure, Rework, Throughput, Stability, Overall];

    private const double HoursPerDay = 24;
    private const double HoursPerWeek = 7 * HoursPerDay;
    private const double HoursPerMonth = 30 * HoursPerDay;
    private const double HoursPerSixMonths = 4380;

    /// <summary>The score's metric definitions.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        Score(LeadTime, "Lead time score",
            "dora.lead_time_hours.p50 placed in the Quick Check's lead-time answer (6: under an hour, 5: under a day, 4: under a week, 3: under 30 days, 2: under six months, 1: longer), recoded as 2 × (answer − 1); none under 5 commits."),
        Score(DeploymentFrequency, "Deployment frequency score",
            "dora.deployment_frequency placed in the Quick Check's frequency answer (6: 14+ a week, 5: 7+, 4: 1+, 3: once a month, 2: once in six months, 1: less), recoded as 2 × (answer − 1)."),
        Score(Recovery, "Failed deployment recovery score",
            "dora.failed_deployment_recovery_hours.p50 placed in the Quick Check's recovery answer (same hours as lead time), recoded as 2 × (answer − 1); none under 5 recovered deployments."),
        Score(ChangeFailure, "Change fail rate score", "10 − 10 × dora.change_failure_rate; none under 5 successful deployments."),
        Score(Rework, "Rework rate score", "10 − 10 × dora.rework_rate; none under 5 successful deployments."),
        Score(Throughput, "Throughput score", "Mean of the lead time, deployment frequency and recovery scores that have a value."),
        Score(Stability, "Stability score", "Mean of the change fail rate and rework rate scores that have a value."),
        Score(Overall, "DORA overall score", "Mean of the five metric scores that have a value."),
    ];

    /// <summary>The Quick Check's answer (1..6) for a lead time or recovery time of <paramref name="hours"/>.</summary>
    public static int DurationCategory(double hours) => hours switch
    {
        < 1 => 6,
        < HoursPerDay => 5,
        < HoursPerWeek => 4,
        < HoursPerMonth => 3,
        < HoursPerSixMonths => 2,
        _ => 1,
    };

    /// <summary>The Quick Check's answer (1..6) for <paramref name="perWeek"/> deployments a week.</summary>
    public static int FrequencyCategory(double perWeek) => perWeek switch
    {
        >= 14 => 6,
        >= 7 => 5,
        >= 1 => 4,
        >= 7.0 / 30 => 3,
        >= 7.0 / 182.5 => 2,
        _ => 1,
    };

    /// <summary>An answer category 1..6 on the 0–10 scale: 2 × (category − 1).</summary>
    public static double Recode(double category) => 2 * (category - 1);

    /// <summary>A failure or rework ratio 0..1 on the 0–10 scale, higher is better: 10 − 10·r.</summary>
    public static double FromRate(double ratio) => 10 - (10 * ratio);

    /// <summary>The mean of the scores that have a value; null when none has.</summary>
    public static double? Mean(params double?[] scores) =>
        scores.OfType<double>().ToArray() is { Length: > 0 } present ? present.Average() : null;

    /// <summary>
    /// The eight scores over one window from that window's metric values, each null when its metric has
    /// no value or a sample under <see cref="MinimumSample"/>.
    /// </summary>
    public static IReadOnlyList<MetricValue> Compute(MetricValue leadTime, MetricValue frequency, MetricValue recovery, MetricValue changeFailure, MetricValue rework)
    {
        ArgumentNullException.ThrowIfNull(leadTime);
        ArgumentNullException.ThrowIfNull(frequency);
        ArgumentNullException.ThrowIfNull(recovery);
        ArgumentNullException.ThrowIfNull(changeFailure);
        ArgumentNullException.ThrowIfNull(rework);
        var lead = Scored(leadTime, h => Recode(DurationCategory(h)));
        var deploys = frequency.Value is { } w && double.IsFinite(w) ? Recode(FrequencyCategory(w)) : (double?)null;
        var recover = Scored(recovery, h => Recode(DurationCategory(h)));
        var failure = Scored(changeFailure, FromRate);
        var reworked = Scored(rework, FromRate);
        return
        [
            new(LeadTime, lead),
            new(DeploymentFrequency, deploys),
            new(Recovery, recover),
            new(ChangeFailure, failure),
            new(Rework, reworked),
            new(Throughput, Mean(lead, deploys, recover)),
            new(Stability, Mean(failure, reworked)),
            new(Overall, Mean(lead, deploys, recover, failure, reworked)),
        ];
    }

    /// <summary>The metric a score is read from and what its sample counts; null for the three means.</summary>
    public static (string MetricId, string SampleOf)? Basis(string scoreId) => scoreId switch
    {
        LeadTime => ("dora.lead_time_hours.p50", "commits"),
        DeploymentFrequency => ("dora.deployment_frequency", "deployments"),
        Recovery => (DoraAnalyzer.RecoveryId, "recovered deployments"),
        ChangeFailure => ("dora.change_failure_rate", "deployments"),
        Rework => (DoraAnalyzer.ReworkRateId, "deployments"),
        _ => null,
    };

    /// <summary>Whether a value computed over <paramref name="sampleSize"/> items may be scored.</summary>
    public static bool HasEnoughSamples(int? sampleSize) => sampleSize is not { } n || n >= MinimumSample;

    private static double? Scored(MetricValue metric, Func<double, double> score) =>
        metric.Value is { } v && double.IsFinite(v) && HasEnoughSamples(metric.SampleSize) ? score(v) : null;

    private static MetricDefinition Score(string id, string title, string definition) =>
        new(id, title, MetricUnit.Score, definition) { HigherIsBetter = true };
}

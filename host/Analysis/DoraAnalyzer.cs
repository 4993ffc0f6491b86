using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Reporting;

namespace OkrHost.Analysis;

/// <summary>
/// The DORA panel (PRODUCT.md 6.6 and 14) from facts of shared kinds, whichever sources emit them: deployment
/// frequency and lead time from <see cref="DeploymentFact"/>s and <see cref="ChangeFact"/>s, time to
/// restore from <see cref="IncidentFact"/>s, change failure rate and failed deployment recovery time by
/// attributing incidents to the deployment before them, rework rate from deployments made while an incident
/// was open, postmortem coverage from <see cref="PostmortemFact"/>s over closed incidents, and the Quick
/// Check's 0–10 scores of the five DORA metrics (<see cref="DoraScores"/>).
/// </summary>
public sealed class DoraAnalyzer : IEventAnalyzer
{
    /// <summary>Default of <c>dora.incidentWindowHours</c>.</summary>
    public const double DefaultIncidentWindowHours = 24;

    /// <summary>Largest <c>dora.incidentWindowHours</c>: a year; more says nothing about a deployment.</summary>
    public const double MaxIncidentWindowHours = 8760;

    private const string IncidentWindowKey = "incidentWindowHours";
    private const string IncidentSourcesKey = "incidentSources";

    /// <summary>Key of the benchmark choice in the DORA settings (<see cref="DoraBenchmarks"/>).</summary>
    public const string BenchmarkKey = "benchmark";

    /// <summary>The analyzer's id, metric prefix and settings key.</summary>
    public const string AnalyzerId = "dora";

    /// <inheritdoc/>
    public string Id => AnalyzerId;

    /// <inheritdoc/>
    public string DisplayName => "DORA";

    /// <inheritdoc/>
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("dora.deployment_frequency", "Deployment frequency", MetricUnit.PerWeek,
            "Successful production deployments per week (same as github.deployments_per_week).") { HigherIsBetter = true },
        new("dora.lead_time_hours.p50", "Lead time for changes (median)", MetricUnit.Hours,
            "Median commit-to-production time (same as github.lead_time_hours.p50).") { HigherIsBetter = false },
        new("dora.change_failure_rate", "Change failure rate", MetricUnit.Ratio,
            "Successful deployments in the period that an incident opened in the period is attributed to (the latest successful deployment strictly before it, at most incidentWindowHours earlier) / successful deployments in the period.") { HigherIsBetter = false },
        new("dora.time_to_restore_hours.p50", "Incident time to restore (any cause)", MetricUnit.Hours,
            "Median incident duration (same as slack.war_room_duration_hours.p50).") { HigherIsBetter = false },
        new("dora.postmortem_coverage", "Postmortem coverage", MetricUnit.Ratio,
            "Postmortems created in the period (notion.postmortems) / incidents closed in the period; can exceed 1.") { HigherIsBetter = true },
        new(ReworkRateId, "Deployment rework rate", MetricUnit.Ratio,
            "Successful deployments in the period made while an incident was open, in its first incidentWindowHours (unplanned fixes) / successful deployments in the period.") { HigherIsBetter = false },
        new(RecoveryId, "Failed deployment recovery time (median)", MetricUnit.Hours,
            "Median time from a failed deployment (as the change failure rate counts them) to the close of its last incident, over those whose incidents are all closed.") { HigherIsBetter = false },
        .. DoraScores.Definitions,
    ];

    internal const string ReworkRateId = "dora.rework_rate";
    internal const string RecoveryId = "dora.failed_deployment_recovery_hours.p50";

    /// <inheritdoc/>
    public IReadOnlyList<MetricValue> Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var period = input.Period;
        var deploymentSources = Reporting<DeploymentFact>(input.Sources.Values);
        var incidentSources = IncidentSources(input);
        var postmortemSources = Reporting<PostmortemFact>(input.Sources.Values);

        var frequency = new MetricValue("dora.deployment_frequency", null);
        var leadTime = new MetricValue("dora.lead_time_hours.p50", null);
        var changeFailure = new MetricValue("dora.change_failure_rate", null);
        var restore = new MetricValue("dora.time_to_restore_hours.p50", null);
        var coverage = new MetricValue("dora.postmortem_coverage", null);
        var rework = new MetricValue(ReworkRateId, null);
        var recovery = new MetricValue(RecoveryId, null);

        var successes = deploymentSources.SelectMany(s => s.FactsOf<DeploymentFact>()).Where(d => d.Outcome == DeploymentOutcome.Success)
            .Select(d => d.At).Order().ToArray();
        var incidents = incidentSources.SelectMany(s => s.FactsOf<IncidentFact>()).ToArray();
        if (deploymentSources.Count > 0)
        {
            frequency = frequency with { Value = MetricMath.PerWeek(successes.Count(period.Contains), period) };
            leadTime = MetricValue.Median(leadTime.Id, deploymentSources.SelectMany(s => s.FactsOf<ChangeFact>())
                .Where(c => period.Contains(c.DeployedAt)).Select(c => c.LeadTimeHours).ToArray());
            if (incidentSources.Count > 0)
            {
                var window = TimeSpan.FromHours(IncidentWindowHours(input.Settings));
                var attribution = DeploymentAttribution.Attribute(successes, incidents, period, window);
                changeFailure = attribution.ChangeFailureRate;
                recovery = attribution.RecoveryTime;
                rework = DeploymentAttribution.ReworkRate(successes, incidents, period, window);
            }
        }

        if (incidentSources.Count > 0)
        {
            restore = MetricValue.Median(restore.Id, incidents
                .Where(i => period.Contains(i.OpenedAt) && i.ClosedAt is not null).Select(i => (i.ClosedAt!.Value - i.OpenedAt).TotalHours).ToArray());
            if (postmortemSources.Count > 0)
            {
                coverage = PostmortemCoverage(postmortemSources.SelectMany(s => s.FactsOf<PostmortemFact>()).ToArray(), incidents, period);
            }
        }

        return [frequency, leadTime, changeFailure, restore, coverage, rework, recovery,
            .. DoraScores.Compute(leadTime, frequency, recovery, changeFailure, rework)];
    }

    /// <summary>Postmortems created in the period over incidents closed in it; null when none closed.</summary>
    internal static MetricValue PostmortemCoverage(IReadOnlyList<PostmortemFact> postmortems, IReadOnlyList<IncidentFact> incidents, ReportPeriod period)
    {
        var closed = incidents.Count(w => w.ClosedAt is { } at && period.Contains(at));
        return MetricValue.Rate("dora.postmortem_coverage", postmortems.Count(p => period.Contains(p.CreatedAt)), closed);
    }

    /// <summary>The ok sources whose plugins declare facts of kind <typeparamref name="T"/>.</summary>
    private static List<SourceOutcome> Reporting<T>(IEnumerable<SourceOutcome> sources) where T : Fact =>
        sources.Where(s => s.Status == SourceStatus.Ok && s.Emits<T>()).ToList();

    /// <summary>
    /// The sources named by <c>dora.incidentSources</c> when it is set, else every source that emits
    /// incidents; of those, the ok ones. A named source that is not ok leaves the incident metrics null.
    /// </summary>
    private static List<SourceOutcome> IncidentSources(AnalysisInput input)
    {
        if (input.Settings.ValueKind == JsonValueKind.Object
            && input.Settings.TryGetProperty(IncidentSourcesKey, out var named) && named.ValueKind == JsonValueKind.Array)
        {
            var chosen = named.EnumerateArray().Select(id => id.GetString() ?? "")
                .Select(id => input.Sources.GetValueOrDefault(id)).ToList();
            return chosen.Count > 0 && chosen.All(s => s is { Status: SourceStatus.Ok }) ? chosen.OfType<SourceOutcome>().ToList() : [];
        }

        return Reporting<IncidentFact>(input.Sources.Values);
    }

    /// <inheritdoc/>
    public IReadOnlyList<Problem> ValidateSettings(JsonElement settings)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var problems = new List<Problem>();
        foreach (var property in settings.EnumerateObject())
        {
            switch (property.Name)
            {
                case IncidentWindowKey when property.Value.ValueKind != JsonValueKind.Number || property.Value.GetDouble() is <= 0 or > MaxIncidentWindowHours:
                    problems.Add(Problem.Error($"$.{Id}.{property.Name}", $"must be a number of hours greater than 0 and at most {MaxIncidentWindowHours} (a year), not {property.Value.GetRawText()}"));
                    break;
                case IncidentSourcesKey when property.Value.ValueKind != JsonValueKind.Array
                    || property.Value.EnumerateArray().Any(id => id.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(id.GetString())):
                    problems.Add(Problem.Error($"$.{Id}.{property.Name}", "must be a list of source ids, e.g. [\"slack\"]"));
                    break;
                case BenchmarkKey:
                    problems.AddRange(DoraBenchmarks.Published.Validate(property.Value, $"$.{Id}.{property.Name}"));
                    break;
                case IncidentWindowKey or IncidentSourcesKey or Configuration.JsonReader.CommentKey:
                    break;
                default:
                    problems.Add(Problem.Error($"$.{Id}.{property.Name}", $"unknown key '{property.Name}' (known: {IncidentWindowKey}, {IncidentSourcesKey}, {BenchmarkKey})"));
                    break;
            }
        }

        return problems;
    }

    /// <summary>
    /// <c>dora.incidentWindowHours</c> when it is a positive number; the default otherwise (a bad value
    /// was already reported by <see cref="ValidateSettings"/>).
    /// </summary>
    internal static double IncidentWindowHours(JsonElement settings) =>
        settings.ValueKind == JsonValueKind.Object
        && settings.TryGetProperty(IncidentWindowKey, out var hours)
        && hours.ValueKind == JsonValueKind.Number
        && hours.GetDouble() is var value and > 0
            ? value
            : DefaultIncidentWindowHours;
}

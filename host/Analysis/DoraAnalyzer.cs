using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Analysis;

/// <summary>
/// The DORA panel (PRODUCT.md 6.6): deployment frequency and lead time from GitHub, time to restore
/// from Slack, change failure rate by attributing Slack war rooms to the GitHub deployment before them,
/// and postmortem coverage from Notion postmortems over closed war rooms.
/// </summary>
public sealed class DoraAnalyzer : IEventAnalyzer
{
    /// <summary>Default of <c>dora.incidentWindowHours</c>.</summary>
    public const double DefaultIncidentWindowHours = 24;

    /// <summary>Largest <c>dora.incidentWindowHours</c>: a year; more says nothing about a deployment.</summary>
    public const double MaxIncidentWindowHours = 8760;

    private const string GitHub = "github";
    private const string Slack = "slack";
    private const string Notion = "notion";

    /// <inheritdoc/>
    public string Id => "dora";

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
            "Successful deployments in the period that a war room opened in the period is attributed to (the latest successful deployment strictly before it, at most incidentWindowHours earlier) / successful deployments in the period.") { HigherIsBetter = false },
        new("dora.time_to_restore_hours.p50", "Time to restore (median)", MetricUnit.Hours,
            "Median war-room duration (same as slack.war_room_duration_hours.p50).") { HigherIsBetter = false },
        new("dora.postmortem_coverage", "Postmortem coverage", MetricUnit.Ratio,
            "Postmortems created in the period (notion.postmortems) / war rooms closed in the period; can exceed 1.") { HigherIsBetter = true },
    ];

    /// <inheritdoc/>
    public IReadOnlyList<MetricValue> Analyze(AnalysisInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var github = OkResult(input, GitHub);
        var slack = OkResult(input, Slack);
        var notion = OkResult(input, Notion);
        var window = TimeSpan.FromHours(IncidentWindowHours(input.Settings));
        var period = input.Period;
        var previous = period.Previous;

        var changeFailure = new MetricValue("dora.change_failure_rate", null, null);
        if (github is not null && slack is not null)
        {
            var deployments = github.Events.OfType<DeploymentEvent>().Where(d => d.Outcome == DeploymentOutcome.Success).Select(d => d.At).Order().ToArray();
            var warRooms = slack.Events.OfType<IncidentEvent>().ToArray();
            changeFailure = changeFailure with
            {
                Value = ChangeFailureRate(deployments, warRooms, period, window),
                Previous = ChangeFailureRate(deployments, warRooms, previous, window),
            };
        }

        var coverage = new MetricValue("dora.postmortem_coverage", null, null);
        if (notion is not null && slack is not null)
        {
            var postmortems = notion.Events.OfType<PostmortemEvent>().ToArray();
            var warRooms = slack.Events.OfType<IncidentEvent>().ToArray();
            coverage = coverage with
            {
                Value = PostmortemCoverage(postmortems, warRooms, period),
                Previous = PostmortemCoverage(postmortems, warRooms, previous),
            };
        }

        return
        [
            Copy("dora.deployment_frequency", github, "github.deployments_per_week"),
            Copy("dora.lead_time_hours.p50", github, "github.lead_time_hours.p50"),
            changeFailure,
            Copy("dora.time_to_restore_hours.p50", slack, "slack.war_room_duration_hours.p50"),
            coverage,
        ];
    }

    /// <summary>
    /// Successful deployments in <paramref name="period"/> that at least one war room opened in the period
    /// is attributed to, over the successful deployments in the period; null when there were none.
    /// </summary>
    /// <param name="deployments">Successful deployment times of every repository, ascending.</param>
    internal static double? ChangeFailureRate(DateTimeOffset[] deployments, IReadOnlyList<IncidentEvent> warRooms, ReportPeriod period, TimeSpan window)
    {
        var failed = new HashSet<int>();
        foreach (var warRoom in warRooms.Where(w => period.Contains(w.OpenedAt)))
        {
            // Latest deployment strictly before the war room opened, no more than the window before it.
            var index = LastIndexBefore(deployments, warRoom.OpenedAt);
            if (index >= 0 && warRoom.OpenedAt - deployments[index] <= window)
            {
                failed.Add(index);
            }
        }

        var inPeriod = Enumerable.Range(0, deployments.Length).Where(i => period.Contains(deployments[i])).ToArray();
        return MetricMath.Ratio(inPeriod.Count(failed.Contains), inPeriod.Length);
    }

    /// <summary>Postmortems created in the period over war rooms closed in it; null when none closed.</summary>
    internal static double? PostmortemCoverage(IReadOnlyList<PostmortemEvent> postmortems, IReadOnlyList<IncidentEvent> warRooms, ReportPeriod period)
    {
        var closed = warRooms.Count(w => w.ClosedAt is { } at && period.Contains(at));
        return MetricMath.Ratio(postmortems.Count(p => period.Contains(p.CreatedAt)), closed);
    }

    /// <summary>Index of the last element strictly before <paramref name="instant"/>, or -1.</summary>
    private static int LastIndexBefore(DateTimeOffset[] ascending, DateTimeOffset instant)
    {
        var index = Array.BinarySearch(ascending, instant);
        if (index < 0)
        {
            return ~index - 1;
        }

        // Equal times are not "strictly before"; step back past every deployment at this instant.
        while (index >= 0 && ascending[index] >= instant)
        {
            index--;
        }

        return index;
    }

    private static SourceResult? OkResult(AnalysisInput input, string sourceId) =>
        input.Sources.TryGetValue(sourceId, out var outcome) && outcome.Status == SourceStatus.Ok ? outcome.Result : null;

    private static MetricValue Copy(string id, SourceResult? source, string sourceMetricId) =>
        source?.Metrics.FirstOrDefault(m => m.Id == sourceMetricId) is { } value
            ? new MetricValue(id, value.Value, value.Previous)
            : new MetricValue(id, null, null);

    public IReadOnlyList<(string Key, string Message)> ValidateSettings(JsonElement settings)
    {
        if (settings.ValueKind != JsonValueKind.Object)
        {
            return [];
        }

        var problems = new List<(string, string)>();
        foreach (var property in settings.EnumerateObject())
        {
            if (property.Name != "incidentWindowHours")
            {
                problems.Add((property.Name, $"unknown key '{property.Name}' (known: incidentWindowHours)"));
            }
            else if (property.Value.ValueKind != JsonValueKind.Number || property.Value.GetDouble() is <= 0 or > MaxIncidentWindowHours)
            {
                problems.Add((property.Name, $"must be a number of hours greater than 0 and at most {MaxIncidentWindowHours} (a year), not {property.Value.GetRawText()}"));
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
        && settings.TryGetProperty("incidentWindowHours", out var hours)
        && hours.ValueKind == JsonValueKind.Number
        && hours.GetDouble() is var value and > 0
            ? value
            : DefaultIncidentWindowHours;
}

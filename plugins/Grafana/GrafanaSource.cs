using System.Composition;
using System.Net.Http.Headers;
using System.Text.Json;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>
/// Drifts and findings (tagged annotations), firing alerts and Tempo traces from Grafana's HTTP API
/// (PRODUCT.md section 6.4).
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("grafana", "Grafana", DefaultTokenEnv = GrafanaSettings.DefaultTokenEnv,
    TokenHelp = "A service account token (glsa_...) of a service account with the Viewer role (annotations, alert rules and the Tempo data source). Create it in Grafana under Administration > Users and access > Service accounts > Add service account token.")]
public sealed class GrafanaSource : ISourcePlugin
{
    internal const string TracesUnconfiguredNote =
        "Tempo is not configured (set tempoDatasourceUid to the uid of the Tempo data source): the trace metrics are empty.";

    private static readonly MetricDefinition[] Catalogue =
    [
        new(GrafanaMetricIds.Drifts, "Drifts", MetricUnit.Count,
            "Annotations with time in the period carrying every tag of driftTags (whole tags, exact match).") { HigherIsBetter = false },
        new(GrafanaMetricIds.DriftResolutionP50, "Drift resolution time (median)", MetricUnit.Hours,
            "Median of timeEnd − time over the period's drifts that are regions (timeEnd > time).") { HigherIsBetter = false },
        new(GrafanaMetricIds.Findings, "Findings", MetricUnit.Count,
            "Annotations with time in the period carrying every tag of findingTags (whole tags, exact match)."),
        new(GrafanaMetricIds.FindingsCritical, "Critical findings", MetricUnit.Count,
            "Findings in the period also tagged severity:critical (case-insensitive).") { HigherIsBetter = false },
        new(GrafanaMetricIds.AlertsFiring, "Alerts firing", MetricUnit.Count,
            "Grafana-managed alert instances now in state firing or Alerting (not pending, not Alerting (NoData)/(Error)).")
            { HigherIsBetter = false, IsPointInTime = true },
        new(GrafanaMetricIds.Traces, "Traces", MetricUnit.Count,
            "Traces found by TraceQL {} starting in the period (Tempo, through the data source proxy)."),
        new(GrafanaMetricIds.ErrorTraces, "Error traces", MetricUnit.Count,
            "Traces found by TraceQL { status = error } starting in the period.") { HigherIsBetter = false },
        new(GrafanaMetricIds.TraceErrorRate, "Trace error rate", MetricUnit.Ratio,
            "Error traces / traces in the period.") { HigherIsBetter = false },
        new(GrafanaMetricIds.TraceDurationP95, "Trace duration (p95)", MetricUnit.Milliseconds,
            "95th percentile of durationMs over the {} traces of the period.") { HigherIsBetter = false },
        new(GrafanaMetricIds.Spans, "Spans", MetricUnit.Count,
            "Sum of matched over the span sets of the {} traces of the period."),
    ];

    /// <inheritdoc/>
    public IReadOnlyList<MetricDefinition> Metrics => Catalogue;

    /// <inheritdoc/>
    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<SettingProblem>();
        var bound = settings.Bind<GrafanaSettings>(problems);
        if (string.IsNullOrWhiteSpace(bound.BaseUrl))
        {
            problems.Add(SettingProblem.Missing(settings.Path("baseUrl"),
                "baseUrl is required: your Grafana's URL, e.g. https://grafana.example.com/ or https://yourstack.grafana.net/"));
        }
        else if (!Uri.TryCreate(bound.BaseUrl, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add(SettingProblem.Invalid(settings.Path("baseUrl"), $"'{bound.BaseUrl}' is not an absolute http(s) URL"));
        }

        CheckTags(settings, "driftTags", bound.DriftTags, problems);
        CheckTags(settings, "findingTags", bound.FindingTags, problems);
        if (bound.TempoDatasourceUid is { } uid
            && (uid.Length is 0 or > 40 || !uid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problems.Add(SettingProblem.Invalid(settings.Path("tempoDatasourceUid"),
                $"'{uid}' is not a Grafana data source uid (1 to 40 letters, digits, '-' or '_'); leave it out when there is no Tempo"));
        }

        CheckPositive(settings, "annotationLimit", bound.AnnotationLimit, problems);
        CheckPositive(settings, "traceLimit", bound.TraceLimit, problems);
        CheckPositive(settings, "maxTraceSearches", bound.MaxTraceSearches, problems);
        return problems;
    }

    /// <inheritdoc/>
    public async Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var problems = new List<SettingProblem>();
        var settings = context.Settings.Bind<GrafanaSettings>(problems);
        var baseUrl = new Uri(settings.BaseUrl!.EndsWith('/') ? settings.BaseUrl : settings.BaseUrl + "/");
        using var http = context.Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = baseUrl,
            Authorization = new AuthenticationHeaderValue("Bearer", context.Settings.Token),
        });
        var client = new GrafanaClient(http, settings, TokenEnv(context.Settings));
        var period = context.Period;
        var previous = context.PreviousPeriod;

        // One search per tag set spans both periods: Grafana has no cursor, so fewer, wider windows cost
        // the fewest requests, and the split keeps each one whole.
        var fromMs = previous.From.ToUnixTimeMilliseconds();
        var toMs = period.To.ToUnixTimeMilliseconds() - 1;
        context.Progress.Report(new SourceProgress("drift and finding annotations"));
        var driftTask = client.AnnotationsAsync(settings.DriftTags!, fromMs, toMs, cancellationToken);
        var findingTask = settings.FindingTags!.Order(StringComparer.Ordinal).SequenceEqual(settings.DriftTags!.Order(StringComparer.Ordinal))
            ? driftTask
            : client.AnnotationsAsync(settings.FindingTags!, fromMs, toMs, cancellationToken);
        context.Progress.Report(new SourceProgress("alerts firing now"));
        var alertsTask = client.AlertsAsync(cancellationToken);
        var tracesTask = settings.TempoDatasourceUid is { } uid
            ? TracesAsync(client, uid, previous.From, period.To, context.Progress, cancellationToken)
            : Task.FromResult<(TraceSearch All, TraceSearch Errors)?>(null);
        await Task.WhenAll(driftTask, findingTask, alertsTask, tracesTask);

        var report = new GrafanaReport(period, baseUrl);
        var result = report.Build(
            (await driftTask).Annotations.Where(a => a.HasEvery(settings.DriftTags!)).ToArray(),
            (await findingTask).Annotations.Where(a => a.HasEvery(settings.FindingTags!)).ToArray(),
            await alertsTask,
            await tracesTask);
        AddSplitNotes(result, settings, await driftTask, await findingTask);
        if (settings.TempoDatasourceUid is null)
        {
            result.Notes.Add(TracesUnconfiguredNote);
        }

        result.DataAsOf = context.Clock.GetUtcNow();
        return result;
    }

    private static async Task<(TraceSearch All, TraceSearch Errors)?> TracesAsync(
        GrafanaClient client, string uid, DateTimeOffset from, DateTimeOffset to, IProgress<SourceProgress> progress, CancellationToken cancellationToken)
    {
        progress.Report(new SourceProgress("Tempo trace search"));
        var start = from.ToUnixTimeSeconds();
        var end = (long)Math.Ceiling((to - DateTimeOffset.UnixEpoch).TotalSeconds);
        var all = client.TracesAsync(uid, GrafanaReport.AllTracesQuery, start, end, cancellationToken);
        var errors = client.TracesAsync(uid, GrafanaReport.ErrorTracesQuery, start, end, cancellationToken);
        return (await all, await errors);
    }

    private static void AddSplitNotes(SourceResult result, GrafanaSettings settings, AnnotationSearch drifts, AnnotationSearch findings)
    {
        foreach (var (name, search) in new[] { ("drift", drifts), ("finding", findings) }.DistinctBy(s => s.Item2))
        {
            if (search.Requests > 1)
            {
                result.Notes.Add($"The {name} annotations took {search.Requests} requests: windows holding {settings.AnnotationLimit} " +
                    "(annotationLimit) or more were split until none was full, so every annotation is counted.");
            }
        }
    }

    private static string TokenEnv(SourceSettings settings) =>
        settings.Json.ValueKind == JsonValueKind.Object && settings.Json.TryGetProperty("tokenEnv", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : GrafanaSettings.DefaultTokenEnv;

    private static void CheckTags(SourceSettings settings, string key, List<string>? tags, List<SettingProblem> problems)
    {
        if (tags is null || tags.Count == 0)
        {
            problems.Add(SettingProblem.Invalid(settings.Path(key), "must list at least one tag (an empty list would count every annotation)"));
            return;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i] != tags[i].Trim())
            {
                problems.Add(SettingProblem.Invalid($"{settings.Path(key)}[{i}]", "must be a non-empty tag without surrounding spaces"));
            }
        }
    }

    private static void CheckPositive(SourceSettings settings, string key, int value, List<SettingProblem> problems)
    {
        if (value < 1)
        {
            problems.Add(SettingProblem.Invalid(settings.Path(key), $"must be at least 1 (was {value})"));
        }
    }
}

/// <summary>The metric ids of PRODUCT.md section 6.4.</summary>
internal static class GrafanaMetricIds
{
    public const string Drifts = "grafana.drifts";
    public const string DriftResolutionP50 = "grafana.drift_resolution_hours.p50";
    public const string Findings = "grafana.findings";
    public const string FindingsCritical = "grafana.findings_critical";
    public const string AlertsFiring = "grafana.alerts_firing";
    public const string Traces = "grafana.traces";
    public const string ErrorTraces = "grafana.error_traces";
    public const string TraceErrorRate = "grafana.trace_error_rate";
    public const string TraceDurationP95 = "grafana.trace_duration_ms.p95";
    public const string Spans = "grafana.spans";
}

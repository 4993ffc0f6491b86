using System.Composition;
using System.Globalization;
using System.Net.Http.Headers;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>
/// Drifts and findings (tagged annotations), firing alerts and Tempo traces from Grafana's HTTP API
/// (PRODUCT.md section 6.4).
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("grafana", "Grafana", DefaultTokenEnv = GrafanaSettings.DefaultTokenEnv,
    TokenHelp = "A service account token (glsa_...) of a service account with the Viewer role (annotations, alert rules and the Tempo data source). Create it in Grafana under Administration > Users and access > Service accounts > Add service account token.")]
public sealed class GrafanaSource : SourcePlugin<GrafanaSettings>
{
    internal const string TracesUnconfiguredNote =
        "Tempo is not configured (set tempoDatasourceUid to the uid of the Tempo data source): the trace metrics are empty.";

    /// <summary>
    /// How far before the end of a stored collection a re-run reads again. Annotations are often written a
    /// little after the moment they mark (a drift detector's next pass, a person noting a finding after the
    /// fact) and clocks differ; an hour more of annotations and traces costs no extra request while the
    /// recent part fits one answer, only bytes.
    /// </summary>
    private static readonly TimeSpan RecentMargin = TimeSpan.FromHours(1);

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
    public override IReadOnlyList<MetricDefinition> Metrics => Catalogue;

    /// <inheritdoc/>
    public override IReadOnlyList<Type> FactTypes { get; } =
        [typeof(GrafanaAnnotationFact), typeof(FiringAlertsFact), typeof(GrafanaTraceFact), typeof(TraceSearchFact)];

    /// <inheritdoc/>
    protected override void Validate(GrafanaSettings settings, SourceSettings source, List<Problem> problems)
    {
        if (source.BaseUrl is null)
        {
            problems.Add(Problem.Missing(source.Path("baseUrl"),
                "baseUrl is required: your Grafana's URL, e.g. https://grafana.example.com/ or https://yourstack.grafana.net/"));
        }

        CheckTags(source, "driftTags", settings.DriftTags, problems);
        CheckTags(source, "findingTags", settings.FindingTags, problems);
        if (settings.TempoDatasourceUid is { } uid
            && (uid.Length is 0 or > 40 || !uid.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
        {
            problems.Add(Problem.Error(source.Path("tempoDatasourceUid"),
                $"'{uid}' is not a Grafana data source uid (1 to 40 letters, digits, '-' or '_'); leave it out when there is no Tempo"));
        }

        CheckPositive(source, "annotationLimit", settings.AnnotationLimit, problems);
        CheckPositive(source, "traceLimit", settings.TraceLimit, problems);
        CheckPositive(source, "maxTraceSearches", settings.MaxTraceSearches, problems);
    }

    /// <inheritdoc/>
    protected override async Task<FactSet> CollectAsync(GrafanaSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var configured = context.Settings.BaseUrl ?? throw new SourceException("Grafana: baseUrl is not set");
        var baseUrl = configured.AbsoluteUri.EndsWith('/') ? configured : new Uri(configured.AbsoluteUri + "/");
        using var http = context.Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = baseUrl,
            Authorization = new AuthenticationHeaderValue("Bearer", context.Settings.Token),
        });
        var client = new GrafanaClient(http, settings, context.Settings.TokenEnv ?? GrafanaSettings.DefaultTokenEnv);
        var window = context.FetchWindow;
        var known = context.Known;

        // A stored collection is built on from the recent part of the window on (all of it when nothing is
        // stored): Grafana can be asked only by time, not by update, so see RecentFrom for what that catches.
        var annotationsFrom = RecentFrom(known, window);
        var tracesFrom = known?.Facts.OfType<TraceSearchFact>().Any(s => s.Sampled) == true ? window.From : annotationsFrom;

        // One search per tag set spans the whole part asked for: Grafana has no cursor, so fewer, wider
        // windows cost the fewest requests, and the split keeps each one whole.
        var fromMs = annotationsFrom.ToUnixTimeMilliseconds();
        var toMs = window.To.ToUnixTimeMilliseconds() - 1;
        context.Progress.Report(new SourceProgress("drift and finding annotations"));
        var driftTask = client.AnnotationsAsync(settings.DriftTags!, fromMs, toMs, cancellationToken);
        var findingTask = settings.FindingTags!.Order(StringComparer.Ordinal).SequenceEqual(settings.DriftTags!.Order(StringComparer.Ordinal))
            ? driftTask
            : client.AnnotationsAsync(settings.FindingTags!, fromMs, toMs, cancellationToken);
        context.Progress.Report(new SourceProgress("alerts firing now"));
        var alertsTask = client.AlertsAsync(cancellationToken);
        var tracesTask = settings.TempoDatasourceUid is { } uid
            ? TracesAsync(client, uid, tracesFrom, window.To, context.Progress, cancellationToken)
            : Task.FromResult<(TraceSearch All, TraceSearch Errors)?>(null);
        await Task.WhenAll(driftTask, findingTask, alertsTask, tracesTask);

        var now = context.Clock.GetUtcNow();
        var facts = new List<Fact>();
        foreach (var annotation in (await driftTask).Annotations.Concat((await findingTask).Annotations).DistinctBy(a => a.Id))
        {
            var isDrift = annotation.HasEvery(settings.DriftTags!);
            var isFinding = annotation.HasEvery(settings.FindingTags!);
            if (isDrift || isFinding)
            {
                facts.Add(new GrafanaAnnotationFact(annotation.Id.ToString(CultureInfo.InvariantCulture), annotation.Time, annotation.TimeEnd,
                    annotation.Tags ?? [], annotation.Text ?? "", DashboardLink(baseUrl, annotation), isDrift, isFinding)
                    { UpdatedAt = annotation.Updated > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(annotation.Updated) : now });
            }
        }

        // Stored annotations that ended before the part asked for: Grafana's overlap test would have returned
        // every other one, as it is now.
        var windowFromMs = window.From.ToUnixTimeMilliseconds();
        facts.AddRange(Unasked(known, facts, (GrafanaAnnotationFact a) => a.TimeEnd < fromMs && a.TimeEnd >= windowFromMs && a.Time <= toMs));

        var firing = (await alertsTask).Where(a => a.IsFiring)
            .Select(a => new FiringAlert(a.Name, a.State, a.ActiveAt, a.Annotations?.GetValueOrDefault("summary") ?? "")).ToArray();
        facts.Add(new FiringAlertsFact(FiringAlertsFact.FixedId, firing) { UpdatedAt = now });

        var notes = new List<string>();
        if (await tracesTask is { } traces)
        {
            foreach (var (query, search) in new[] { (GrafanaReport.AllTracesQuery, traces.All), (GrafanaReport.ErrorTracesQuery, traces.Errors) })
            {
                facts.Add(new TraceSearchFact(query) { Sampled = search.Truncated, UpdatedAt = now });
                facts.AddRange(search.Traces.Where(t => window.Contains(t.Start)).Select(t =>
                    new GrafanaTraceFact($"{query} {t.TraceId}", query, t.RootServiceName, t.Start, t.DurationMs, t.MatchedSpans) { UpdatedAt = now }));
                if (search.Truncated)
                {
                    notes.Add($"Tempo search {query}: a window still returned traceLimit traces after {search.Requests} searches " +
                        "(maxTraceSearches), so the trace numbers are a sample, not a full count: raise traceLimit or maxTraceSearches.");
                }
            }

            // A trace does not change once written, so the stored ones that started before the part searched stay.
            facts.AddRange(Unasked(known, facts, (GrafanaTraceFact t) => t.Start < tracesFrom && window.Contains(t.Start)));
        }

        AddSplitNotes(notes, settings, await driftTask, await findingTask);
        if (settings.TempoDatasourceUid is null)
        {
            notes.Add(TracesUnconfiguredNote);
        }

        return new FactSet { Window = window, CollectedAt = now, Facts = facts, Notes = notes };
    }

    /// <summary>
    /// Where this collection asks Grafana again when it builds on <paramref name="known"/>: from a margin
    /// before the end of what was stored (the earlier of its window's end and its collection), or the
    /// window's start when nothing usable is stored. Grafana can be asked for annotations and traces only by
    /// time, never "updated since", so this catches what is new and what is still moving: annotations marked
    /// from there on, and, by Grafana's overlap test, every annotation whose end lies there — a region still
    /// running at the stored collection, or one closed or extended since. An edit that leaves an annotation
    /// ending earlier (text, tags, a deletion, an end moved into the past) is seen by a cold run only
    /// (<c>--no-cache</c>). Traces do not change once written.
    /// </summary>
    private static DateTimeOffset RecentFrom(FactSet? known, ReportPeriod window)
    {
        if (known is null || known.Window.From > window.From)
        {
            return window.From;
        }

        // Never past an hour before the window's end, so that a window ending before the stored one's still
        // asks Tempo for a proper range (start before end).
        var storedEnd = known.Window.To < known.CollectedAt ? known.Window.To : known.CollectedAt;
        var from = (storedEnd < window.To ? storedEnd : window.To) - RecentMargin;
        return from > window.From ? from : window.From;
    }

    /// <summary>The stored facts of kind <typeparamref name="T"/> that <paramref name="keep"/> and that this collection has not read again.</summary>
    private static IEnumerable<T> Unasked<T>(FactSet? known, List<Fact> read, Func<T, bool> keep)
        where T : Fact
    {
        var fresh = read.OfType<T>().Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        return (known?.Facts.OfType<T>() ?? []).Where(f => keep(f) && !fresh.Contains(f.Id)).ToArray();
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var traces = facts.Facts.OfType<GrafanaTraceFact>().ToArray();
        var result = new GrafanaReport(window.Period).Build(
            facts.Facts.OfType<GrafanaAnnotationFact>().ToArray(),
            facts.Facts.OfType<FiringAlertsFact>().SingleOrDefault()?.Alerts ?? [],
            facts.Facts.OfType<TraceSearchFact>().Any()
                ? (traces.Where(t => t.Query == GrafanaReport.AllTracesQuery).ToArray(), traces.Where(t => t.Query == GrafanaReport.ErrorTracesQuery).ToArray())
                : null,
            window.WithSection);
        return window.WithSection ? result with { DataAsOf = facts.CollectedAt } : result;
    }

    private static string? DashboardLink(Uri baseUrl, Annotation annotation)
    {
        if (string.IsNullOrEmpty(annotation.DashboardUid))
        {
            return null;
        }

        var hour = 3_600_000L;
        var query = string.Create(CultureInfo.InvariantCulture,
            $"d/{Uri.EscapeDataString(annotation.DashboardUid)}?from={annotation.Time - hour}&to={Math.Max(annotation.Time, annotation.TimeEnd) + hour}");
        return new Uri(baseUrl, annotation.PanelId > 0 ? $"{query}&viewPanel={annotation.PanelId}" : query).ToString();
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

    private static void AddSplitNotes(List<string> notes, GrafanaSettings settings, AnnotationSearch drifts, AnnotationSearch findings)
    {
        foreach (var (name, search) in new[] { ("drift", drifts), ("finding", findings) }.DistinctBy(s => s.Item2))
        {
            if (search.Requests > 1)
            {
                notes.Add($"The {name} annotations took {search.Requests} requests: windows holding {settings.AnnotationLimit} " +
                    "(annotationLimit) or more were split until none was full, so every annotation is counted.");
            }
        }
    }

    private static void CheckTags(SourceSettings settings, string key, List<string>? tags, List<Problem> problems)
    {
        if (tags is null || tags.Count == 0)
        {
            problems.Add(Problem.Error(settings.Path(key), "must list at least one tag (an empty list would count every annotation)"));
            return;
        }

        for (var i = 0; i < tags.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(tags[i]) || tags[i] != tags[i].Trim())
            {
                problems.Add(Problem.Error($"{settings.Path(key)}[{i}]", "must be a non-empty tag without surrounding spaces"));
            }
        }
    }

    private static void CheckPositive(SourceSettings settings, string key, int value, List<Problem> problems)
    {
        if (value < 1)
        {
            problems.Add(Problem.Error(settings.Path(key), $"must be at least 1 (was {value})"));
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

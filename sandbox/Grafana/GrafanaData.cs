namespace OkrHost.Sandbox.Grafana;

/// <summary>
/// Everything the Grafana emulator serves. Tests may replace or add records after the sandbox has
/// started, before running the plugin; the emulator copies the lists under <c>lock (data)</c> for each
/// answer, so edits must not race a run.
/// </summary>
public sealed class GrafanaData
{
    /// <summary>Annotations (organisation-wide, dashboard and alert annotations alike).</summary>
    public List<GrafanaAnnotation> Annotations { get; } = [];

    /// <summary>Grafana-managed alert instances, as the Prometheus-compatible alerts endpoint lists them.</summary>
    public List<GrafanaAlertInstance> Alerts { get; } = [];

    /// <summary>Tempo data sources reachable through the data source proxy: uid → traces.</summary>
    public Dictionary<string, List<TempoTrace>> TempoDataSources { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// One annotation. A point annotation has <see cref="TimeEnd"/> equal to <see cref="Time"/> (Grafana
/// stores <c>epoch_end = epoch</c> for them); a region has <see cref="TimeEnd"/> after it.
/// </summary>
public sealed record GrafanaAnnotation
{
    /// <summary>Annotation id.</summary>
    public required long Id { get; init; }

    /// <summary>Start (the annotation's <c>time</c>).</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>End (<c>timeEnd</c>); equal to <see cref="Time"/> for a point annotation.</summary>
    public required DateTimeOffset TimeEnd { get; init; }

    /// <summary>Tags, e.g. <c>drift</c>, <c>env:prod</c>.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>User-written text (may contain markup; clients must escape it).</summary>
    public required string Text { get; init; }

    /// <summary>Legacy alert id; 0 for annotations people or tools created (<c>type=annotation</c>).</summary>
    public long AlertId { get; init; }

    /// <summary>Dashboard the annotation belongs to; empty for organisation annotations.</summary>
    public string DashboardUid { get; init; } = "";

    /// <summary>Panel the annotation belongs to; 0 for none.</summary>
    public long PanelId { get; init; }

    /// <summary>Author's user id.</summary>
    public long UserId { get; init; }

    /// <summary>Author's login.</summary>
    public string Login { get; init; } = "";

    /// <summary>Author's e-mail.</summary>
    public string Email { get; init; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset Created { get; init; }

    /// <summary>When it was last edited.</summary>
    public DateTimeOffset Updated { get; init; }

    /// <summary>A point annotation by the automation user.</summary>
    public static GrafanaAnnotation Point(long id, DateTimeOffset time, string text, params string[] tags) =>
        Region(id, time, time, text, tags);

    /// <summary>A region annotation by the automation user.</summary>
    public static GrafanaAnnotation Region(long id, DateTimeOffset time, DateTimeOffset timeEnd, string text, params string[] tags) => new()
    {
        Id = id,
        Time = time,
        TimeEnd = timeEnd,
        Text = text,
        Tags = tags,
        UserId = 1,
        Login = "drift-bot",
        Email = "drift-bot@acme.example",
        Created = time,
        Updated = timeEnd,
    };
}

/// <summary>A Grafana-managed alert instance.</summary>
/// <param name="Labels">Labels, <c>alertname</c> first.</param>
/// <param name="Annotations">Annotations such as <c>summary</c>.</param>
/// <param name="State">As Grafana reports it: <c>Alerting</c>, <c>firing</c>, <c>Pending</c>, <c>Normal</c>, <c>Alerting (NoData)</c>…</param>
/// <param name="ActiveAt">When it became active; <c>null</c> for an inactive instance.</param>
/// <param name="Value">Last evaluated value as Grafana prints it.</param>
public sealed record GrafanaAlertInstance(
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    string State,
    DateTimeOffset? ActiveAt,
    string Value);

/// <summary>One trace stored in Tempo.</summary>
/// <param name="TraceId">32 hex digits.</param>
/// <param name="RootServiceName">Service of the root span.</param>
/// <param name="RootTraceName">Name of the root span.</param>
/// <param name="Start">Start of the root span.</param>
/// <param name="DurationMs">Duration of the trace in ms (at least 1; Tempo leaves 0 out).</param>
/// <param name="SpanCount">Spans in the trace.</param>
/// <param name="ErrorSpanCount">Spans with <c>status = error</c>.</param>
public sealed record TempoTrace(
    string TraceId,
    string RootServiceName,
    string RootTraceName,
    DateTimeOffset Start,
    int DurationMs,
    int SpanCount,
    int ErrorSpanCount)
{
    /// <summary>End of the trace.</summary>
    public DateTimeOffset End => Start + TimeSpan.FromMilliseconds(DurationMs);
}

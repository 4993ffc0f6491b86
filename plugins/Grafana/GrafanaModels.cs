using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrHost.Plugins.Grafana;

/// <summary>The fields of a Grafana annotation (<c>GET /api/annotations</c>) the report uses.</summary>
internal sealed class Annotation
{
    public required long Id { get; init; }

    /// <summary>Start, epoch ms.</summary>
    public required long Time { get; init; }

    /// <summary>End, epoch ms; equal to <see cref="Time"/> (or 0 on old servers) for a point annotation.</summary>
    public long TimeEnd { get; init; }

    /// <summary>Last edit, epoch ms (0 when absent).</summary>
    public long Updated { get; init; }

    public IReadOnlyList<string>? Tags { get; init; }

    public string? Text { get; init; }

    [JsonPropertyName("dashboardUID")]
    public string? DashboardUid { get; init; }

    public long PanelId { get; init; }

    public DateTimeOffset Start => DateTimeOffset.FromUnixTimeMilliseconds(Time);

    /// <summary>Hours from start to end for a region; <c>null</c> for a point annotation.</summary>
    public double? RegionHours => TimeEnd > Time ? (TimeEnd - Time) / 3_600_000d : null;

    public bool HasEvery(IReadOnlyList<string> tags) => tags.All(tag => Tags?.Contains(tag, StringComparer.Ordinal) == true);
}

/// <summary><c>GET /api/prometheus/grafana/api/v1/alerts</c>.</summary>
internal sealed class AlertsResponse
{
    public required string Status { get; init; }

    public AlertsData? Data { get; init; }
}

internal sealed class AlertsData
{
    public required IReadOnlyList<AlertInstance> Alerts { get; init; }
}

internal sealed class AlertInstance
{
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public required string State { get; init; }

    public DateTimeOffset? ActiveAt { get; init; }

    /// <summary>
    /// Firing in Prometheus's spelling (<c>firing</c>) or Grafana's (<c>Alerting</c>), as the whole state:
    /// <c>Alerting (NoData)</c>, <c>Alerting (Error)</c> and the pending states are not firing.
    /// </summary>
    public bool IsFiring =>
        State.Trim() is var state
        && (state.Equals("firing", StringComparison.OrdinalIgnoreCase) || state.Equals("alerting", StringComparison.OrdinalIgnoreCase));

    public string Name => Labels?.GetValueOrDefault("alertname") ?? "(unnamed)";
}

/// <summary>Tempo's search answer, as passed through Grafana's data source proxy.</summary>
internal sealed class TempoSearchResponse
{
    public List<TempoTrace>? Traces { get; init; }
}

internal sealed class TempoTrace
{
    [JsonPropertyName("traceID")]
    public required string TraceId { get; init; }

    public string? RootServiceName { get; init; }

    /// <summary>Tempo's protobuf JSON writes this uint64 as a string.</summary>
    public required long StartTimeUnixNano { get; init; }

    /// <summary>Left out by Tempo when under 1 ms.</summary>
    public double DurationMs { get; init; }

    public IReadOnlyList<TempoSpanSet>? SpanSets { get; init; }

    /// <summary>The only span set of servers older than Tempo 2.2, which have no <see cref="SpanSets"/>.</summary>
    public TempoSpanSet? SpanSet { get; init; }

    public DateTimeOffset Start => DateTimeOffset.UnixEpoch + TimeSpan.FromTicks(StartTimeUnixNano / 100);

    public long MatchedSpans => SpanSets is { } sets ? sets.Sum(s => (long)s.Matched) : SpanSet?.Matched ?? 0;
}

internal sealed class TempoSpanSet
{
    public int Matched { get; init; }
}

internal static class GrafanaJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        NumberHandling = JsonNumberHandling.AllowReadingFromString,
    };
}

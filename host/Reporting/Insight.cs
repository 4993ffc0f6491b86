using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrHost.Reporting;

/// <summary>What kind of change an <see cref="Insight"/> reports.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InsightKind>))]
public enum InsightKind
{
    /// <summary>A key result's status differs from the last stored run's.</summary>
    [JsonStringEnumMemberName("status-changed")] StatusChanged,
    /// <summary>A metric moved most against the previous period.</summary>
    [JsonStringEnumMemberName("mover")] Mover,
    /// <summary>The newest trend week lies outside the range of the other weeks.</summary>
    [JsonStringEnumMemberName("anomaly")] Anomaly,
    /// <summary>A key result's trend line misses its target by the due date.</summary>
    [JsonStringEnumMemberName("pace")] Pace,
    /// <summary>A source failed.</summary>
    [JsonStringEnumMemberName("source-failed")] SourceFailed,
    /// <summary>A source is enabled but lacks a token or setting.</summary>
    [JsonStringEnumMemberName("source-not-configured")] SourceNotConfigured,
    /// <summary>An owner's check-in confidence is two or more steps from the computed status.</summary>
    [JsonStringEnumMemberName("confidence-gap")] ConfidenceGap,
}

/// <summary>How much an insight matters; the block at the top of the report is ranked by it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<InsightSeverity>))]
public enum InsightSeverity
{
    [JsonStringEnumMemberName("critical")] Critical,
    [JsonStringEnumMemberName("warning")] Warning,
    [JsonStringEnumMemberName("info")] Info,
}

/// <summary>
/// One deterministic finding: a sentence for people, and the facts it was built from for scripts and
/// for checking a model's prose. <see cref="KeyResult"/> is the key result's title.
/// </summary>
public sealed record Insight(
    InsightKind Kind,
    InsightSeverity Severity,
    string Text,
    string? Metric,
    string? KeyResult,
    IReadOnlyDictionary<string, JsonElement> Facts)
{
    /// <summary>Builds the facts dictionary from name/value pairs (numbers, strings, dates, statuses).</summary>
    public static IReadOnlyDictionary<string, JsonElement> FactsOf(params (string Name, object? Value)[] facts) =>
        facts.ToDictionary(f => f.Name, f => JsonSerializer.SerializeToElement(f.Value, SnapshotJson.Options), StringComparer.Ordinal);
}

/// <summary>What became of the optional model-written summary (PRODUCT.md section 10).</summary>
/// <param name="Model">The model, as the page names it: provider and model name.</param>
/// <param name="Text">The accepted prose; null when it was rejected or could not be written.</param>
/// <param name="Note">Why there is no prose (rejected numbers, an error); null when accepted.</param>
/// <param name="Requests">Requests sent to the model.</param>
public sealed record NarrativeReport(string Model, string? Text, string? Note, long Requests);

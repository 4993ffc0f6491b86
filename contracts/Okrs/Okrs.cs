using System.Text.Json.Serialization;

namespace OkrHost.Contracts.Okrs;

/// <summary>
/// Implemented, besides <see cref="ISourcePlugin"/>, by a plugin that can supply the OKRs themselves
/// (a Notion database). Chosen with <c>"okrs": { "source": "&lt;id&gt;" }</c> in plugins.json.
/// </summary>
public interface IOkrProvider
{
    /// <summary>
    /// Reads the OKR definitions. A row that cannot become a key result is returned in
    /// <see cref="OkrDocument.Problems"/> and left out; the other rows still score. Throw
    /// <see cref="SourceException"/> when nothing can be read at all.
    /// </summary>
    Task<OkrDocument> LoadOkrsAsync(CollectContext context, CancellationToken cancellationToken);
}

/// <summary>Whether a key result wants its metric to go up or down.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyResultDirection>))]
public enum KeyResultDirection
{
    /// <summary>Higher is better (<c>increase</c>).</summary>
    [JsonStringEnumMemberName("increase")] Increase,
    /// <summary>Lower is better (<c>decrease</c>).</summary>
    [JsonStringEnumMemberName("decrease")] Decrease,
}

/// <summary>A set of objectives, and the problems met while reading them.</summary>
/// <param name="Objectives">The objectives that could be read.</param>
/// <param name="Problems">Every definition that could not become a key result, and why.</param>
public sealed record OkrDocument(IReadOnlyList<ObjectiveDefinition> Objectives, IReadOnlyList<Problem> Problems);

/// <summary>An objective and its key results.</summary>
/// <param name="Title">The objective.</param>
/// <param name="KeyResults">Its key results.</param>
public sealed record ObjectiveDefinition(string Title, IReadOnlyList<KeyResultDefinition> KeyResults)
{
    /// <summary>When the objective is due; optional. The report judges its key results' pace against it.</summary>
    public DateOnly? Due { get; init; }
}

/// <summary>A key result scored against one metric.</summary>
/// <param name="Title">The key result.</param>
/// <param name="Metric">Metric id, e.g. <c>github.deployments_per_week</c>.</param>
/// <param name="Target">Target value.</param>
/// <param name="Baseline">Starting value; optional.</param>
/// <param name="Direction">Whether the metric should go up or down.</param>
/// <param name="Owner">Who owns it; optional.</param>
public sealed record KeyResultDefinition(string Title, string Metric, double Target, double? Baseline, KeyResultDirection Direction, string? Owner)
{
    /// <summary>The owner's latest check-in: how confident they are; optional.</summary>
    public KeyResultConfidence? Confidence { get; init; }

    /// <summary>The owner's latest check-in note; optional.</summary>
    public string? Note { get; init; }
}

/// <summary>Reads an owner's confidence as people write it: <c>on-track</c>, <c>On track</c>, <c>AT_RISK</c>.</summary>
public static class KeyResultConfidences
{
    /// <summary>The accepted spellings, for messages.</summary>
    public const string Forms = "on-track, at-risk or off-track";

    /// <summary>The confidence <paramref name="text"/> names; null when it names none.</summary>
    public static KeyResultConfidence? Parse(string? text) =>
        new string((text ?? "").Where(char.IsLetter).ToArray()).ToLowerInvariant() switch
        {
            "ontrack" => KeyResultConfidence.OnTrack,
            "atrisk" => KeyResultConfidence.AtRisk,
            "offtrack" => KeyResultConfidence.OffTrack,
            _ => null,
        };
}

/// <summary>An owner's judgement of a key result at their weekly check-in.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<KeyResultConfidence>))]
public enum KeyResultConfidence
{
    /// <summary><c>on-track</c>.</summary>
    [JsonStringEnumMemberName("on-track")] OnTrack,
    /// <summary><c>at-risk</c>.</summary>
    [JsonStringEnumMemberName("at-risk")] AtRisk,
    /// <summary><c>off-track</c>.</summary>
    [JsonStringEnumMemberName("off-track")] OffTrack,
}

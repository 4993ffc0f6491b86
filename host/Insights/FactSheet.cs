using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// The facts a model may write about: the insights, the metrics and the scored OKRs, plus the counts a
/// summary naturally states. Nothing else of the run goes in (no config, no URL, no source error
/// beyond the insight texts, which the pipeline has already redacted), and every number in here is a
/// number the narrative may use.
/// </summary>
public static class FactSheet
{
    public static JsonObject Build(ReportSnapshot snapshot, IReadOnlyList<Insight> insights)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(insights);
        var keyResults = snapshot.Okrs.SelectMany(o => o.KeyResults).ToArray();
        var counts = new JsonObject
        {
            ["objectives"] = snapshot.Okrs.Count,
            ["keyResults"] = keyResults.Length,
            ["periodDays"] = (int)Math.Round((snapshot.Period.To - snapshot.Period.From).TotalDays),
            ["sourcesOk"] = snapshot.Sources.Count(s => s.Status == SourceStatus.Ok),
            ["sourcesFailed"] = snapshot.Sources.Count(s => s.Status == SourceStatus.Failed),
        };
        foreach (var status in Enum.GetValues<OkrStatus>())
        {
            counts["keyResults" + Rendering.ReportFormat.Label(status).Replace(" ", "", StringComparison.Ordinal)] = keyResults.Count(kr => kr.Status == status);
        }

        return new JsonObject
        {
            ["title"] = snapshot.Title,
            ["period"] = new JsonObject { ["from"] = Day(snapshot.Period.From), ["toExclusive"] = Day(snapshot.Period.To) },
            ["counts"] = counts,
            ["insights"] = Node(insights.Select(i => new { i.Kind, i.Severity, i.Text, i.Metric, i.KeyResult, i.Facts })),
            ["okrs"] = Node(snapshot.Okrs.Select(o => new
            {
                Objective = o.Title,
                o.Status,
                o.Progress,
                KeyResults = o.KeyResults.Select(kr =>
                {
                    var row = NumberFormat.Row(WhatChanged.UnitOf(snapshot, kr.Metric), [kr.Actual, kr.Target]);
                    return new
                    {
                        kr.Title, kr.Metric, kr.Direction, kr.Target, kr.Baseline, kr.Actual, kr.Progress, kr.Status,
                        ActualDisplay = row(kr.Actual, "none"), TargetDisplay = row(kr.Target, "none"),
                    };
                }),
            })),
            ["metrics"] = Node(snapshot.Metrics.Where(m => m.Value is not null || m.Previous is not null).Select(m =>
            {
                var row = NumberFormat.Row(m.Unit, [m.Value, m.Previous]);
                return new { m.Id, m.Title, m.Unit, m.Value, m.Previous, m.SampleSize, Display = row(m.Value, "none"), PreviousDisplay = row(m.Previous, "none") };
            })),
            // What the DORA scores (0–10) are read against, so a summary may compare a score with its industry.
            ["doraBenchmarks"] = Node(snapshot.DoraBenchmark is not { } basis ? null : new
            {
                basis.Edition, Industry = basis.IndustryName, OrganizationSize = basis.OrganizationSizeName,
                Scores = snapshot.DoraBenchmarks.Select(b => new { b.Metric, b.Score, b.IndustryMean, b.IndustrySd, b.SizeMean, b.SizeSd }),
            }),
        };
    }

    /// <summary>The facts as the model reads them.</summary>
    public static string Text(JsonObject facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        return facts.ToJsonString(new JsonSerializerOptions(SnapshotJson.Options) { WriteIndented = false });
    }

    /// <summary>
    /// Every finite number anywhere in <paramref name="node"/>, and those of its display fields: a number the
    /// report writes as "1.4 days" may be written so by a model too (PRODUCT.md section 13).
    /// </summary>
    public static IEnumerable<double> Numbers(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key.EndsWith("isplay", StringComparison.Ordinal) && p.Value is JsonValue text && text.GetValueKind() == JsonValueKind.String
            ? NumberCheck.NumbersIn(text.GetValue<string>())
            : Numbers(p.Value)),
        JsonArray array => array.SelectMany(Numbers),
        JsonValue value when value.GetValueKind() == JsonValueKind.Number && Finite(value) is { } number => [number],
        _ => [],
    };

    // Values built in code hold an int or a double; reading them back through their JSON text covers both.
    private static double? Finite(JsonValue value) =>
        double.TryParse(value.ToJsonString(), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var number) && double.IsFinite(number)
            ? number
            : null;

    private static JsonNode? Node<T>(T value) => JsonSerializer.SerializeToNode(value, SnapshotJson.Options);

    private static string Day(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
}

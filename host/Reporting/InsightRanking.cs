namespace OkrHost.Reporting;

/// <summary>
/// How the what-changed block is chosen (PRODUCT.md section 13): kinds by rank, at most
/// <see cref="MaxLines"/> lines, every status change kept, one line per key result.
/// </summary>
public static class InsightRanking
{
    /// <summary>Most lines the block shows, unless more status changes than that must all be shown.</summary>
    public const int MaxLines = 8;

    /// <summary>Lower ranks come first: status changes, source problems, confidence gaps, anomalies, movers, pace.</summary>
    public static int Rank(InsightKind kind) => kind switch
    {
        InsightKind.StatusChanged => 0,
        InsightKind.SourceFailed or InsightKind.SourceNotConfigured => 1,
        InsightKind.ConfidenceGap => 2,
        InsightKind.Anomaly => 3,
        InsightKind.Mover => 4,
        _ => 5,
    };

    /// <summary>
    /// The lines of the block, highest rank first. A status change is never dropped; any other line is
    /// left out when a higher-ranked line is about the same key result or metric, or when the block is full.
    /// </summary>
    public static IReadOnlyList<Insight> Block(IReadOnlyList<Insight> insights)
    {
        ArgumentNullException.ThrowIfNull(insights);
        var ranked = insights.OrderBy(i => Rank(i.Kind)).ToArray();
        var statusChanges = ranked.Count(i => i.Kind == InsightKind.StatusChanged);
        var shown = new List<Insight>();
        var keyResults = new HashSet<string>(StringComparer.Ordinal);
        var metrics = new HashSet<string>(StringComparer.Ordinal);
        foreach (var insight in ranked)
        {
            var always = insight.Kind == InsightKind.StatusChanged;
            var repeats = (insight.KeyResult is { } kr && keyResults.Contains(kr)) || (insight.Metric is { } metric && metrics.Contains(metric));
            var room = shown.Count < Math.Max(MaxLines, statusChanges);
            if (!always && (repeats || !room))
            {
                continue;
            }

            shown.Add(insight);
            if (insight.KeyResult is { } title)
            {
                keyResults.Add(title);
            }

            if (insight.Metric is { } id)
            {
                metrics.Add(id);
            }
        }

        return shown;
    }
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// Whether a key result got worse against the previous period (PRODUCT.md section 13): a worse status,
/// or the same status and further from the target.
/// </summary>
public static class KeyResultChange
{
    /// <summary>The key result scored on its metric's previous-period value.</summary>
    public static OkrStatus PreviousStatus(KeyResultReport keyResult, double? previousActual)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var definition = new KeyResultDefinition(keyResult.Title, keyResult.Metric, keyResult.Target, keyResult.Baseline, keyResult.Direction, keyResult.Owner);
        return OkrScorer.StatusOf(OkrScorer.Progress(definition, NumberFormat.Finite(previousActual)) is { } p && double.IsFinite(p) ? p : null);
    }

    /// <summary>Null when either period has nothing to score.</summary>
    public static bool? GotWorse(KeyResultReport keyResult, double? previousActual)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        var before = PreviousStatus(keyResult, previousActual);
        if (before == OkrStatus.NoData || keyResult.Status == OkrStatus.NoData || NumberFormat.Finite(keyResult.Actual) is not { } now)
        {
            return null;
        }

        var (rankNow, rankBefore) = (WhatChanged.Rank(keyResult.Status), WhatChanged.Rank(before));
        return rankNow != rankBefore ? rankNow > rankBefore : Shortfall(keyResult, now) > Shortfall(keyResult, previousActual!.Value);
    }

    /// <summary>How far the value is on the wrong side of the target; 0 once the target is met.</summary>
    private static double Shortfall(KeyResultReport keyResult, double value) =>
        Math.Max(0, keyResult.Direction == KeyResultDirection.Increase ? keyResult.Target - value : value - keyResult.Target);
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// Key results whose owner's check-in and computed status are two or more steps apart on
/// on-track (achieved counts as on-track) › at-risk › off-track (PRODUCT.md section 13): the owner
/// knows something the data does not, or has not looked.
/// </summary>
public static class ConfidenceGaps
{
    /// <summary>Steps apart from which a check-in and the data disagree.</summary>
    public const int MinimumSteps = 2;

    public static IEnumerable<Insight> Find(ReportSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var objective in snapshot.Okrs)
        {
            foreach (var kr in objective.KeyResults)
            {
                if (kr.Confidence is not { } confidence || Step(kr.Status) is not { } status || Math.Abs(Step(confidence) - status) < MinimumSteps)
                {
                    continue;
                }

                var owner = kr.Owner is { } name ? $"its owner ({name})" : "its owner";
                var row = NumberFormat.Row(WhatChanged.UnitOf(snapshot, kr.Metric), [kr.Actual, kr.Target]);
                var text = $"“{kr.Title}”: {owner} says {Slug(confidence)}, the data says {WhatChanged.Slug(kr.Status)}"
                    + $" (actual {row(kr.Actual, "none")}, target {row(kr.Target, "none")}).";
                yield return new Insight(InsightKind.ConfidenceGap, InsightSeverity.Warning, text, kr.Metric, kr.Title, Insight.FactsOf(
                    ("objective", objective.Title),
                    ("confidence", Slug(confidence)),
                    ("status", WhatChanged.Slug(kr.Status)),
                    ("actual", kr.Actual),
                    ("target", kr.Target)));
            }
        }
    }

    public static string Slug(KeyResultConfidence confidence) => Rendering.ReportFormat.Slug(confidence);

    private static int Step(KeyResultConfidence confidence) => confidence switch
    {
        KeyResultConfidence.OnTrack => 0,
        KeyResultConfidence.AtRisk => 1,
        _ => 2,
    };

    private static int? Step(OkrStatus status) => status switch
    {
        OkrStatus.Achieved or OkrStatus.OnTrack => 0,
        OkrStatus.AtRisk => 1,
        OkrStatus.OffTrack => 2,
        _ => null,
    };
}

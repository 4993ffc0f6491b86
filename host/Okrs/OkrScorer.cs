using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Okrs;

/// <summary>Scores key results and objectives exactly per PRODUCT.md section 4.</summary>
public static class OkrScorer
{
    public static OkrStatus StatusOf(double? progress) => progress switch
    {
        null => OkrStatus.NoData,
        >= 1 => OkrStatus.Achieved,
        >= 0.7 => OkrStatus.OnTrack,
        >= 0.4 => OkrStatus.AtRisk,
        _ => OkrStatus.OffTrack,
    };

    /// <summary>Progress from 0 to 1, or null when there is no value to score.</summary>
    public static double? Progress(KeyResultDefinition keyResult, double? actual)
    {
        ArgumentNullException.ThrowIfNull(keyResult);
        if (actual is not { } value)
        {
            return null;
        }

        var target = keyResult.Target;
        if (keyResult.Direction == KeyResultDirection.Increase)
        {
            var baseline = keyResult.Baseline ?? 0;
            return target == baseline
                ? (value >= target ? 1 : 0)
                : Math.Clamp((value - baseline) / (target - baseline), 0, 1);
        }

        if (keyResult.Baseline is { } b)
        {
            return target == b
                ? (value <= target ? 1 : 0)
                : Math.Clamp((b - value) / (b - target), 0, 1);
        }

        // Without a baseline a decrease is judged by how far the actual is above the target.
        // t / actual is outside [0, 1] only for a negative target or actual, which no metric produces.
        return value <= target ? 1 : Math.Clamp(target / value, 0, 1);
    }

    /// <param name="objectives">The OKRs.</param>
    /// <param name="values">Each metric's value over the period.</param>
    /// <param name="trends">
    /// Each metric over the rolling windows of the period's length ending at each trend week (PRODUCT.md
    /// section 8), for the key results' trends; none when trends are off.
    /// </param>
    public static IReadOnlyList<ObjectiveReport> Score(
        IEnumerable<ObjectiveDefinition> objectives,
        IReadOnlyDictionary<string, double?> values,
        IReadOnlyDictionary<string, IReadOnlyList<TrendPoint>>? trends = null)
    {
        ArgumentNullException.ThrowIfNull(objectives);
        ArgumentNullException.ThrowIfNull(values);
        return objectives.Select(objective =>
        {
            var keyResults = objective.KeyResults.Select(kr =>
            {
                var actual = values.GetValueOrDefault(kr.Metric);
                // Extreme targets (1e308 against -1e308) can make the arithmetic NaN: no score, not a NaN in the report.
                var progress = Progress(kr, actual) is { } p && double.IsFinite(p) ? p : (double?)null;
                return new KeyResultReport
                {
                    Title = kr.Title,
                    Metric = kr.Metric,
                    Target = kr.Target,
                    Baseline = kr.Baseline,
                    Direction = kr.Direction,
                    Owner = kr.Owner,
                    Confidence = kr.Confidence,
                    Note = kr.Note,
                    Actual = actual,
                    Progress = progress,
                    Status = StatusOf(progress),
                    Trend = trends?.GetValueOrDefault(kr.Metric)?.Select(week => ScoreWeek(kr, week)).ToArray() ?? [],
                };
            }).ToArray();
            var scored = keyResults.Where(kr => kr.Progress is not null).Select(kr => kr.Progress!.Value).ToArray();
            double? progress = scored.Length == 0 ? null : scored.Average();
            return new ObjectiveReport { Title = objective.Title, Progress = progress, Status = StatusOf(progress), KeyResults = keyResults, Due = objective.Due };
        }).ToArray();
    }

    private static KeyResultTrendPoint ScoreWeek(KeyResultDefinition keyResult, TrendPoint week)
    {
        var progress = Progress(keyResult, week.Value);
        return new KeyResultTrendPoint(week.To, week.Value, progress, StatusOf(progress));
    }
}

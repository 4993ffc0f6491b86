using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// Puts the last stored run beside this one (PRODUCT.md section 13): its date for the headline and,
/// per key result matched by objective and title, where it stood then for the scorecard.
/// </summary>
public static class LastRun
{
    public static ReportSnapshot Attach(ReportSnapshot snapshot, ReportSnapshot? previousRun)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (previousRun is null)
        {
            return snapshot;
        }

        var before = previousRun.Okrs
            .SelectMany(o => o.KeyResults.Select(kr => (Key: (o.Title, kr.Title), kr)))
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => g.First().kr);
        return snapshot with
        {
            LastRunAt = previousRun.GeneratedAt,
            Okrs = snapshot.Okrs.Select(objective => objective with
            {
                KeyResults = objective.KeyResults.Select(kr => before.TryGetValue((objective.Title, kr.Title), out var old)
                    ? kr with { LastRun = new KeyResultLastRun(previousRun.GeneratedAt, old.Actual, old.Status) }
                    : kr).ToArray(),
            }).ToArray(),
        };
    }
}

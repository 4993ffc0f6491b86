using OkrHost.Contracts;

namespace OkrHost.Running;

/// <summary>
/// The windows a report computes (PRODUCT.md section 8): the period, the previous period,
/// <see cref="TrendWeekCount"/> trend weeks ending at the period's end, the key results' rolling windows;
/// and the fetch window covering them all.
/// </summary>
public sealed record ReportWindows(ReportPeriod Period, int TrendWeekCount)
{
    /// <summary>
    /// What the period is compared with: the window of the same length just before it, or for a calendar
    /// period the previous calendar month or quarter (PRODUCT.md section 2).
    /// </summary>
    public ReportPeriod Previous { get; init; } = Period.Previous;

    /// <summary>Week k of N (k = 1 oldest) is <c>[to − 7·(N−k+1) days, to − 7·(N−k) days)</c>.</summary>
    public IReadOnlyList<ReportPeriod> TrendWeeks { get; } = Enumerable.Range(1, TrendWeekCount)
        .Select(k => new ReportPeriod(Period.To.AddDays(-7 * (TrendWeekCount - k + 1)), Period.To.AddDays(-7 * (TrendWeekCount - k))))
        .ToArray();

    /// <summary>
    /// One window of the period's length ending at each trend week's end, oldest first: where a key result
    /// stood had the report ended that week. The newest is the period itself.
    /// </summary>
    public IReadOnlyList<ReportPeriod> RollingWindows => TrendWeeks.Select(week => new ReportPeriod(week.To - Period.Length, week.To)).ToArray();

    /// <summary>What the sources must collect for: from the earliest window's start to the period's end.</summary>
    public ReportPeriod FetchWindow => new(
        new[] { Previous.From, Period.From }.Concat(TrendWeeks.Take(1).Select(w => w.From)).Concat(RollingWindows.Take(1).Select(w => w.From)).Min(),
        Period.To);
}

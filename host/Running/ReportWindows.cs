using OkrHost.Contracts;

namespace OkrHost.Running;

/// <summary>
/// The windows a report computes (PRODUCT.md section 8): the period, the previous period and
/// <see cref="TrendWeekCount"/> trend weeks ending at the period's end; and the fetch window covering them all.
/// </summary>
public sealed record ReportWindows(ReportPeriod Period, int TrendWeekCount)
{
    public ReportPeriod Previous => Period.Previous;

    /// <summary>Week k of N (k = 1 oldest) is <c>[to − 7·(N−k+1) days, to − 7·(N−k) days)</c>.</summary>
    public IReadOnlyList<ReportPeriod> TrendWeeks { get; } = Enumerable.Range(1, TrendWeekCount)
        .Select(k => new ReportPeriod(Period.To.AddDays(-7 * (TrendWeekCount - k + 1)), Period.To.AddDays(-7 * (TrendWeekCount - k))))
        .ToArray();

    /// <summary>What the sources must collect for: from the earliest window's start to the period's end.</summary>
    public ReportPeriod FetchWindow => new(
        TrendWeeks.Count > 0 && TrendWeeks[0].From < Previous.From ? TrendWeeks[0].From : Previous.From,
        Period.To);
}

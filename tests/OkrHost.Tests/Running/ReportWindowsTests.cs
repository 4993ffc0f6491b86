using OkrHost.Contracts;
using OkrHost.Running;

namespace OkrHost.Tests.Running;

public class ReportWindowsTests
{
    private static readonly DateTimeOffset To = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Each_rolling_window_has_the_periods_length_and_ends_at_a_trend_week_the_newest_being_the_period()
    {
        var period = new ReportPeriod(To.AddDays(-30), To);
        var windows = new ReportWindows(period, 13);

        Assert.Equal(13, windows.RollingWindows.Count);
        Assert.Equal(period, windows.RollingWindows[^1]);
        Assert.All(windows.RollingWindows, w => Assert.Equal(TimeSpan.FromDays(30), w.Length));
        Assert.Equal(windows.TrendWeeks.Select(w => w.To), windows.RollingWindows.Select(w => w.To));
    }

    [Fact]
    public void The_fetch_window_starts_at_the_oldest_rolling_windows_start_when_that_is_earliest()
    {
        // 30 days, 13 weeks: to − 84 days − 30 days lies before both the oldest week (to − 91) and the previous period (to − 60).
        var windows = new ReportWindows(new ReportPeriod(To.AddDays(-30), To), 13);
        Assert.Equal(new ReportPeriod(To.AddDays(-114), To), windows.FetchWindow);

        // A quarter: the previous period (to − 182) starts before the oldest rolling window (to − 84 − 91).
        var quarter = new ReportWindows(new ReportPeriod(To.AddDays(-91), To), 13);
        Assert.Equal(To.AddDays(-182), quarter.FetchWindow.From);

        // No trends: the previous period alone.
        Assert.Equal(To.AddDays(-60), new ReportWindows(new ReportPeriod(To.AddDays(-30), To), 0).FetchWindow.From);
    }

    [Fact]
    public void A_calendar_previous_period_longer_than_the_period_widens_the_fetch_window()
    {
        var january = new ReportPeriod(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2027, 2, 1, 0, 0, 0, TimeSpan.Zero));
        var previous = new ReportPeriod(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), january.From);

        var windows = new ReportWindows(january, 0) { Previous = previous };

        Assert.Equal(previous, windows.Previous);
        Assert.Equal(previous.From, windows.FetchWindow.From);
    }
}

using OkrHost.Configuration;

namespace OkrHost.Tests.Configuration;

public class ReportPeriodParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 24, 15, 30, 0, TimeSpan.Zero);

    private static DateTimeOffset Day(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("last-7d", 2026, 11, 17, 2026, 11, 24)]
    [InlineData("last-30d", 2026, 10, 25, 2026, 11, 24)]
    [InlineData("last-90d", 2026, 8, 26, 2026, 11, 24)]
    [InlineData("this-quarter", 2026, 10, 1, 2026, 11, 25)]
    [InlineData("last-quarter", 2026, 7, 1, 2026, 10, 1)]
    [InlineData("2026-Q1", 2026, 1, 1, 2026, 4, 1)]
    [InlineData("2025-q4", 2025, 10, 1, 2026, 1, 1)]
    [InlineData("2026-02", 2026, 2, 1, 2026, 3, 1)]
    [InlineData("2026-12", 2026, 12, 1, 2027, 1, 1)]
    public void Every_period_form_gives_a_half_open_utc_window(string text, int fy, int fm, int fd, int ty, int tm, int td)
    {
        Assert.True(ReportPeriodParser.TryParse(text, Now, out var period, out var error), error);
        Assert.Equal(Day(fy, fm, fd), period.From);
        Assert.Equal(Day(ty, tm, td), period.To);
    }

    [Theory]
    [InlineData("2027-Q1", 2026, 10, 1, 2027, 1, 1)]
    [InlineData("this-quarter", 2026, 7, 1, 2026, 10, 1)]
    [InlineData("last-quarter", 2026, 4, 1, 2026, 7, 1)]
    [InlineData("2026-03", 2026, 2, 1, 2026, 3, 1)]
    [InlineData("2027-01", 2026, 12, 1, 2027, 1, 1)]
    public void A_calendar_period_compares_with_the_previous_calendar_month_or_quarter_whatever_their_lengths(string text, int fy, int fm, int fd, int ty, int tm, int td)
    {
        Assert.True(ReportPeriodParser.TryParse(text, Now, out var period, out var error), error);

        var previous = ReportPeriodParser.CalendarPrevious(text, period);

        Assert.Equal(new OkrHost.Contracts.ReportPeriod(Day(fy, fm, fd), Day(ty, tm, td)), previous);
    }

    [Theory]
    [InlineData("last-7d")]
    [InlineData("last-30d")]
    [InlineData("last-90d")]
    public void A_rolling_period_has_no_calendar_previous_period(string text)
    {
        Assert.True(ReportPeriodParser.TryParse(text, Now, out var period, out _));

        Assert.Null(ReportPeriodParser.CalendarPrevious(text, period));
    }

    [Theory]
    [InlineData("last-week")]
    [InlineData("2026-13")]
    [InlineData("2026-Q5")]
    [InlineData("")]
    public void Anything_else_is_rejected_with_the_accepted_forms(string text)
    {
        Assert.False(ReportPeriodParser.TryParse(text, Now, out _, out var error));
        Assert.Contains(ReportPeriodParser.Forms, error, StringComparison.Ordinal);
    }

    [Fact]
    public void From_and_to_are_dates_with_to_exclusive()
    {
        Assert.True(ReportPeriodParser.TryParseRange("2026-10-01", "2026-11-01", out var period, out _));
        Assert.Equal(Day(2026, 10, 1), period.From);
        Assert.Equal(Day(2026, 11, 1), period.To);
        Assert.Equal(Day(2026, 8, 31), period.Previous.From);
    }

    [Theory]
    [InlineData("2026-10-01", "2026-10-01", "must be after")]
    [InlineData("2026-10-32", "2026-11-01", "--from '2026-10-32' is not a date")]
    [InlineData("2026-10-01", "tomorrow", "--to 'tomorrow' is not a date")]
    public void Bad_ranges_are_rejected_clearly(string from, string to, string message)
    {
        Assert.False(ReportPeriodParser.TryParseRange(from, to, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }
}

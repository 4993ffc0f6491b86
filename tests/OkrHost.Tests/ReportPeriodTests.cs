using OkrHost.Contracts;

namespace OkrHost.Tests;

public class ReportPeriodTests
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset To = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Contains_is_half_open()
    {
        var period = new ReportPeriod(From, To);
        Assert.True(period.Contains(From));
        Assert.False(period.Contains(To));
        Assert.True(period.Contains(To.AddTicks(-1)));
        Assert.False(period.Contains(From.AddTicks(-1)));
    }

    [Fact]
    public void Previous_is_the_window_of_the_same_length_just_before()
    {
        var previous = new ReportPeriod(From, To).Previous;
        Assert.Equal(new DateTimeOffset(2026, 8, 31, 0, 0, 0, TimeSpan.Zero), previous.From);
        Assert.Equal(From, previous.To);
    }
}

using OkrHost.Contracts;

namespace OkrHost.Tests.Okrs;

public class MetricMathTests
{
    // Expected values are numpy.percentile(values, p) with the default (linear) method.
    [Theory]
    [InlineData(new double[] { 1, 2, 3, 4 }, 50, 2.5)]
    [InlineData(new double[] { 1, 2, 3, 4 }, 90, 3.7)]
    [InlineData(new double[] { 15, 20, 35, 40, 50 }, 95, 48)]
    [InlineData(new double[] { 7 }, 90, 7)]
    [InlineData(new double[] { 10, 1, 5 }, 50, 5)]
    [InlineData(new double[] { 0, 100 }, 25, 25)]
    public void Percentile_interpolates_linearly_between_closest_ranks(double[] values, double percentile, double expected) =>
        Assert.Equal(expected, MetricMath.Percentile(values, percentile)!.Value, 10);

    [Fact]
    public void Percentile_of_nothing_is_null() => Assert.Null(MetricMath.Median([]));

    [Fact]
    public void Ratio_with_a_zero_denominator_is_null()
    {
        Assert.Null(MetricMath.Ratio(3, 0));
        Assert.Equal(0.25, MetricMath.Ratio(1, 4));
    }

    [Fact]
    public void Per_week_divides_by_the_period_in_weeks()
    {
        var period = new ReportPeriod(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero));
        Assert.Equal(42 / (30 / 7.0), MetricMath.PerWeek(42, period), 10);
    }

    [Fact]
    public void Weekly_series_ends_at_the_period_end_with_a_short_first_bucket_and_ignores_outside_items()
    {
        var from = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
        var period = new ReportPeriod(from, from.AddDays(15));
        DateTimeOffset[] times = [from, from.AddDays(6.9), from.AddDays(14.5), from.AddDays(15), from.AddDays(-1)];

        var series = MetricMath.Series("s", "S", MetricUnit.Count, period, SeriesBucket.Week, times, t => t, g => g.Count);

        // Weeks end at the period end, like the trend weeks: [Oct 9, 16), [Oct 2, 9) and the short [Oct 1, 2).
        Assert.Equal([from, from.AddDays(1), from.AddDays(8)], series.Points.Select(p => p.Start));
        Assert.Equal([1.0, 1.0, 1.0], series.Points.Select(p => p.Value!.Value));
    }
}

using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Tests.Rendering;

public class NumberFormatTests
{
    [Theory]
    [InlineData(MetricUnit.Ratio, 0.07142857, "7.1%")]
    [InlineData(MetricUnit.Count, 17.0, "17")]
    [InlineData(MetricUnit.Count, 1234.0, "1,234")]
    [InlineData(MetricUnit.PerWeek, 9.4839, "9.5 / week")]
    [InlineData(MetricUnit.Hours, 27.35, "27.4 h")]
    [InlineData(MetricUnit.Hours, 48.0, "2.0 days")]
    [InlineData(MetricUnit.Hours, 23.241666666666667, "23.2 h")]
    public void Every_unit_has_one_format(MetricUnit unit, double value, string expected)
    {
        Assert.Equal(expected, NumberFormat.Value(value, unit));
    }

    [Fact]
    public void A_row_writes_every_duration_in_the_unit_its_largest_needs()
    {
        // Never "22.0 h of 2.0 days": the 48-hour target puts the whole row in days.
        var row = NumberFormat.Row(MetricUnit.Hours, [22, 48]);
        Assert.Equal("0.9 days", row(22, "—"));
        Assert.Equal("2.0 days", row(48, "—"));

        var hours = NumberFormat.Row(MetricUnit.Hours, [27.4, 6]);
        Assert.Equal("27.4 h", hours(27.4, "—"));
        Assert.Equal("6.0 h", hours(6, "—"));
        Assert.Equal("none", hours(null, "none"));
        Assert.Equal("none", hours(double.NaN, "none"));
    }

    [Fact]
    public void Numbers_without_a_unit_format_keep_at_most_three_decimals()
    {
        Assert.Equal(23.242, NumberFormat.Round(23.241666666666667));
        Assert.Equal(24.825, NumberFormat.Round(24.824999999999996));
        Assert.Null(NumberFormat.Round(double.PositiveInfinity));
    }
}

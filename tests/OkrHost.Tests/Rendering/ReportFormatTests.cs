using OkrHost.Contracts;
using OkrHost.Rendering;

namespace OkrHost.Tests.Rendering;

public class ReportFormatTests
{
    [Theory]
    [InlineData(MetricUnit.Count, 12345.0, "12,345")]
    [InlineData(MetricUnit.Ratio, 0.1234, "12.3%")]
    [InlineData(MetricUnit.Hours, 3.26, "3.3 h")]
    [InlineData(MetricUnit.Minutes, 90.0, "90.0 min")]
    [InlineData(MetricUnit.Milliseconds, 1234.56, "1,234.6 ms")]
    [InlineData(MetricUnit.PerWeek, 9.4839, "9.5 / week")]
    public void Values_are_formatted_by_unit(MetricUnit unit, double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Value(value, unit));

    [Fact]
    public void A_missing_value_is_a_dash() => Assert.Equal("—", ReportFormat.Value(null, MetricUnit.Count));

    [Theory]
    [InlineData("https://github.com/acme/api/pull/1", "https://github.com/acme/api/pull/1")]
    [InlineData("http://grafana.local/d/abc", "http://grafana.local/d/abc")]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("JAVASCRIPT:alert(1)", null)]
    [InlineData("data:text/html,hi", null)]
    [InlineData("/relative/path", null)]
    [InlineData("//evil.example/x", null)]
    [InlineData("file:///etc/passwd", null)]
    [InlineData("", null)]
    [InlineData(null, null)]
    public void Only_absolute_http_links_are_links(string? link, string? expected) =>
        Assert.Equal(expected, ReportFormat.SafeLink(link));

    [Theory]
    [InlineData(null, 1.0, MetricUnit.Count, true, "", "—", "neutral")]
    [InlineData(5.0, 5.0, MetricUnit.Count, true, "=", "no change", "neutral")]
    [InlineData(6.0, 4.0, MetricUnit.Count, true, "▲", "+50%", "good")]
    [InlineData(6.0, 4.0, MetricUnit.Count, false, "▲", "+50%", "bad")]
    [InlineData(2.0, 4.0, MetricUnit.Hours, false, "▼", "−50%", "good")]
    [InlineData(3.0, 0.0, MetricUnit.Count, null, "▲", "+3", "neutral")]
    [InlineData(0.10, 0.25, MetricUnit.Ratio, false, "▼", "−15.0 pp", "good")]
    public void Changes_say_direction_size_and_whether_it_is_good(double? value, double? previous, MetricUnit unit, bool? higherIsBetter, string arrow, string text, string tone) =>
        Assert.Equal(new MetricChange(arrow, text, tone), MetricChange.Of(value, previous, unit, higherIsBetter));
}

using OkrHost.Contracts;
using OkrHost.Rendering;

namespace OkrHost.Tests.Rendering;

public class ReportFormatTests
{
    [Theory]
    [InlineData(MetricUnit.Count, 12345.0, "12,345")]
    [InlineData(MetricUnit.Ratio, 0.1234, "12.3%")]
    [InlineData(MetricUnit.Hours, 3.26, "3.3 h")]
    [InlineData(MetricUnit.Minutes, 90.0, "1.5 h")]
    [InlineData(MetricUnit.Milliseconds, 1234.56, "1.2 s")]
    [InlineData(MetricUnit.PerWeek, 9.4839, "9.5 / week")]
    public void Values_are_formatted_by_unit(MetricUnit unit, double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Value(value, unit));

    [Theory]
    [InlineData(MetricUnit.Milliseconds, 523.05, "523 ms")]
    [InlineData(MetricUnit.Milliseconds, 61_000.0, "1.0 min")]
    [InlineData(MetricUnit.Minutes, 45.0, "45.0 min")]
    [InlineData(MetricUnit.Hours, 0.5, "30.0 min")]
    [InlineData(MetricUnit.Hours, 1.0, "1.0 h")]
    [InlineData(MetricUnit.Hours, 47.9, "47.9 h")]
    [InlineData(MetricUnit.Hours, 48.0, "2.0 days")]
    [InlineData(MetricUnit.Hours, 178.0, "7.4 days")]
    public void Durations_are_written_in_the_unit_a_person_would_use(MetricUnit unit, double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Value(value, unit));

    [Theory]
    [InlineData(400.0, MetricUnit.Hours, 200.0, "8.3 days")]
    [InlineData(400.0, MetricUnit.Hours, 0.0, "0 days")]
    [InlineData(40.0, MetricUnit.Hours, 20.0, "20 h")]
    [InlineData(0.5, MetricUnit.Ratio, 0.25, "25%")]
    public void Axis_labels_share_the_unit_of_the_axis_top(double top, MetricUnit unit, double value, string expected) =>
        Assert.Equal(expected, ReportFormat.Axis(value, unit, top));

    [Fact]
    public void A_missing_value_is_a_dash() => Assert.Equal("—", ReportFormat.Value(null, MetricUnit.Count));

    [Theory]
    [InlineData("https://github.com/acme/api/pull/1", "https://github.com/acme/api/pull/1")]
    [InlineData("http://grafana.local/d/abc", "http://grafana.local/d/abc")]
    [InlineData("http://127.0.0.1:34751/github/acme/web/actions/runs/5", null)]
    [InlineData("http://localhost:5055/linear/ENG-1", null)]
    [InlineData("http://[::1]:8080/x", null)]
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
    [InlineData("http://127.0.0.1:34751/github", true)]
    [InlineData("http://localhost/x", true)]
    [InlineData("https://github.com/acme/api", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData(null, false)]
    public void Links_to_this_machine_are_local(string? link, bool local) =>
        Assert.Equal(local, ReportFormat.IsLocalLink(link));

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

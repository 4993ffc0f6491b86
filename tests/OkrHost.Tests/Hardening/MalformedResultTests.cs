using System.Text.Json;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// Whatever a plugin returns is checked before anything reads it: a malformed result fails that source
/// with the reason, and neither crashes the run nor reaches report.json or the charts.
/// </summary>
public class MalformedResultTests
{
    public static TheoryData<string, string> Faults => new()
    {
        { "throw", "Faulty: unexpected error in the plugin: InvalidOperationException: the plugin fell over" },
        { "null-result", "Faulty: the plugin returned no result (null)" },
        { "throw-in-compute", "Faulty: unexpected error in the plugin's computation: InvalidOperationException: the computation fell over" },
        { "duplicate-metric", "Faulty: the plugin returned a malformed result: metric 'faulty.a' is returned twice" },
        { "null-metric", "Faulty: the plugin returned a malformed result: metrics[2] is null" },
        { "foreign-metric", "Faulty: the plugin returned a malformed result: metric 'dora.change_failure_rate' is not one of this source's (its ids start with 'faulty.')" },
        { "infinite-metric", "Faulty: the plugin returned a malformed result: metric 'faulty.a' is Infinity (previous 2): values must be finite numbers or null" },
        { "nan-series", "Faulty: the plugin returned a malformed result: series 'weekly' point 1 is NaN: values must be finite numbers or null" },
        { "null-cell", "Faulty: the plugin returned a malformed result: table 'cells' row 0 cell 1 is null" },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task A_malformed_result_fails_its_source_with_the_reason_and_the_report_is_still_written(string fault, string message)
    {
        using var run = new FaultyPluginRun(fault);

        var result = await run.ReportAsync();

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"error: source faulty failed: {message}", result.Error, StringComparison.Ordinal);
        Assert.Equal(("failed", message), run.Sources()["faulty"]);
        Assert.Equal("ok", run.Sources()["oncall"].Status);
        using var snapshot = JsonDocument.Parse(run.ReportJson);
        var faultyMetrics = snapshot.RootElement.GetProperty("metrics").EnumerateArray().Where(m => m.GetProperty("source").GetString() == "faulty").ToArray();
        Assert.Equal(2, faultyMetrics.Length);
        Assert.All(faultyMetrics, m => Assert.Equal(JsonValueKind.Null, m.GetProperty("value").ValueKind));
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Oversized_strings_are_cut_with_a_marker_and_the_source_stays_ok()
    {
        using var run = new FaultyPluginRun("huge-strings");

        var result = await run.ReportAsync();

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("ok", run.Sources()["faulty"].Status);
        var marker = "… [truncated: 200,000 characters in all]";
        Assert.Contains(new string('n', 2_000) + marker, run.ReportJson, StringComparison.Ordinal);
        Assert.Contains(new string('c', 2_000) + marker, run.ReportJson, StringComparison.Ordinal);
        Assert.DoesNotContain(new string('n', 2_001), run.ReportJson, StringComparison.Ordinal);
        Assert.True(new FileInfo(run.Folder.Combine("out", "report.html")).Length < 200_000, "report.html still carries the whole strings");
    }
}

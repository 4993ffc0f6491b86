using Microsoft.Extensions.Time.Testing;
using OkrHost.Testing;

namespace OkrHost.Tests.Hardening;

/// <summary>A plugin that blocks, never returns or throws fails its own source; the report is still written.</summary>
public class PluginIsolationTests
{
    [Fact]
    public async Task A_plugin_blocking_before_its_first_await_is_abandoned_at_the_source_timeout_and_the_report_is_written()
    {
        using var run = new FaultyPluginRun("block", sourceTimeoutSeconds: 5, withOnCall: false);
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
        try
        {
            var running = run.ReportAsync(new CliRunOptions { Clock = clock });
            await WaitForFileAsync(run.Folder.Combine("started"));
            Assert.False(running.IsCompleted, "the run returned while the plugin was still blocked");

            clock.Advance(TimeSpan.FromSeconds(5));
            var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 3, result.ToString());
            Assert.Contains("error: source faulty failed: Faulty did not finish within 5 s (http.sourceTimeoutSeconds)", result.Error, StringComparison.Ordinal);
            var sources = run.Sources();
            Assert.Equal("failed", sources["faulty"].Status);
            Assert.True(File.Exists(run.Folder.Combine("out", "report.html")));
        }
        finally
        {
            // Lets the abandoned call return, so its thread does not outlive the test.
            run.Folder.File("release", "");
        }
    }

    [Fact]
    public async Task A_plugin_whose_settings_check_throws_fails_its_source_only_instead_of_failing_the_config()
    {
        using var run = new FaultyPluginRun("throw-in-settings");

        var result = await run.ReportAsync();

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Equal(
            ("failed", "Faulty: the plugin failed while checking its settings (threw InvalidOperationException: the settings check fell over)"),
            run.Sources()["faulty"]);
        Assert.Equal("ok", run.Sources()["oncall"].Status);
        Assert.DoesNotContain("plugins.json", result.Error, StringComparison.Ordinal);
    }

    private static async Task WaitForFileAsync(string path)
    {
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!File.Exists(path))
        {
            await Task.Delay(20, patience.Token);
        }
    }
}

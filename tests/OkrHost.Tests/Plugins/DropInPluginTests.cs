using System.Text.Json;
using OkrHost.Testing;
using OkrHost.UseCases;

namespace OkrHost.Tests.Plugins;

[Collection(OnCallPluginCollection.Name)]
public class DropInPluginTests(OnCallPluginFixture plugin)
{
    private const string Config = """
        {
          "report": { "title": "On-call check", "output": "out" },
          "sources": { "oncall": { "pagesFile": "pages.csv" } }
        }
        """;

    [Fact]
    public async Task A_plugin_built_outside_the_solution_and_dropped_into_plugins_runs_end_to_end()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", Config);
        folder.File("pages.csv", """
            2026-10-03T23:30:00Z,checkout
            2026-10-10T12:00:00Z,search
            2026-10-31T23:59:59Z,checkout
            2026-11-01T00:00:00Z,outside the period
            2026-09-20T03:00:00Z,previous period
            """);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "report", "--from", "2026-10-01", "--to", "2026-11-01");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var metrics = snapshot.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        Assert.Equal(3, metrics["oncall.pages"].GetProperty("value").GetDouble());
        Assert.Equal(1, metrics["oncall.pages"].GetProperty("previous").GetDouble());
        Assert.Equal(2, metrics["oncall.night_pages"].GetProperty("value").GetDouble());
        var source = snapshot.RootElement.GetProperty("sources").EnumerateArray().Single();
        Assert.Equal("oncall", source.GetProperty("id").GetString());
        Assert.Equal("ok", source.GetProperty("status").GetString());

        var html = File.ReadAllText(folder.Combine("out", "report.html"));
        Assert.Contains("oncall-section", html, StringComparison.Ordinal);
        Assert.Contains("Out-of-hours pages", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plugins_lists_the_dropped_in_plugin_with_its_state()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "plugins");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"oncall\s+On-call\s+1\.0\.0\s+2 metrics\s+not-configured: \$\.sources\.oncall\.pagesFile: the CSV export of pages is required", result.Out);
    }

    [Fact]
    public async Task A_failing_source_is_reported_and_the_report_is_still_written_with_exit_code_3()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", Config);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "report", "--period", "2026-10");

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("error: source oncall failed: On-call: pages file pages.csv not found", result.Error, StringComparison.Ordinal);
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var source = snapshot.RootElement.GetProperty("sources").EnumerateArray().Single();
        Assert.Equal("failed", source.GetProperty("status").GetString());
        Assert.Equal("On-call: pages file pages.csv not found", source.GetProperty("error").GetString());
        Assert.All(snapshot.RootElement.GetProperty("metrics").EnumerateArray(), m => Assert.Equal(JsonValueKind.Null, m.GetProperty("value").ValueKind));
    }
}

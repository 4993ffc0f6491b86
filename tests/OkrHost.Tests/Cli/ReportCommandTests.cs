using System.Text.Json;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public class ReportCommandTests
{
    [Fact]
    public async Task The_example_config_without_tokens_writes_both_files_with_every_source_not_configured()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Root, "plugins.json"), folder.Combine("plugins.json"));
        File.Copy(Path.Combine(RepoPaths.Root, "okrs.json"), folder.Combine("okrs.json"));

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.True(File.Exists(folder.Combine("out", "report.html")));
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var sources = snapshot.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(s => s.GetProperty("id").GetString()!);
        Assert.Equal(["github", "linear", "slack", "grafana", "notion"], sources.Keys);
        Assert.All(sources.Values, s => Assert.Equal("not-configured", s.GetProperty("status").GetString()));
        Assert.Contains("environment variable GITHUB_TOKEN is not set", sources["github"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.Contains("environment variable NOTION_TOKEN is not set", sources["notion"].GetProperty("error").GetString(), StringComparison.Ordinal);
        Assert.All(snapshot.RootElement.GetProperty("okrs").EnumerateArray(), o => Assert.Equal("no-data", o.GetProperty("status").GetString()));
        Assert.Equal(1, snapshot.RootElement.GetProperty("schemaVersion").GetInt32());
    }

    [Fact]
    public async Task Render_rebuilds_the_html_from_a_snapshot_alone()
    {
        using var folder = new TempFolder();
        File.Copy(Path.Combine(RepoPaths.Root, "plugins.json"), folder.Combine("plugins.json"));
        File.Copy(Path.Combine(RepoPaths.Root, "okrs.json"), folder.Combine("okrs.json"));
        Assert.Equal(0, (await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report")).ExitCode);
        var original = File.ReadAllText(folder.Combine("out", "report.html"));

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "render", "--snapshot", "out/report.json", "--out", "again");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(original, File.ReadAllText(folder.Combine("again", "report.html")));
    }

    [Theory]
    [InlineData("{ not json", "cannot read the snapshot")]
    [InlineData("""{ "schemaVersion": 7, "generatedAt": "2026-11-01T00:00:00Z", "title": "t", "period": { "from": "2026-10-01T00:00:00Z", "to": "2026-11-01T00:00:00Z" }, "previousPeriod": { "from": "2026-09-01T00:00:00Z", "to": "2026-10-01T00:00:00Z" }, "sources": [], "metrics": [], "okrs": [] }""", "$.schemaVersion: 7 is not supported")]
    public async Task Render_refuses_a_bad_snapshot_with_exit_code_2(string content, string message)
    {
        using var folder = new TempFolder();
        folder.File("report.json", content);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "render", "--snapshot", "report.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("report.html")));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public sealed class OkrsFromNotionTests : IAsyncLifetime
{
    private readonly TempFolder _folder = new();
    private SandboxServer? _sandbox;
    private IReadOnlyDictionary<string, string> _tokens = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now });
        var (sources, tokens) = _sandbox.DemoSources();
        _tokens = tokens;
        _folder.File("plugins.json", new JsonObject { ["okrs"] = new JsonObject { ["source"] = "notion" }, ["sources"] = sources }.ToJsonString());
    }

    public async Task DisposeAsync()
    {
        await _sandbox!.DisposeAsync();
        _folder.Dispose();
    }

    [Fact]
    public async Task Validate_reads_the_okrs_from_notion_and_lists_the_rows_that_cannot_be_scored()
    {
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, _tokens, "validate");

        // Rows of a live source are data, not configuration: warnings, as in doctor and report (PRODUCT.md section 7).
        Assert.Equal(0, result.ExitCode);
        var problems = result.Error.Split('\n').Where(l => l.StartsWith("warning: OKRs from Notion: ", StringComparison.Ordinal)).ToArray();
        Assert.Equal(2, problems.Length);
        Assert.Contains(problems, p => p.Contains("Notion row 'Halve the alerts firing at any time'", StringComparison.Ordinal) && p.EndsWith("Target is empty", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("unknown metric 'pagerduty.toil_hours'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_report_scores_the_okrs_from_notion_and_keeps_the_bad_rows_as_problems()
    {
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, _tokens, "report", "--period", "2026-10");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var snapshot = JsonDocument.Parse(File.ReadAllText(_folder.Combine("out", "report.json")));
        Assert.Equal("Notion", snapshot.RootElement.GetProperty("okrOrigin").GetString());
        var keyResults = snapshot.RootElement.GetProperty("okrs").EnumerateArray().SelectMany(o => o.GetProperty("keyResults").EnumerateArray()).ToArray();
        Assert.NotEmpty(keyResults);
        Assert.DoesNotContain(keyResults, kr => kr.GetProperty("metric").GetString() == "pagerduty.toil_hours");
        Assert.Equal(2, snapshot.RootElement.GetProperty("okrProblems").GetArrayLength());
        Assert.NotEqual(JsonValueKind.Null, snapshot.RootElement.GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("id").GetString() == "dora.postmortem_coverage").GetProperty("value").ValueKind);

        // Notion's progress ends on its final state, counting the OKR requests with the postmortems'.
        var requests = snapshot.RootElement.GetProperty("sources").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "notion").GetProperty("requests").GetInt64();
        var notionLines = result.Error.Split('\n').Where(l => l.Contains(" notion: ", StringComparison.Ordinal)).ToList();
        Assert.Contains(notionLines, l => l.Contains("notion: OKR rows", StringComparison.Ordinal));
        Assert.Contains($"notion: ok, {requests} requests in ", notionLines[^1], StringComparison.Ordinal);
        Assert.Single(notionLines, l => l.Contains("notion: ok,", StringComparison.Ordinal));
    }
}

using System.Text.Json.Nodes;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary>
/// <c>okrhost report --config teams/*/plugins.json --out site</c> against the demo sandbox: a report per
/// team, an index rolling them up with the teams' own numbers, and a failing team shown as failing.
/// </summary>
public sealed class TeamsCommandTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private const string BrokenTeam = "broken<script>";

    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Every_team_gets_its_report_and_the_index_shows_their_numbers_and_which_team_failed()
    {
        var (sources, tokens) = sandbox.Server.DemoSources();
        _folder.File("teams/platform/plugins.json", Config(sources, "Platform OKRs").ToJsonString());
        // Mobile's Grafana token is refused by the sandbox: its report is written with that source failed.
        var mobileSources = sources.DeepClone().AsObject();
        mobileSources["grafana"]!["tokenEnv"] = "MOBILE_GRAFANA_TOKEN";
        _folder.File("teams/mobile/plugins.json", Config(mobileSources, "Mobile OKRs").ToJsonString());
        _folder.File($"teams/{BrokenTeam}/plugins.json", "{ not json");
        var variables = new Dictionary<string, string>(tokens) { ["MOBILE_GRAFANA_TOKEN"] = "not-the-token" };

        // Quoted, as CI YAML passes it: okrhost expands the pattern itself.
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, variables, new CliRunOptions { Clock = new FixedClock(SandboxFixture.Now) },
            "report", "--config", "teams/*/plugins.json", "--out", "site", "--period", "2026-10");

        // The worst team decides: the broken config (2) beats mobile's failed source (3).
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("[mobile] error: source grafana failed", result.Error, StringComparison.Ordinal);
        Assert.Contains($"[{BrokenTeam}] error: teams/{BrokenTeam}/plugins.json: $: not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.Contains("index written:", result.Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("site", BrokenTeam, "report.json")));

        var index = JsonNode.Parse(File.ReadAllText(_folder.Combine("site", "index.json")))!;
        var teams = index["teams"]!.AsArray().ToDictionary(t => (string)t!["name"]!);
        Assert.Equal([BrokenTeam, "mobile", "platform"], teams.Keys);
        AssertRollsUp(teams["platform"]!, "platform", exitCode: 0);
        AssertRollsUp(teams["mobile"]!, "mobile", exitCode: 3);
        Assert.Contains(teams["mobile"]!["problems"]!.AsArray(), p => ((string)p!).StartsWith("error: source grafana failed", StringComparison.Ordinal));
        Assert.Equal("failed", (string?)teams["mobile"]!["sources"]!.AsArray().Single(s => (string?)s!["id"] == "grafana")!["status"]);
        Assert.Equal(2, (int)teams[BrokenTeam]!["exitCode"]!);
        Assert.Null(teams[BrokenTeam]!["report"]);
        Assert.Contains(teams[BrokenTeam]!["problems"]!.AsArray(), p => ((string)p!).Contains("not valid JSON", StringComparison.Ordinal));
        Assert.All(tokens.Values, token => Assert.DoesNotContain(token, index.ToJsonString(), StringComparison.Ordinal));

        var html = File.ReadAllText(_folder.Combine("site", "index.html"));
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none';", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"platform/report.html\">platform</a>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"mobile/report.html\">mobile</a>", html, StringComparison.Ordinal);
        // The sandbox's Notion OKR database has rows that cannot be scored, so no team is plainly healthy (PRODUCT.md section 13).
        Assert.Contains("3 of 3 teams need attention", html, StringComparison.Ordinal);
        Assert.Contains("OKR definitions could not be scored", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        Assert.Contains("broken&lt;script&gt;", html, StringComparison.Ordinal);
        var platformObjective = (string)JsonNode.Parse(File.ReadAllText(_folder.Combine("site", "platform", "report.json")))!["okrs"]![0]!["title"]!;
        Assert.Contains(System.Net.WebUtility.HtmlEncode(platformObjective), html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("a/plugins.json", "a/other.json", "are in one folder")]
    [InlineData("x/team/plugins.json", "y/team/plugins.json", "are both in a folder named 'team'")]
    public async Task Configs_that_would_make_two_teams_of_one_name_are_refused_with_exit_code_2(string first, string second, string message)
    {
        _folder.File(first, "{}");
        _folder.File(second, "{}");

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "report", "--config", first, second, "--out", "site");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("site")));
    }

    [Fact]
    public async Task A_pattern_that_matches_nothing_is_refused_with_exit_code_2()
    {
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "report", "--config", "teams/*/plugins.json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("--config teams/*/plugins.json: no file matches the pattern", result.Error, StringComparison.Ordinal);
    }

    private static JsonObject Config(JsonObject sources, string title) => new()
    {
        ["report"] = new JsonObject { ["title"] = title },
        ["okrs"] = new JsonObject { ["source"] = "notion" },
        ["sources"] = sources.DeepClone(),
    };

    /// <summary>The team's index entry holds exactly its report's objectives, DORA metrics and source statuses.</summary>
    private void AssertRollsUp(JsonNode entry, string team, int exitCode)
    {
        var report = JsonNode.Parse(File.ReadAllText(_folder.Combine("site", team, "report.json")))!;
        Assert.Equal(exitCode, (int)entry["exitCode"]!);
        Assert.Equal($"{team}/report.html", (string?)entry["report"]);
        Assert.Equal((string?)report["title"], (string?)entry["title"]);

        var objectives = report["okrs"]!.AsArray();
        Assert.NotEmpty(objectives);
        Assert.Equal(
            objectives.Select(o => ((string?)o!["title"], (string?)o["status"], (double?)o["progress"], o["keyResults"]!.AsArray().Count)),
            entry["objectives"]!.AsArray().Select(o => ((string?)o!["title"], (string?)o["status"], (double?)o["progress"], (int)o["keyResults"]!)));

        var dora = report["metrics"]!.AsArray().Where(m => (string?)m!["source"] == "dora").ToDictionary(m => (string)m!["id"]!);
        Assert.Contains("dora.deployment_frequency", dora.Keys);
        Assert.Equal(
            dora.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => (m.Key, (double?)m.Value!["value"], (double?)m.Value["previous"])),
            entry["dora"]!.AsArray().Select(m => ((string)m!["id"]!, (double?)m["value"], (double?)m["previous"])).OrderBy(m => m.Item1, StringComparer.Ordinal));
        Assert.NotNull(entry["dora"]![0]!["value"]);

        Assert.Equal(
            report["sources"]!.AsArray().Select(s => ((string?)s!["id"], (string?)s["status"])),
            entry["sources"]!.AsArray().Select(s => ((string?)s!["id"], (string?)s["status"])));
    }
}

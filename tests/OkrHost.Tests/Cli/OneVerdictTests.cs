using System.Text.Json;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary>PRODUCT.md section 7, One verdict: validate, doctor and report judge one configuration the same way.</summary>
public sealed class OneVerdictTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private static readonly string[] CommandNames = ["validate", "doctor", "report"];
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Report_in_a_folder_without_plugins_json_names_okrhost_init_and_writes_nothing()
    {
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "report");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("okrhost init", result.Error, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(_folder.Path));
    }

    [Fact]
    public async Task Validate_with_a_config_that_does_not_exist_exits_2()
    {
        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "validate", "--config", "missing.json");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("error: missing.json: $: file not found", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("ok:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("github", """{ "repositorys": ["acme/api"] }""", "$.sources.github.repositorys", "repositories")]
    [InlineData("slack", """{ "warRoomPatern": "^inc-" }""", "$.sources.slack.warRoomPatern", "warRoomPattern")]
    public async Task A_near_miss_of_a_source_setting_is_an_error_naming_the_suggestion_in_validate_doctor_and_report(string source, string settings, string path, string suggestion)
    {
        _folder.File("plugins.json", $$"""{ "$comment": "a typo", "sources": { "{{source}}": {{settings}} } }""");
        var tokens = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_notused000000000000", ["SLACK_BOT_TOKEN"] = "xoxb-notused-0000" };

        foreach (var command in CommandNames)
        {
            var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, tokens, command);

            Assert.True(result.ExitCode == 2, $"{command}: {result}");
            Assert.Contains($"error: plugins.json: {path}: ", result.Error, StringComparison.Ordinal);
            Assert.Contains($"did you mean `{suggestion}`?", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("$comment", result.Error, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_folder.Combine("okrhost.db")));
        Assert.False(Directory.Exists(_folder.Combine("out")));
    }

    [Theory]
    [InlineData("""{ "okrDatabaseId": "8a3f0c1e2b4d4e6f9a0b1c2d3e4f5a6b" }""", "but it is not configured: environment variable NOTION_TOKEN is not set")]
    [InlineData("""{ "enabled": false }""", "but ")]
    public async Task OKRs_from_a_source_that_is_disabled_or_not_configured_are_an_error_in_validate_doctor_and_report_before_anything_is_fetched(string notion, string why)
    {
        _folder.File("plugins.json", $$"""{ "okrs": { "source": "notion" }, "sources": { "notion": {{notion}}, "github": { "repositories": ["acme/api"], "baseUrl": "http://127.0.0.1:9/" } } }""");
        var tokens = new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_notused000000000000" };

        foreach (var command in CommandNames)
        {
            var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, tokens, command);

            Assert.True(result.ExitCode == 2, $"{command}: {result}");
            // The one error: nothing else in the config is wrong.
            var error = Assert.Single(result.Error.Split('\n'), l => l.StartsWith("error:", StringComparison.Ordinal));
            Assert.StartsWith("error: plugins.json: $.okrs.source: the OKRs come from Notion, " + why, error, StringComparison.Ordinal);
            Assert.DoesNotContain("127.0.0.1:9", result.ToString(), StringComparison.Ordinal);
        }

        Assert.False(File.Exists(_folder.Combine("okrhost.db")));
        Assert.False(Directory.Exists(_folder.Combine("out")));
    }

    [Fact]
    public async Task A_near_miss_of_a_host_key_is_an_error_and_an_unrelated_unknown_key_a_warning_listing_the_known_ones()
    {
        _folder.File("plugins.json", """{ "report": { "tittle": "Platform", "colour": "blue" } }""");

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.True(result.ExitCode == 2, result.ToString());
        var lines = result.Error.Split('\n', StringSplitOptions.TrimEntries);
        Assert.Contains(lines, l => l.StartsWith("error: plugins.json: $.report.tittle: ", StringComparison.Ordinal) && l.Contains("did you mean `title`?", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("warning: plugins.json: $.report.colour: unknown setting 'colour' is ignored (known: ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unrelated_unknown_source_setting_stays_a_warning_listing_the_known_settings()
    {
        _folder.File("plugins.json", """{ "sources": { "github": { "repositories": ["acme/api"], "colour": "blue" } } }""");

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(result.Error.Split('\n', StringSplitOptions.TrimEntries), l =>
            l.StartsWith("warning: plugins.json: $.sources.github.colour: unknown setting 'colour' is ignored (known: ", StringComparison.Ordinal)
            && l.Contains("repositories", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--period", "2027-Q1")]
    [InlineData("--period", "2026-12")]
    [InlineData("--from", "2026-12-08")]
    public async Task A_period_that_starts_after_now_is_an_error(string option, string value)
    {
        _folder.File("plugins.json", "{}");
        string[] args = option == "--from" ? ["report", "--from", value, "--to", "2026-12-20"] : ["report", option, value];

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, new CliRunOptions { Clock = new FixedClock(new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero)) }, args);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("starts after now", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("out")));
    }

    [Fact]
    public async Task The_sandboxs_printed_configuration_passes_validate_doctor_and_report_with_the_same_warnings()
    {
        var (json, variables) = PrintedSandboxConfig();
        _folder.File("plugins.json", json);
        var options = new CliRunOptions { Clock = new FixedClock(SandboxFixture.Now) };

        var results = new Dictionary<string, CliResult>();
        foreach (var command in CommandNames)
        {
            results[command] = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, variables, options, command == "report" ? ["report", "--period", "2026-10"] : [command]);
        }

        Assert.All(CommandNames, c => Assert.True(results[c].ExitCode == 0, $"{c}: {results[c]}"));
        var warnings = CommandNames.ToDictionary(c => c, c => OkrWarnings(results[c]));
        Assert.NotEmpty(warnings["validate"]);
        Assert.Equal(warnings["validate"], warnings["doctor"]);
        Assert.Equal(warnings["validate"], warnings["report"]);
        var html = File.ReadAllText(_folder.Combine("out", "report.html"));
        Assert.Contains("could not be scored", html, StringComparison.Ordinal);
        using var snapshot = JsonDocument.Parse(File.ReadAllText(_folder.Combine("out", "report.json")));
        Assert.Equal(warnings["report"].Count, snapshot.RootElement.GetProperty("okrProblems").GetArrayLength());
    }

    [Fact]
    public async Task OKRs_from_a_source_the_command_line_leaves_out_are_a_warning_and_the_report_is_written()
    {
        var (json, variables) = PrintedSandboxConfig();
        _folder.File("plugins.json", json);

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, variables, new CliRunOptions { Clock = new FixedClock(SandboxFixture.Now) },
            "report", "--period", "2026-10", "--only", "github");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("warning: OKRs from Notion: $.okrs.source: the OKRs come from Notion, but not selected by --only", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", result.Error, StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.Combine("out", "report.html")));
    }

    private static List<string> OkrWarnings(CliResult result) =>
        [.. result.Error.Split('\n', StringSplitOptions.TrimEntries).Where(l => l.StartsWith("warning: OKRs from", StringComparison.Ordinal))];

    /// <summary>What a user copies from <c>okrhost sandbox</c>: the exported variables and the JSON block.</summary>
    private (string Json, Dictionary<string, string> Variables) PrintedSandboxConfig()
    {
        using var printed = new StringWriter();
        OkrHost.Cli.SandboxCommand.PrintSandboxConfig(sandbox.Server, printed);
        var lines = printed.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var variables = lines.Where(l => l.StartsWith("  export ", StringComparison.Ordinal))
            .Select(l => l["  export ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        var start = lines.IndexOf("{");
        return (string.Join('\n', lines.Skip(start).Take(lines.IndexOf("}") - start + 1)), variables);
    }
}

using System.Text.Json.Nodes;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary><c>okrhost doctor</c> against the sandbox, configured exactly as <c>okrhost sandbox</c> prints.</summary>
public sealed class DoctorCommandTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly string[] SourceIds = ["github", "linear", "slack", "grafana", "notion"];

    [Fact]
    public async Task Every_source_of_the_sandbox_is_ok_and_doctor_exits_0()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        // The OKRs from Notion: the doctor also proves the OKR database.
        WriteConfig(folder, sources, new JsonObject { ["source"] = "notion" });

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Out);
        Assert.All(SourceIds, id => Assert.Matches($"^{id} +ok \\(\\d+ requests?\\)$", Assert.Single(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal))));
        Assert.Contains("every enabled source is ok (5)", lines);
        AssertNoToken(result, tokens.Values);
    }

    [Fact]
    public async Task The_probe_stops_each_collection_after_its_first_answers()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        WriteConfig(folder, sources);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor");

        Assert.True(result.ExitCode == 0, result.ToString());
        // A full report of the demo organisation sends hundreds of GitHub requests (statuses, compares,
        // further pages); the probe sends the first page of each of the four repositories, read at once.
        Assert.Contains(Lines(result.Out), l => l.StartsWith("github ", StringComparison.Ordinal) && l.EndsWith("ok (4 requests)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task One_wrong_token_exits_3_naming_that_source_and_its_variable_and_prints_no_token()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        WriteConfig(folder, sources);
        const string wrong = "glsa_wrongServiceAccountToken_0000_deadbeef";
        var variables = new Dictionary<string, string>(tokens) { ["OKRHOST_SANDBOX_GRAFANA_TOKEN"] = wrong };

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "doctor");

        Assert.True(result.ExitCode == 3, result.ToString());
        var lines = Lines(result.Out);
        var grafana = Assert.Single(lines, l => l.StartsWith("grafana ", StringComparison.Ordinal));
        Assert.Contains("OKRHOST_SANDBOX_GRAFANA_TOKEN", grafana, StringComparison.Ordinal);
        Assert.Contains("401", grafana, StringComparison.Ordinal);
        Assert.All(SourceIds.Where(id => id != "grafana"), id => Assert.Contains(lines, l => l.StartsWith(id + " ", StringComparison.Ordinal) && l.Contains(" ok (", StringComparison.Ordinal)));
        Assert.Contains("1 of 5 enabled sources not ok", lines);
        AssertNoToken(result, [.. tokens.Values, wrong]);
    }

    [Fact]
    public async Task A_repository_the_token_cannot_see_is_named()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        // First in the list, so its request is among the first the plugin starts, before any answer.
        sources["github"]!["repositories"] = new JsonArray("acme/secret-plans", "acme/api", "acme/web");
        WriteConfig(folder, sources);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor", "--config", "plugins.json");

        Assert.True(result.ExitCode == 3, result.ToString());
        var github = Assert.Single(Lines(result.Out), l => l.StartsWith("github ", StringComparison.Ordinal));
        Assert.Contains("repository acme/secret-plans was not found (HTTP 404)", github, StringComparison.Ordinal);
        Assert.Contains("OKRHOST_SANDBOX_GITHUB_TOKEN", github, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_whose_message_does_not_name_the_token_gets_the_hosts_fix()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        sources["grafana"]!["tempoDatasourceUid"] = "tempx";
        WriteConfig(folder, sources);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor");

        Assert.True(result.ExitCode == 3, result.ToString());
        var grafana = Assert.Single(Lines(result.Out), l => l.StartsWith("grafana ", StringComparison.Ordinal));
        Assert.Contains("there is no data source with uid 'tempx' (HTTP 404", grafana, StringComparison.Ordinal);
        Assert.EndsWith($"| fix: check the settings naming what to read in $.sources.grafana, and $.sources.grafana.baseUrl ({sources["grafana"]!["baseUrl"]}); "
            + "the token in OKRHOST_SANDBOX_GRAFANA_TOKEN must be able to see it", grafana, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enabled_source_missing_a_setting_is_not_ok_and_names_the_setting()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        sources["github"]!.AsObject().Remove("repositories");
        WriteConfig(folder, sources);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains(Lines(result.Out), l => l.StartsWith("github ", StringComparison.Ordinal) && l.Contains("not configured: $.sources.github.repositories", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_config_error_exits_2_before_any_request()
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        sources["slack"]!["warRoomPattern"] = "([unclosed";
        WriteConfig(folder, sources);
        var before = SourceIds.Sum(id => sandbox.Server.Stats(id).Requests);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "doctor");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("$.sources.slack.warRoomPattern", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SourceIds.Sum(id => sandbox.Server.Stats(id).Requests));
    }

    private static void WriteConfig(TempFolder folder, JsonObject sources, JsonObject? okrs = null)
    {
        var config = new JsonObject { ["sources"] = sources.DeepClone() };
        if (okrs is not null)
        {
            config["okrs"] = okrs;
        }

        folder.File("plugins.json", config.ToJsonString());
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static void AssertNoToken(CliResult result, IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, result.Out + result.Error, StringComparison.Ordinal);
        }
    }
}

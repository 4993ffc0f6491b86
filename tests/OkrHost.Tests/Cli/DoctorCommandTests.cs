using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary><c>okrhost doctor</c> against the sandbox, configured exactly as <c>okrhost sandbox</c> prints.</summary>
public sealed class DoctorCommandTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly string[] SourceIds = ["github", "linear", "slack", "grafana", "notion"];

    [Fact]
    public async Task Every_source_of_the_sandbox_is_ok_after_its_first_answers_and_doctor_exits_0()
    {
        // The OKRs from Notion: the doctor also proves the OKR database.
        var (result, tokens) = await DoctorAsync(okrs: new JsonObject { ["source"] = "notion" });

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = Lines(result.Out);
        Assert.All(SourceIds, id => Assert.Matches($"^{id} +ok \\(\\d+ requests?\\)$", Line(lines, id)));
        // A full report of the demo organisation sends hundreds of GitHub requests over REST (a statuses
        // request per deployment, a compare per deployment, further pages); the probe sends each kind of
        // request of each of the four repositories once at the most: its deployments, one statuses, one
        // compare — over GraphQL, the default, one query holds all four repositories.
        var githubRequests = int.Parse(Regex.Match(Line(lines, "github"), @"ok \((\d+) requests?\)").Groups[1].Value, CultureInfo.InvariantCulture);
        Assert.InRange(githubRequests, 1, 4 * 3);
        Assert.Contains("every enabled source is ok (5)", lines);
        AssertNoToken(result, tokens.Values);
    }

    [Fact]
    public async Task One_wrong_token_exits_3_naming_that_source_and_its_variable_and_prints_no_token()
    {
        const string wrong = "glsa_wrongServiceAccountToken_0000_deadbeef";

        var (result, tokens) = await DoctorAsync(overrides: new Dictionary<string, string> { ["OKRHOST_SANDBOX_GRAFANA_TOKEN"] = wrong });

        Assert.True(result.ExitCode == 3, result.ToString());
        var lines = Lines(result.Out);
        var grafana = Line(lines, "grafana");
        Assert.Contains("OKRHOST_SANDBOX_GRAFANA_TOKEN", grafana, StringComparison.Ordinal);
        Assert.Contains("401", grafana, StringComparison.Ordinal);
        Assert.All(SourceIds.Where(id => id != "grafana"), id => Assert.Contains(" ok (", Line(lines, id), StringComparison.Ordinal));
        Assert.Contains("1 of 5 enabled sources not ok", lines);
        AssertNoToken(result, [.. tokens.Values, wrong]);
    }

    [Fact]
    public async Task A_repository_the_token_cannot_see_is_named()
    {
        // First in the list, so its request is among the first the plugin starts, before any answer.
        var (result, _) = await DoctorAsync(sources => sources["github"]!["repositories"] = new JsonArray("acme/secret-plans", "acme/api", "acme/web"));

        Assert.True(result.ExitCode == 3, result.ToString());
        var github = Line(Lines(result.Out), "github");
        // Over GraphQL (the default) GitHub answers NOT_FOUND where REST answers 404.
        Assert.Contains("repository acme/secret-plans was not found (NOT_FOUND", github, StringComparison.Ordinal);
        Assert.Contains("OKRHOST_SANDBOX_GITHUB_TOKEN", github, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refusal_whose_message_does_not_name_the_token_gets_the_hosts_fix()
    {
        string? baseUrl = null;
        var (result, _) = await DoctorAsync(sources =>
        {
            sources["grafana"]!["tempoDatasourceUid"] = "tempx";
            baseUrl = sources["grafana"]!["baseUrl"]!.GetValue<string>();
        });

        Assert.True(result.ExitCode == 3, result.ToString());
        var grafana = Line(Lines(result.Out), "grafana");
        Assert.Contains("there is no data source with uid 'tempx' (HTTP 404", grafana, StringComparison.Ordinal);
        Assert.EndsWith($"| fix: check the settings naming what to read in $.sources.grafana, and $.sources.grafana.baseUrl ({baseUrl}); "
            + "the token in OKRHOST_SANDBOX_GRAFANA_TOKEN must be able to see it", grafana, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_enabled_source_missing_a_setting_is_not_ok_and_names_the_setting()
    {
        var (result, _) = await DoctorAsync(sources => sources["github"]!.AsObject().Remove("repositories"));

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("not configured: $.sources.github.repositories", Line(Lines(result.Out), "github"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_config_error_exits_2_before_any_request()
    {
        var before = SourceIds.Sum(id => sandbox.Server.Stats(id).Requests);

        var (result, _) = await DoctorAsync(sources => sources["slack"]!["warRoomPattern"] = "([unclosed");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("$.sources.slack.warRoomPattern", result.Error, StringComparison.Ordinal);
        Assert.Equal(before, SourceIds.Sum(id => sandbox.Server.Stats(id).Requests));
    }

    /// <summary>Runs the doctor on the sandbox's printed sources, edited, with its tokens, some overridden.</summary>
    private async Task<(CliResult Result, IReadOnlyDictionary<string, string> Tokens)> DoctorAsync(
        Action<JsonObject>? editSources = null,
        IReadOnlyDictionary<string, string>? overrides = null,
        JsonObject? okrs = null)
    {
        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.Server.DemoSources();
        editSources?.Invoke(sources);
        var config = new JsonObject { ["sources"] = sources };
        if (okrs is not null)
        {
            config["okrs"] = okrs;
        }

        folder.File("plugins.json", config.ToJsonString());
        var variables = new Dictionary<string, string>(tokens);
        foreach (var (name, value) in overrides ?? new Dictionary<string, string>())
        {
            variables[name] = value;
        }

        return (await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "doctor", "--config", "plugins.json"), tokens);
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string Line(string[] lines, string sourceId) => Assert.Single(lines, l => l.StartsWith(sourceId + " ", StringComparison.Ordinal));

    private static void AssertNoToken(CliResult result, IEnumerable<string> tokens)
    {
        foreach (var token in tokens)
        {
            Assert.DoesNotContain(token, result.Out + result.Error, StringComparison.Ordinal);
        }
    }
}

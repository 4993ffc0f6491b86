using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Reporting;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Model;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary>
/// One report of October 2026 against the sandbox with the scripted model and Slack alerts configured,
/// run with <c>--fail-on off-track</c>; the tests read what it wrote, posted and sent.
/// </summary>
public sealed class InsightsReportFixture : IAsyncLifetime
{
    public TempFolder Folder { get; } = new();
    public SandboxServer Sandbox { get; private set; } = default!;
    public Dictionary<string, string> Variables { get; } = new(StringComparer.Ordinal);
    public CliResult Report { get; private set; } = default!;

    public async Task InitializeAsync()
    {
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now });
        var (sources, tokens) = Sandbox.DemoSources();
        foreach (var (name, value) in tokens)
        {
            Variables[name] = value;
        }

        Variables["MODEL_KEY"] = ScriptedModel.ApiKey;
        Folder.File("plugins.json", new JsonObject
        {
            ["okrs"] = new JsonObject { ["source"] = "notion" },
            ["sources"] = sources,
            ["insights"] = new JsonObject
            {
                ["llm"] = new JsonObject { ["provider"] = "openai", ["baseUrl"] = Sandbox.ModelBaseUrl.ToString(), ["model"] = ScriptedModel.ModelName, ["apiKeyEnv"] = "MODEL_KEY" },
            },
            ["alerts"] = new JsonObject { ["slack"] = new JsonObject { ["channel"] = "#eng-okrs" }, ["on"] = new JsonArray("off-track", "source-failed") },
        }.ToJsonString());
        Report = await CliRunner.RunAsync(Folder.Path, RepoPaths.HostPlugins, Variables, "report", "--period", "2026-10", "--fail-on", "off-track");
    }

    public async Task DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        Folder.Dispose();
    }
}

public sealed class InsightsCliTests(InsightsReportFixture run) : IClassFixture<InsightsReportFixture>
{
    [Fact]
    public void Fail_on_off_track_exits_4_after_writing_the_report_and_names_the_key_results()
    {
        Assert.True(run.Report.ExitCode == 4, run.Report.ToString());
        Assert.True(File.Exists(run.Folder.Combine("out", "report.html")));
        Assert.Contains("--fail-on off-track: ", run.Report.Error, StringComparison.Ordinal);
        Assert.Contains("is off-track", run.Report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_snapshot_and_page_carry_the_insights_and_a_checked_narrative_naming_the_model()
    {
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));
        var html = File.ReadAllText(run.Folder.Combine("out", "report.html"));

        Assert.NotEmpty(snapshot.Insights);
        var narrative = snapshot.Narrative!;
        Assert.Equal("openai model okrhost-sandbox-scripted", narrative.Model);
        Assert.True(narrative.Text is not null, narrative.Note);
        Assert.Equal(1, narrative.Requests);
        Assert.Contains("<h2 id=\"insights-title\">What changed</h2>", html, StringComparison.Ordinal);
        Assert.Contains("Summary written by the openai model okrhost-sandbox-scripted", html, StringComparison.Ordinal);
        Assert.Contains(snapshot.Insights[0].Text, System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
        Assert.Contains("narrative: written by the openai model okrhost-sandbox-scripted, every number checked against the facts", run.Report.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void One_alert_message_with_the_off_track_key_results_reached_the_sandboxs_slack()
    {
        var slack = ((SlackEmulator)run.Sandbox.Emulator("slack")).Data;
        SlackPost post;
        lock (slack.Sync)
        {
            post = Assert.Single(slack.Posts);
        }

        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));
        var offTrack = snapshot.Okrs.SelectMany(o => o.KeyResults).Where(kr => kr.Status == OkrStatus.OffTrack).ToArray();
        Assert.Equal("#eng-okrs", post.Channel);
        Assert.StartsWith($"{offTrack.Length} new OKR alerts: ", post.Text, StringComparison.Ordinal);
        Assert.All(offTrack, kr => Assert.Contains($"- off-track: “{kr.Title}” is off-track", post.Text, StringComparison.Ordinal));
        Assert.Equal(offTrack.Length + 2, post.Blocks!.Count);
        Assert.Contains($"alerts: {offTrack.Length} sent to Slack #eng-okrs", run.Report.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void No_token_or_key_reaches_the_model()
    {
        var received = string.Join("\n", run.Sandbox.Model.Received);

        Assert.NotEmpty(run.Sandbox.Model.Received);
        Assert.All(run.Variables.Values, secret => Assert.DoesNotContain(secret, received, StringComparison.Ordinal));
        Assert.DoesNotContain(run.Sandbox.RootUrl.Authority, received, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_answers_from_the_tools_and_prints_the_metric_ids_used()
    {
        var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", "which key results got worse?");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"^(\d+ of the \d+ key results got worse|None of the \d+ key results got worse)", result.Out);
        Assert.Contains("\nmetrics used: ", result.Out, StringComparison.Ordinal);
        Assert.Contains("answered by the openai model okrhost-sandbox-scripted in ", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_json_is_one_document_for_scripts()
    {
        var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", "what is github.deployments?", "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var answer = JsonDocument.Parse(result.Out);
        Assert.Equal(["github.deployments"], answer.RootElement.GetProperty("metricsUsed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("list_metrics()", answer.RootElement.GetProperty("toolCalls")[0].GetString());
        Assert.StartsWith("From the report:\n- github.deployments (Production deployments): ", answer.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_get_history_reads_the_configs_store_and_store_names_another_file()
    {
        const string Question = "how did github.deployments do over the weeks?";
        var fromConfig = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", Question, "--json");
        var missingStore = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", Question, "--store", "elsewhere.db");

        Assert.True(fromConfig.ExitCode == 0, fromConfig.ToString());
        using var answer = JsonDocument.Parse(fromConfig.Out);
        Assert.Contains("get_history(github.deployments, 13)", answer.RootElement.GetProperty("toolCalls").EnumerateArray().Select(e => e.GetString()));
        var value = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json"))).Metrics.Single(m => m.Id == "github.deployments").Value;
        Assert.Contains($"Stored values of github.deployments, oldest first: {JsonSerializer.Serialize(value)}.", answer.RootElement.GetProperty("answer").GetString(), StringComparison.Ordinal);

        Assert.Equal(2, missingStore.ExitCode);
        Assert.Contains("error: no history store at ", missingStore.Error, StringComparison.Ordinal);
        Assert.Contains("elsewhere.db", missingStore.Error, StringComparison.Ordinal);
    }
}

public class AskWithoutModelTests
{
    [Fact]
    public async Task Ask_with_no_model_configured_exits_2_saying_how_to_configure_one()
    {
        using var folder = new TempFolder();
        folder.File("out/report.json", SnapshotJson.Serialize(SampleSnapshots.Full()));

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "ask", "which key results got worse?");

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("error: no language model is configured in plugins.json: add \"insights\": { \"llm\": { \"provider\": \"openai\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("okrhost ask --demo", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_every_insights_and_alerts_problem_with_its_json_path()
    {
        using var folder = new TempFolder();
        folder.File("plugins.json", """
            { "insights": { "llm": { "provider": "gpt", "baseUrl": "http://llm.example.com/v1" } },
              "alerts": { "slack": { "channel": "#x" }, "webhook": { "urlEnv": "HOOK" }, "on": ["off-track", "sometimes"] } }
            """);
        folder.File("openai.json", """{ "insights": { "llm": { "provider": "openai", "model": "gpt-4o-mini" } } }""");

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");
        var missingKey = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate", "--config", "openai.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: plugins.json: $.insights.llm.provider: 'gpt' must be \"openai\" or \"ollama\"", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: plugins.json: $.insights.llm.model: is required", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: plugins.json: $.alerts.on[1]: 'sometimes' is not one of: status-worse, off-track, anomaly, source-failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("error: plugins.json: $.alerts: needs exactly one of", result.Error, StringComparison.Ordinal);
        Assert.Contains("warning: openai.json: $.insights.llm.apiKeyEnv: environment variable OPENAI_API_KEY is not set: the openai model gpt-4o-mini needs an API key", missingKey.Error, StringComparison.Ordinal);
    }
}

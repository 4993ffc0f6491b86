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

    [Fact]
    public void A_calendar_month_compares_with_the_whole_previous_calendar_month()
    {
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));

        // October has 31 days, September 30: the previous period is September, not the 31 days before October.
        Assert.Equal(new PeriodReport(new(2026, 9, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero)), snapshot.PreviousPeriod);
    }

    [Fact]
    public async Task Key_result_trend_points_equal_reports_run_over_their_rolling_windows()
    {
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));
        var keyResults = snapshot.Okrs.SelectMany(o => o.KeyResults).ToArray();
        var length = snapshot.Period.To - snapshot.Period.From;

        // The newest point is the key result itself.
        Assert.All(keyResults, kr => Assert.Equal(kr.Actual, kr.Trend[^1].Actual));
        // An older point is what a report over the period's length ending that week says, computed on its own
        // (with the fixture's sources and OKRs, but no model and no alerts).
        var config = JsonNode.Parse(File.ReadAllText(run.Folder.Combine("plugins.json")))!.AsObject();
        config.Remove("insights");
        config.Remove("alerts");
        run.Folder.File("rolling.json", config.ToJsonString());
        foreach (var weeksBack in new[] { 4, 12 })
        {
            var end = snapshot.Period.To.AddDays(-7 * weeksBack);
            var folder = $"rolling-{weeksBack}";
            var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "report", "--config", "rolling.json",
                "--from", Day(end - length), "--to", Day(end), "--out", folder, "--no-history");
            var alone = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine(folder, "report.json")));
            var actuals = alone.Okrs.SelectMany(o => o.KeyResults).ToDictionary(kr => (kr.Metric, kr.Title), kr => kr.Actual);
            foreach (var kr in keyResults.Where(kr => !PointInTime.Contains(kr.Metric)))
            {
                var point = kr.Trend[^(weeksBack + 1)];
                Assert.Equal(end, point.To);
                Assert.True(actuals[(kr.Metric, kr.Title)] == point.Actual, $"{kr.Title}, {weeksBack} weeks back: {point.Actual} in the trend, {actuals[(kr.Metric, kr.Title)]} alone ({result.ExitCode})");
            }
        }

        // "No more than 5 configuration drifts a month" is judged on 31-day counts at every point, never on one week's.
        var drifts = keyResults.Single(kr => kr.Metric == "grafana.drifts");
        var weekly = snapshot.Metrics.Single(m => m.Id == "grafana.drifts").Trend!;
        Assert.True(drifts.Trend.Zip(weekly).All(p => p.First.Actual >= p.Second.Value), "a rolling month holds at least its last week's drifts");
    }

    [Fact]
    public void Check_ins_from_notion_reach_report_json_the_page_and_a_confidence_gap()
    {
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));
        var html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(run.Folder.Combine("out", "report.html")));

        var drifts = snapshot.Okrs.SelectMany(o => o.KeyResults).Single(kr => kr.Metric == "grafana.drifts");
        Assert.Equal(OkrHost.Contracts.Okrs.KeyResultConfidence.OnTrack, drifts.Confidence);
        Assert.Equal("Most drifts are one Terraform module re-applying tags; a fix lands next sprint.", drifts.Note);
        Assert.Contains("“Most drifts are one Terraform module re-applying tags; a fix lands next sprint.”", html, StringComparison.Ordinal);
        Assert.Equal(OkrStatus.OffTrack, drifts.Status);
        var gap = Assert.Single(snapshot.Insights, i => i.Kind == InsightKind.ConfidenceGap);
        Assert.Equal(drifts.Title, gap.KeyResult);
        Assert.Contains(gap.Text, html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task History_show_and_get_history_return_the_owners_notes()
    {
        var show = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "history", "show", "1");
        var ask = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", "how did grafana.drifts do over the weeks?");

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("check-ins (owner's confidence, note):", show.Out, StringComparison.Ordinal);
        Assert.Contains("  on-track   Keep production honest / No more than 5 configuration drifts a month: Most drifts are one Terraform module", show.Out, StringComparison.Ordinal);
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains("Check-in of run 1 on “No more than 5 configuration drifts a month”: on-track, “Most drifts are one Terraform module", ask.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("which key results got worse?")]
    [InlineData("how are the key results doing?")]
    [InlineData("what are github.lead_time_hours.p50 and dora.time_to_restore_hours.p50?")]
    public async Task Ask_prints_no_number_with_more_than_three_decimals(string question)
    {
        var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", question);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotMatch(@"\d\.\d{4,}", result.Out);
    }

    [Fact]
    public async Task Ask_names_only_key_results_that_got_worse_a_worse_status_or_the_same_further_from_target()
    {
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(run.Folder.Combine("out", "report.json")));
        var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, run.Variables, "ask", "which key results got worse?");

        Assert.True(result.ExitCode == 0, result.ToString());
        var metrics = snapshot.Metrics.ToDictionary(m => m.Id);
        foreach (var kr in snapshot.Okrs.SelectMany(o => o.KeyResults))
        {
            var listed = result.Out.Contains($"- “{kr.Title}”", StringComparison.Ordinal);
            var previous = metrics[kr.Metric].Previous;
            // Recomputed here: the previous period's status by the section 4 thresholds, and the shortfall to the target.
            var before = ScoreStatus(kr, previous);
            var worse = kr.Status != OkrStatus.NoData && before != OkrStatus.NoData
                && (Rank(kr.Status) > Rank(before) || (Rank(kr.Status) == Rank(before) && Shortfall(kr, kr.Actual!.Value) > Shortfall(kr, previous!.Value)));
            Assert.True(worse == listed, $"{kr.Title}: {kr.Status} now ({kr.Actual}), {before} before ({previous}); listed: {listed}\n{result.Out}");
            Assert.False(listed && kr.Status == OkrStatus.Achieved && before == OkrStatus.Achieved, kr.Title);
        }
    }

    [Fact]
    public async Task A_rejected_model_key_names_the_variable_to_check()
    {
        var variables = new Dictionary<string, string>(run.Variables) { ["MODEL_KEY"] = "not-the-key" };

        var result = await CliRunner.RunAsync(run.Folder.Path, RepoPaths.HostPlugins, variables, "ask", "which key results got worse?");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("HTTP 401", result.Error, StringComparison.Ordinal);
        Assert.Contains("check the variable MODEL_KEY (insights.llm.apiKeyEnv)", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-key", result.Out + result.Error, StringComparison.Ordinal);
    }

    private static readonly HashSet<string> PointInTime = ["slack.war_rooms_open", "grafana.alerts_firing"];

    private static string Day(DateTimeOffset instant) => instant.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // Achieved 0, on-track 1, at-risk 2, off-track 3: higher is worse.
    private static int Rank(OkrStatus status) => (int)status;

    private static OkrStatus ScoreStatus(KeyResultReport kr, double? actual)
    {
        if (actual is not { } value)
        {
            return OkrStatus.NoData;
        }

        var b = kr.Baseline ?? 0;
        double progress = kr.Direction == OkrHost.Contracts.Okrs.KeyResultDirection.Increase
            ? Math.Clamp((value - b) / (kr.Target - b), 0, 1)
            : kr.Baseline is { } baseline ? Math.Clamp((baseline - value) / (baseline - kr.Target), 0, 1) : value <= kr.Target ? 1 : kr.Target / value;
        return progress >= 1 ? OkrStatus.Achieved : progress >= 0.7 ? OkrStatus.OnTrack : progress >= 0.4 ? OkrStatus.AtRisk : OkrStatus.OffTrack;
    }

    private static double Shortfall(KeyResultReport kr, double value) =>
        Math.Max(0, kr.Direction == OkrHost.Contracts.Okrs.KeyResultDirection.Increase ? kr.Target - value : value - kr.Target);
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

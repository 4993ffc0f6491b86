using System.Text.Json;
using System.Text.RegularExpressions;
using OkrHost.Insights;
using OkrHost.Reporting;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public class DemoTests
{
    [Fact]
    public async Task Report_demo_writes_a_complete_report_with_every_source_ok_and_no_token_anywhere()
    {
        using var folder = new TempFolder();

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = File.ReadAllText(folder.Combine("out", "report.json"));
        var html = File.ReadAllText(folder.Combine("out", "report.html"));
        using var snapshot = JsonDocument.Parse(json);
        var sources = snapshot.RootElement.GetProperty("sources").EnumerateArray().ToArray();
        Assert.Equal(["github", "linear", "slack", "grafana", "notion"], sources.Select(s => s.GetProperty("id").GetString()));
        Assert.All(sources, s => Assert.True(s.GetProperty("status").GetString() == "ok", s.ToString()));
        Assert.All(sources, s => Assert.True(s.GetProperty("requests").GetInt64() > 0));

        var metrics = snapshot.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        string[] everyId =
        [
            "github.deployments", "github.deployments_per_week", "github.deployment_days", "github.failed_deployments",
            "github.change_failure_rate", "github.lead_time_hours.p50", "github.lead_time_hours.p90",
            "linear.issues_closed", "linear.issues_created", "linear.issues_canceled", "linear.issues_managed",
            "linear.urgent_bugs_closed", "linear.urgent_bug_resolution_hours.p50", "linear.urgent_bugs_open", "linear.cycle_time_hours.p50",
            "slack.war_rooms_opened", "slack.war_rooms_open", "slack.war_room_duration_hours.p50", "slack.war_room_messages", "slack.war_room_participants",
            "grafana.drifts", "grafana.drift_resolution_hours.p50", "grafana.findings", "grafana.findings_critical", "grafana.alerts_firing",
            "grafana.traces", "grafana.error_traces", "grafana.trace_error_rate", "grafana.trace_duration_ms.p95", "grafana.spans",
            "notion.postmortems",
            "dora.deployment_frequency", "dora.lead_time_hours.p50", "dora.change_failure_rate", "dora.time_to_restore_hours.p50", "dora.postmortem_coverage",
        ];
        Assert.Empty(everyId.Except(metrics.Keys));
        Assert.NotEqual(JsonValueKind.Null, metrics["dora.change_failure_rate"].GetProperty("value").ValueKind);
        Assert.NotEmpty(snapshot.RootElement.GetProperty("okrs").EnumerateArray());

        // The demo remembers its runs in its own store, beside its report: first the organisation's run of a week
        // ago (so the first demo already reads like a Monday), then its own.
        Assert.Contains("demo: stored the organisation's run of a week ago", result.Out, StringComparison.Ordinal);
        Assert.Contains($"run 2 stored in history store {folder.Combine("out", "okrhost.db")}", result.Out, StringComparison.Ordinal);
        var history = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "history", "list", "--store", "out/okrhost.db");
        var runs = history.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, runs.Length);
        Assert.All(runs, run => Assert.EndsWith("5/5 sources ok  report", run, StringComparison.Ordinal));

        // That run is what the Monday reading compares with: status changes, changes since it, and the owners' check-ins.
        var report = SnapshotJson.Deserialize(json);
        Assert.NotNull(report.LastRunAt);
        Assert.Contains(report.Insights, i => i.Kind == InsightKind.StatusChanged);
        Assert.Contains(report.Insights, i => i.Kind == InsightKind.ConfidenceGap);
        Assert.All(report.Okrs.SelectMany(o => o.KeyResults).Where(kr => kr.Status != OkrStatus.NoData), kr => Assert.NotNull(kr.LastRun));
        Assert.Contains(" changed status since ", html, StringComparison.Ordinal);
        Assert.Contains("Owner's check-in:", html, StringComparison.Ordinal);

        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions());
        foreach (var token in sandbox.DemoSources().Environment.Values)
        {
            Assert.DoesNotContain(token, json, StringComparison.Ordinal);
            Assert.DoesNotContain(token, html, StringComparison.Ordinal);
            Assert.DoesNotContain(token, result.Out + result.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task The_demo_shows_what_changed_a_checked_narrative_and_one_slack_alert_and_ask_demo_answers_about_it()
    {
        using var folder = new TempFolder();

        var report = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");
        var ask = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "ask", "--demo", "which key results got worse?");

        Assert.True(report.ExitCode == 0, report.ToString());
        var html = System.Net.WebUtility.HtmlDecode(File.ReadAllText(folder.Combine("out", "report.html")));
        Assert.Contains("What changed", html, StringComparison.Ordinal);
        Assert.Contains("Summary written by the openai model okrhost-sandbox-scripted", html, StringComparison.Ordinal);
        Assert.Contains("alerts: ", report.Out, StringComparison.Ordinal);
        Assert.Contains("the sandbox's Slack received in #okr-alerts:", report.Out, StringComparison.Ordinal);
        // The demo's stored run of last week gives status changes, and with trends filled its last week can be an
        // anomaly; both rank before off-track key results.
        Assert.Matches(@"\n\d+ new OKR alerts?: Acme Platform: engineering OKRs \(demo\)\n(- (status-worse|anomaly): [^\n]*\n)*- off-track: ", report.Out);

        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Matches(@"^\d+ of the \d+ key results got worse against the previous period:\n- “", ask.Out);
        Assert.Contains("\nmetrics used: github.deployments_per_week, ", ask.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_demo_run_into_the_same_folder_posts_no_alert_again_and_ask_demo_reads_both_stored_runs()
    {
        using var folder = new TempFolder();

        var first = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");
        var second = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");
        var ask = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "ask", "--demo", "--json", "how did deployments do over the weeks?");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var sent = Regex.Match(first.Out, @"alerts: (\d+) sent to Slack #okr-alerts");
        Assert.True(sent.Success, first.Out);
        Assert.Contains("the sandbox's Slack received in #okr-alerts:", first.Out, StringComparison.Ordinal);
        // The first demo stored last week's run and its own; the second demo stores only its own.
        Assert.Contains("run 3 stored in history store ", second.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("demo: stored the organisation's run of a week ago", second.Out, StringComparison.Ordinal);
        // The first demo's status changes since last week's run are no news to the second, which compares with the first:
        // every alert it still finds (the off-track key results) was already sent.
        var unsent = Regex.Match(second.Out, @"alerts: none new \((\d+) already alerted in the same state\)");
        Assert.True(unsent.Success, second.Out);
        Assert.InRange(int.Parse(unsent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), 1, int.Parse(sent.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("the sandbox's Slack received", second.Out, StringComparison.Ordinal);

        // get_history answers from the demo's store beside the snapshot: one value per stored run.
        Assert.True(ask.ExitCode == 0, ask.ToString());
        var answer = JsonDocument.Parse(ask.Out).RootElement;
        var calls = answer.GetProperty("toolCalls").EnumerateArray().Select(c => c.GetString()!).ToArray();
        var historyCalls = calls.Where(c => c.StartsWith("get_history(", StringComparison.Ordinal)).ToArray();
        Assert.NotEmpty(historyCalls);
        var snapshot = SnapshotJson.Deserialize(File.ReadAllText(folder.Combine("out", "report.json")));
        foreach (var call in historyCalls)
        {
            var metricId = call["get_history(".Length..call.IndexOf(',', StringComparison.Ordinal)];
            var metric = snapshot.Metrics.Single(m => m.Id == metricId);
            var value = NumberFormat.Value(metric.Value, metric.Unit);
            Assert.Contains($"Stored values of {metricId}, oldest first: ", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
            Assert.Contains($", {value}, {value}.", answer.GetProperty("answer").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Status_changes_of_a_demo_run_are_against_the_last_stored_run()
    {
        using var folder = new TempFolder();
        var unstored = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo", "--out", "first", "--no-history");
        var current = SnapshotJson.Deserialize(File.ReadAllText(folder.Combine("first", "report.json")));
        var weekBefore = current with
        {
            GeneratedAt = current.GeneratedAt.AddDays(-7),
            Okrs = current.Okrs.Select(o => o with { KeyResults = o.KeyResults.Select(kr => kr with { Status = Other(kr.Status) }).ToArray() }).ToArray(),
        };
        folder.File("week-before.json", SnapshotJson.Serialize(weekBefore));

        var import = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "history", "import", "week-before.json", "--store", "out/okrhost.db");
        var report = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");

        Assert.True(unstored.ExitCode == 0, unstored.ToString());
        Assert.DoesNotContain(current.Insights, i => i.Kind == InsightKind.StatusChanged);
        Assert.True(import.ExitCode == 0, import.ToString());
        Assert.True(report.ExitCode == 0, report.ToString());
        var changes = SnapshotJson.Deserialize(File.ReadAllText(folder.Combine("out", "report.json"))).Insights.Where(i => i.Kind == InsightKind.StatusChanged).ToArray();
        var scored = current.Okrs.SelectMany(o => o.KeyResults).Count(kr => kr.Status != OkrStatus.NoData);
        Assert.True(scored > 0);
        Assert.Equal(scored, changes.Length);
        var day = weekBefore.GeneratedAt.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        Assert.All(changes, change => Assert.Contains($"since the run of {day}", change.Text, StringComparison.Ordinal));

        static OkrStatus Other(OkrStatus status) => status switch
        {
            OkrStatus.NoData => OkrStatus.NoData,
            OkrStatus.OnTrack => OkrStatus.OffTrack,
            _ => OkrStatus.OnTrack,
        };
    }
}

using System.Text.Json.Nodes;
using OkrHost.Configuration;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Reporting;
using OkrHost.Sandbox.Slack;
using OkrHost.Security;
using OkrHost.Testing;
using OkrHost.Tests.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Insights;

public sealed class AlertTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IAsyncDisposable
{
    private static readonly HashSet<AlertTrigger> Every = [.. Enum.GetValues<AlertTrigger>()];
    private readonly SourceHttpFactory _http = new(new HttpPolicy(), Serilog.Core.Logger.None, TimeProvider.System);
    private readonly TempFolder _folder = new();
    private IHistoryStore? _store;

    [Fact]
    public void Alert_worthy_findings_are_one_per_subject_status_changes_winning_over_off_track()
    {
        var snapshot = WorseThanLastWeek();

        var alerts = AlertPicker.Candidates(snapshot, Every);

        Assert.Equal(
            [
                ("source:grafana", "failed"),
                ("kr:Fix what hurts customers first/Close war rooms within 8 hours", "off-track"),
                ("anomaly:slack.war_room_duration_hours.p50", "2026-11-01T00:00:00+00:00"),
                ("kr:Fix what hurts customers first/No more than 2 urgent bugs open", "off-track"),
            ],
            alerts.Select(a => (a.Key.Subject, a.Key.State)));
        Assert.Equal([AlertTrigger.SourceFailed, AlertTrigger.StatusWorse, AlertTrigger.Anomaly, AlertTrigger.OffTrack], alerts.Select(a => a.Trigger));
        Assert.Equal("“No more than 2 urgent bugs open” is off-track: actual 5 against target 2 (0% of the way).", alerts[3].Text);

        Assert.Equal([AlertTrigger.SourceFailed], AlertPicker.Candidates(snapshot, new HashSet<AlertTrigger> { AlertTrigger.SourceFailed }).Select(a => a.Trigger));
    }

    [Fact]
    public async Task One_block_kit_message_reaches_slack_and_a_second_run_in_the_same_states_posts_nothing()
    {
        var snapshot = WorseThanLastWeek();
        var config = Config(new AlertSettings(new SlackAlertTarget("#okr-alerts", "SLACK_TOKEN", new Uri(sandbox.Server.BaseUrl("slack"), "api/")), null, Every));
        var slack = ((SlackEmulator)sandbox.Server.Emulator("slack")).Data;
        var ledger = await LedgerAsync();
        string Token(string name) => name == "SLACK_TOKEN" ? sandbox.Server.Emulator("slack").Token : null!;
        using var output = new StringWriter();

        await InsightsStage.AlertAsync(snapshot, config, Token, _http, ledger, output, output, CancellationToken.None);
        await InsightsStage.AlertAsync(snapshot, config, Token, _http, ledger, output, output, CancellationToken.None);

        SlackPost post;
        lock (slack.Sync)
        {
            post = Assert.Single(slack.Posts, p => p.Channel == "#okr-alerts");
        }

        Assert.Equal(
            "4 new OKR alerts: Platform team OKRs\n"
            + $"- source-failed: Grafana failed, so its metrics are missing: {SampleSnapshots.GrafanaError}\n"
            + "- status-worse: “Close war rooms within 8 hours” went from on-track to off-track since the run of 2026-10-26 (actual 7.5 h → 13.1 h, target 8.0 h).\n"
            + "- anomaly: War room duration (median) was 13.1 h in the week to 2026-10-31, above every other week of the trend (7.5 h to 12.0 h, 11 weeks).\n"
            + "- off-track: “No more than 2 urgent bugs open” is off-track: actual 5 against target 2 (0% of the way).",
            post.Text);
        var blocks = post.Blocks!.Select(b => b!.AsObject()).ToArray();
        Assert.Equal(["header", "context", "section", "section", "section", "section"], blocks.Select(b => b["type"]!.GetValue<string>()));
        Assert.Equal("4 new OKR alerts: Platform team OKRs", blocks[0]["text"]!["text"]!.GetValue<string>());
        Assert.Equal("1 Oct 2026 – 31 Oct 2026 · generated 2026-11-02 09:00 UTC", blocks[1]["elements"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(":red_circle: *status-worse*  “Close war rooms within 8 hours” went from on-track to off-track since the run of 2026-10-26 (actual 7.5 h → 13.1 h, target 8.0 h).",
            blocks[3]["text"]!["text"]!.GetValue<string>());
        Assert.Equal("alerts: 4 sent to Slack #okr-alerts\nalerts: none new (4 already alerted in the same state)\n", output.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task A_key_result_alerted_off_track_is_alerted_again_when_its_state_changes()
    {
        var ledger = await LedgerAsync();
        await ledger.RecordAsync([new AlertKey("kr:Fix what hurts customers first/No more than 2 urgent bugs open", "at-risk")], DateTimeOffset.UnixEpoch, CancellationToken.None);
        var candidates = AlertPicker.Candidates(WithInsights(SampleSnapshots.Full()), new HashSet<AlertTrigger> { AlertTrigger.OffTrack });

        var fresh = await AlertPicker.NewAsync(candidates, ledger, CancellationToken.None);

        Assert.Equal(candidates, fresh);
    }

    [Fact]
    public async Task The_webhook_gets_the_alerts_as_json_and_its_secret_url_is_never_printed()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/hooks/T0/secret-part").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        var url = new Uri(server.LoopbackUrl(), "hooks/T0/secret-part").ToString();
        var config = Config(new AlertSettings(null, new WebhookAlertTarget("HOOK_URL"), new HashSet<AlertTrigger> { AlertTrigger.SourceFailed }));
        using var output = new StringWriter();

        await InsightsStage.AlertAsync(WithInsights(SampleSnapshots.Full()), config, name => name == "HOOK_URL" ? url : null, _http, null, output, output, CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(server.Received("/hooks/T0/secret-part")).RequestMessage.Body!)!;
        Assert.Equal("Platform team OKRs", body["title"]!.GetValue<string>());
        var alert = Assert.Single(body["alerts"]!.AsArray())!;
        Assert.Equal("source-failed", alert["kind"]!.GetValue<string>());
        Assert.Equal("critical", alert["severity"]!.GetValue<string>());
        Assert.Equal("source:grafana", alert["subject"]!.GetValue<string>());
        Assert.Equal("alerts: 1 sent to webhook (HOOK_URL)\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.DoesNotContain("secret-part", output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OkrStatus.OffTrack, new[] { "No more than 2 urgent bugs open", "Close war rooms within 8 hours" })]
    [InlineData(OkrStatus.AtRisk, new[] { "No more than 2 urgent bugs open", "Close war rooms within 8 hours", "Open fewer than 3 war rooms a month" })]
    public void Fail_on_counts_key_results_at_the_status_or_worse_and_never_no_data(OkrStatus threshold, string[] expected)
    {
        Assert.Equal(expected, InsightsStage.AtOrWorse(SampleSnapshots.Full(), threshold).Select(kr => kr.Title));
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        _folder.Dispose();
    }

    private static ReportSnapshot WithInsights(ReportSnapshot snapshot, ReportSnapshot? previousRun = null) =>
        snapshot with { Insights = WhatChanged.Find(snapshot, previousRun) };

    /// <summary>The sample with trends and its insights against a run a week earlier in which the war rooms were on track.</summary>
    private static ReportSnapshot WorseThanLastWeek()
    {
        var now = SampleSnapshots.WithTrends();
        var previousRun = now with
        {
            GeneratedAt = now.GeneratedAt.AddDays(-7),
            Okrs = now.Okrs.Select(o => o with
            {
                KeyResults = o.KeyResults.Select(kr => kr.Title == "Close war rooms within 8 hours" ? kr with { Status = OkrStatus.OnTrack, Actual = 7.5 } : kr).ToArray(),
            }).ToArray(),
        };
        return WithInsights(now, previousRun);
    }

    private static HostConfig Config(AlertSettings alerts) => new() { File = "plugins.json", Directory = "/", OutputDirectory = "/out", Alerts = alerts };

    /// <summary>The real ledger: the history store's, in a SQLite file of this test.</summary>
    private async Task<StoreRunHistory> LedgerAsync()
    {
        _store = await HistoryStores.OpenAsync(new SqliteHistory(_folder.Combine("okrhost.db")), _ => null, new Redactor(), TimeProvider.System, createIfMissing: true, CancellationToken.None);
        return new StoreRunHistory(_store!);
    }
}

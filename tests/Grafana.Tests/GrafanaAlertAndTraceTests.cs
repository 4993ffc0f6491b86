using OkrHost.Sandbox;
using OkrHost.Sandbox.Grafana;
using static Grafana.Tests.GrafanaRun;

namespace Grafana.Tests;

/// <summary>Alerts and Tempo traces from hand-built data in a fresh sandbox.</summary>
public sealed class GrafanaAlertAndTraceTests
{
    [Fact]
    public async Task Only_firing_and_alerting_states_count_as_firing_whatever_their_case()
    {
        await using var server = await StartAsync();
        string[] states =
        [
            "firing", "Alerting", "FIRING", "alerting",
            "pending", "Pending", "inactive", "Normal", "Alerting (NoData)", "Alerting (Error)", "NoData", "Error", "Firing soon",
        ];
        var data = Emulator(server).Data;
        lock (data)
        {
            data.Alerts.Clear();
            data.Alerts.AddRange(states.Select(state => new GrafanaAlertInstance(
                new Dictionary<string, string> { ["alertname"] = $"rule {state}" },
                new Dictionary<string, string> { ["summary"] = "s" },
                state,
                server.Org.Now - TimeSpan.FromHours(1),
                "1e+00")));
        }

        var outcome = await CollectAsync(server);

        Assert.Equal(4, outcome.Value("grafana.alerts_firing"));
        Assert.Null(outcome.Previous("grafana.alerts_firing"));
        Assert.Equal(
            ["rule firing", "rule Alerting", "rule FIRING", "rule alerting"],
            outcome.Result.Tables.Single(t => t.Id == "firing-alerts").Rows.Select(r => r[0].Text));
    }

    [Fact]
    public async Task Trace_metrics_come_from_the_all_traces_and_error_traces_searches()
    {
        await using var server = await StartAsync();
        ReplaceTraces(server,
            Trace("a", InPeriod(1), durationMs: 10, spans: 4, errorSpans: 0),
            Trace("b", InPeriod(2), durationMs: 20, spans: 6, errorSpans: 2),
            Trace("c", InPeriod(3), durationMs: 30, spans: 8, errorSpans: 0),
            Trace("d", InPeriod(4), durationMs: 40, spans: 10, errorSpans: 1),
            Trace("e", InPeriod(29.9), durationMs: 1000, spans: 12, errorSpans: 0),
            Trace("f", InPrevious(5), durationMs: 100, spans: 3, errorSpans: 0),
            Trace("g", InPrevious(6), durationMs: 300, spans: 5, errorSpans: 0),
            // Before both periods: not counted, even though it is in Tempo.
            Trace("h", InPrevious(-1), durationMs: 50, spans: 5, errorSpans: 5));

        var outcome = await CollectAsync(server);

        Assert.Equal(5, outcome.Value("grafana.traces"));
        Assert.Equal(2, outcome.Value("grafana.error_traces"));
        Assert.Equal(0.4, outcome.Value("grafana.trace_error_rate"));
        // numpy: rank 0.95 × 4 = 3.8 between 40 and 1000 → 40 + 0.8 × 960.
        Assert.Equal(808, outcome.Value("grafana.trace_duration_ms.p95")!.Value, 6);
        Assert.Equal(4 + 6 + 8 + 10 + 12, outcome.Value("grafana.spans"));
        Assert.Equal(2, outcome.Previous("grafana.traces"));
        Assert.Equal(0, outcome.Previous("grafana.error_traces"));
        Assert.Equal(0, outcome.Previous("grafana.trace_error_rate"));
        Assert.Equal(290, outcome.Previous("grafana.trace_duration_ms.p95")!.Value, 6);
        Assert.Equal(8, outcome.Previous("grafana.spans"));
        Assert.Empty(outcome.Result.Notes);
    }

    [Fact]
    public async Task A_period_without_traces_has_no_error_rate_and_no_percentile()
    {
        await using var server = await StartAsync();
        ReplaceTraces(server, Trace("a", InPrevious(1), durationMs: 10, spans: 4, errorSpans: 1));

        var outcome = await CollectAsync(server);

        Assert.Equal(0, outcome.Value("grafana.traces"));
        Assert.Null(outcome.Value("grafana.trace_error_rate"));
        Assert.Null(outcome.Value("grafana.trace_duration_ms.p95"));
        Assert.Equal(1, outcome.Previous("grafana.trace_error_rate"));
    }

    [Fact]
    public async Task Full_trace_searches_are_split_until_every_trace_is_counted()
    {
        await using var server = await StartAsync();
        ReplaceTraces(server, [.. Enumerable.Range(0, 25).Select(i => Trace($"t{i}", InPeriod(i), 10 + i, 3, i % 5 == 0 ? 1 : 0))]);

        var outcome = await CollectAsync(server, s =>
        {
            s["traceLimit"] = 4;
            s["maxTraceSearches"] = 100;
        });

        Assert.Equal(25, outcome.Value("grafana.traces"));
        Assert.Equal(5, outcome.Value("grafana.error_traces"));
        Assert.Equal(75, outcome.Value("grafana.spans"));
        Assert.DoesNotContain(outcome.Result.Notes, n => n.Contains("sample", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_search_still_full_after_the_search_budget_is_reported_as_a_sample()
    {
        await using var server = await StartAsync();
        ReplaceTraces(server, [.. Enumerable.Range(0, 25).Select(i => Trace($"t{i}", InPeriod(i), 10 + i, 3, 0))]);

        var outcome = await CollectAsync(server, s =>
        {
            s["traceLimit"] = 4;
            s["maxTraceSearches"] = 1;
        });

        // Tempo answers the newest 4 traces; the plugin says so instead of passing them off as the count.
        Assert.Equal(4, outcome.Value("grafana.traces"));
        var note = Assert.Single(outcome.Result.Notes);
        Assert.Contains("Tempo search {}", note, StringComparison.Ordinal);
        Assert.Contains("sample", note, StringComparison.Ordinal);
    }

    private static TempoTrace Trace(string id, DateTimeOffset start, int durationMs, int spans, int errorSpans) =>
        new(id.PadLeft(32, '0'), "api", "GET /api/orders", start, durationMs, spans, errorSpans);

    private static void ReplaceTraces(SandboxServer server, params TempoTrace[] traces)
    {
        var data = Emulator(server).Data;
        lock (data)
        {
            data.TempoDataSources[GrafanaEmulator.TempoUid] = [.. traces];
        }
    }
}

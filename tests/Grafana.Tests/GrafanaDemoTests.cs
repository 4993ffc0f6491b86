using OkrHost.Contracts;
using OkrHost.Plugins.Grafana;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace Grafana.Tests;

public sealed class GrafanaDemoTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly string[] ExpectedIds =
    [
        "grafana.drifts", "grafana.drift_resolution_hours.p50", "grafana.findings", "grafana.findings_critical",
        "grafana.alerts_firing", "grafana.traces", "grafana.error_traces", "grafana.trace_error_rate",
        "grafana.trace_duration_ms.p95", "grafana.spans",
    ];

    [Fact]
    public void The_catalogue_declares_exactly_the_metric_ids_of_the_spec()
    {
        var plugin = new GrafanaSource();
        Assert.Equal(ExpectedIds, plugin.Metrics.Select(m => m.Id));
        Assert.True(plugin.Metrics.Single(m => m.Id == "grafana.alerts_firing").IsPointInTime);
        Assert.Equal(MetricUnit.Milliseconds, plugin.Metrics.Single(m => m.Id == "grafana.trace_duration_ms.p95").Unit);
        Assert.Equal(MetricUnit.Ratio, plugin.Metrics.Single(m => m.Id == "grafana.trace_error_rate").Unit);
        Assert.Equal(MetricUnit.Hours, plugin.Metrics.Single(m => m.Id == "grafana.drift_resolution_hours.p50").Unit);
    }

    [Fact]
    public async Task The_demo_organisation_yields_a_value_for_every_grafana_metric()
    {
        var outcome = await GrafanaRun.CollectAsync(sandbox.Server);

        Assert.Equal(ExpectedIds, outcome.Result.Metrics.Select(m => m.Id));
        foreach (var id in ExpectedIds)
        {
            Assert.NotNull(outcome.Value(id));
            if (id != "grafana.alerts_firing")
            {
                Assert.NotNull(outcome.Previous(id));
            }
        }

        Assert.Null(outcome.Previous("grafana.alerts_firing"));
        Assert.True(outcome.Value("grafana.drifts") > 0);
        Assert.True(outcome.Value("grafana.findings") >= outcome.Value("grafana.findings_critical"));
        Assert.True(outcome.Value("grafana.alerts_firing") >= 2);
        Assert.True(outcome.Value("grafana.error_traces") < outcome.Value("grafana.traces"));
        Assert.Equal(["drifts-weekly", "findings-weekly"], outcome.Result.Series.Select(s => s.Id));
        Assert.Equal(outcome.Value("grafana.drifts"), outcome.Result.Series[0].Points.Sum(p => p.Value));
        Assert.Equal(["drifts", "findings", "finding-severities", "firing-alerts", "trace-services"], outcome.Result.Tables.Select(t => t.Id));
        Assert.Empty(outcome.Result.Notes);
    }

    [Fact]
    public async Task The_demo_run_needs_no_more_than_one_and_a_half_times_the_minimum_requests()
    {
        var emulator = GrafanaRun.Emulator(sandbox.Server);
        var minimum = emulator.MinimumRequests(new SandboxPeriod(GrafanaRun.Period.From, GrafanaRun.Period.To));

        var outcome = await GrafanaRun.CollectAsync(sandbox.Server);

        // Two tag sets, one alerts call, two TraceQL queries: nothing in the demo needs a split.
        Assert.Equal(5, minimum);
        Assert.InRange(outcome.Requests, minimum, minimum * 1.5);
    }

    [Fact]
    public async Task A_rejected_token_fails_the_source_naming_the_endpoint_and_the_variable_but_not_the_token()
    {
        const string wrongToken = "glsa_wrongwrongwrongwrongwrongwrong_00000000";

        var failure = await Assert.ThrowsAsync<SourceException>(() => GrafanaRun.CollectAsync(sandbox.Server, token: wrongToken));

        Assert.Contains("HTTP 401 Invalid API key", failure.Message, StringComparison.Ordinal);
        Assert.Contains("GRAFANA_TOKEN", failure.Message, StringComparison.Ordinal);
        Assert.Contains("GET /api/", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongToken, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_tempo_datasource_uid_fails_the_source_naming_the_uid()
    {
        var failure = await Assert.ThrowsAsync<SourceException>(() =>
            GrafanaRun.CollectAsync(sandbox.Server, s => s["tempoDatasourceUid"] = "tempo-eu"));

        Assert.Contains("'tempo-eu'", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Unable to find datasource", failure.Message, StringComparison.Ordinal);
        Assert.Contains("tempoDatasourceUid", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_tempo_the_trace_metrics_are_empty_with_a_note_and_the_rest_is_reported()
    {
        var full = await GrafanaRun.CollectAsync(sandbox.Server);
        var outcome = await GrafanaRun.CollectAsync(sandbox.Server, s => s.Remove("tempoDatasourceUid"));

        foreach (var id in new[] { "grafana.traces", "grafana.error_traces", "grafana.trace_error_rate", "grafana.trace_duration_ms.p95", "grafana.spans" })
        {
            Assert.Null(outcome.Value(id));
            Assert.Null(outcome.Previous(id));
        }

        Assert.Equal(full.Value("grafana.drifts"), outcome.Value("grafana.drifts"));
        Assert.Equal(full.Value("grafana.alerts_firing"), outcome.Value("grafana.alerts_firing"));
        Assert.Contains(outcome.Result.Notes, n => n.Contains("Tempo is not configured", StringComparison.Ordinal));
        Assert.Equal(3, outcome.Requests);
    }
}

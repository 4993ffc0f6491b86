using OkrHost.Plugins.Grafana;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace Grafana.Tests;

/// <summary>
/// The benchmark's organisation: thousands of annotations in the window, which the default limit holds in
/// one answer per tag set, so nothing is split (splitting itself is tested with small limits in
/// <see cref="GrafanaAnnotationTests"/>).
/// </summary>
public sealed class GrafanaLargeTests
{
    [Fact]
    public async Task On_the_large_organisation_every_drift_and_finding_is_counted_at_exactly_the_minimum_requests()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = SandboxProfile.Large });
        var emulator = GrafanaRun.Emulator(server);
        var period = GrafanaRun.Period;
        var annotations = emulator.Data.Annotations;
        var driftsInWindow = annotations.Count(a => a.Tags.Contains("drift") && a.TimeEnd >= period.Previous.From && a.Time < period.To);

        var outcome = await GrafanaRun.CollectAsync(server);

        // More than the old default page of 1,000 and Grafana's own default of 100, less than the plugin's limit.
        Assert.InRange(driftsInWindow, 1001, GrafanaRun.Settings(server)["annotationLimit"]!.GetValue<int>() - 1);
        Assert.Equal(annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("drift")), outcome.Value("grafana.drifts"));
        Assert.Equal(annotations.Count(a => period.Previous.Contains(a.Time) && a.Tags.Contains("drift")), outcome.Previous("grafana.drifts"));
        Assert.Equal(annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("finding")), outcome.Value("grafana.findings"));
        Assert.Equal(
            annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("finding") && a.Tags.Any(t => t.Equals("severity:critical", StringComparison.OrdinalIgnoreCase))),
            outcome.Value("grafana.findings_critical"));
        var traces = emulator.Data.TempoDataSources["tempo"];
        Assert.Equal(traces.Count(t => period.Contains(t.Start)), outcome.Value("grafana.traces"));
        Assert.Equal(traces.Count(t => period.Contains(t.Start) && t.ErrorSpanCount > 0), outcome.Value("grafana.error_traces"));

        // Over the host's fetch window (the period, the previous period and 13 trend weeks), as MinimumRequests counts:
        // the {} traces there need three windows of traceLimit, and the blind client halves twice to find them
        // (seven searches where three would do).
        using var cache = new TempFolder();
        var (_, requests) = await IncrementalCollection.CollectAsync(
            server, new GrafanaSource(), "grafana", GrafanaRun.Settings(server), emulator.Token, IncrementalCollection.Windows(SandboxFixture.Now), SandboxFixture.Now, null, cache.Path);
        var minimum = emulator.MinimumRequests(new SandboxPeriod(period.From, period.To));
        Assert.InRange(requests, minimum, minimum + 4);

        // Without Tempo: one annotation search per tag set and the alerts, nothing split.
        var annotationsOnly = await GrafanaRun.CollectAsync(server, s => s.Remove("tempoDatasourceUid"));
        Assert.Equal(3, annotationsOnly.Requests);
    }
}

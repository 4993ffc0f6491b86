using OkrHost.Sandbox;
using OkrHost.Testing;

namespace Grafana.Tests;

/// <summary>The benchmark's organisation: more annotations in the window than one page holds.</summary>
public sealed class GrafanaLargeTests
{
    [Fact]
    public async Task On_the_large_organisation_every_drift_and_finding_is_counted_within_one_and_a_half_times_the_minimum_requests()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = SandboxProfile.Large });
        var emulator = GrafanaRun.Emulator(server);
        var period = GrafanaRun.Period;
        var annotations = emulator.Data.Annotations;
        var driftsInWindow = annotations.Count(a => a.Tags.Contains("drift") && a.TimeEnd >= period.Previous.From && a.Time < period.To);

        var outcome = await GrafanaRun.CollectAsync(server);

        // The trap is armed: one page of annotationLimit cannot hold the window.
        Assert.True(driftsInWindow > GrafanaRun.Settings(server)["annotationLimit"]!.GetValue<int>());
        Assert.Equal(annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("drift")), outcome.Value("grafana.drifts"));
        Assert.Equal(annotations.Count(a => period.Previous.Contains(a.Time) && a.Tags.Contains("drift")), outcome.Previous("grafana.drifts"));
        Assert.Equal(annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("finding")), outcome.Value("grafana.findings"));
        Assert.Equal(
            annotations.Count(a => period.Contains(a.Time) && a.Tags.Contains("finding") && a.Tags.Any(t => t.Equals("severity:critical", StringComparison.OrdinalIgnoreCase))),
            outcome.Value("grafana.findings_critical"));
        var traces = emulator.Data.TempoDataSources["tempo"];
        Assert.Equal(traces.Count(t => period.Contains(t.Start)), outcome.Value("grafana.traces"));
        Assert.Equal(traces.Count(t => period.Contains(t.Start) && t.ErrorSpanCount > 0), outcome.Value("grafana.error_traces"));

        var minimum = emulator.MinimumRequests(new SandboxPeriod(period.From, period.To));
        Assert.InRange(outcome.Requests, minimum, minimum * 1.5);
    }
}

using OkrHost.Contracts;
using OkrHost.Plugins.Grafana;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Grafana;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Grafana.Tests;

/// <summary>Re-runs built on stored facts (<c>CollectContext.Known</c>): the numbers of a cold run, for a fraction of its requests.</summary>
public sealed class GrafanaIncrementalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_the_demo_organisation_warm_and_next_week_runs_give_every_window_of_a_cold_run()
    {
        await using var server = await GrafanaRun.StartAsync();
        var outcome = await IncrementalCollection.RunAsync(server, () => new GrafanaSource(), "grafana", GrafanaRun.Settings(server), GrafanaRun.Emulator(server).Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
    }

    [Fact]
    public async Task On_the_large_organisation_re_runs_are_exact_and_within_budget()
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = SandboxProfile.Large });
        var outcome = await IncrementalCollection.RunAsync(server, () => new GrafanaSource(), "grafana", GrafanaRun.Settings(server), GrafanaRun.Emulator(server).Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 1, 6);
        Assert.InRange(outcome.NextWeek, 1, 8);
    }

    [Fact]
    public async Task A_drift_resolved_after_the_stored_collection_shows_as_a_region_and_a_late_finding_is_counted()
    {
        await using var server = await GrafanaRun.StartAsync();
        var data = GrafanaRun.Emulator(server).Data;
        var now = server.Org.Now;
        var windows = IncrementalCollection.Windows(now);
        // Unresolved at the stored collection: a point annotation, as the drift detector writes it.
        var driftAt = windows.Period.To.AddDays(-2);
        var drift = GrafanaAnnotation.Point(900_001, driftAt, "Config drift on api (prod): replicas 3 → 5", "drift", "env:prod");
        lock (data)
        {
            data.Annotations.Add(drift);
        }

        using var cache = new TempFolder();
        var settings = GrafanaRun.Settings(server);
        var token = GrafanaRun.Emulator(server).Token;
        var stored = await IncrementalCollection.CollectAsync(server, new GrafanaSource(), "grafana", settings, token, windows, now, null, cache.Path);
        Assert.Null(Annotation(stored.Facts, drift.Id).RegionHours);

        // Within the hour the drift is resolved (its end moves to now) and a finding is noted for late last night.
        var resolvedAt = now.AddMinutes(25);
        var finding = GrafanaAnnotation.Point(900_002, windows.Period.To.AddMinutes(-30), "Finding on api: container runs as root", "finding", "severity:critical")
            with { Created = now.AddMinutes(10), Updated = now.AddMinutes(10) };
        lock (data)
        {
            data.Annotations[data.Annotations.IndexOf(drift)] = drift with { TimeEnd = resolvedAt, Updated = resolvedAt };
            data.Annotations.Add(finding);
        }

        var later = now.AddHours(1);
        var rerun = await IncrementalCollection.CollectAsync(server, new GrafanaSource(), "grafana", settings, token, windows, later, stored.Facts, cache.Path);
        var rerunBytes = server.Stats("grafana").Bytes;
        var cold = await IncrementalCollection.CollectAsync(server, new GrafanaSource(), "grafana", settings, token, windows, later, null, cache.Path);
        var coldBytes = server.Stats("grafana").Bytes;

        var resolved = Annotation(rerun.Facts, drift.Id);
        Assert.Equal((resolvedAt - driftAt).TotalHours, resolved.RegionHours!.Value, 6);
        Assert.Equal(resolvedAt, resolved.UpdatedAt);
        Assert.True(Annotation(rerun.Facts, finding.Id).IsFinding);
        Assert.Empty(IncrementalCollection.Differences(new GrafanaSource(), windows, cold.Facts, rerun.Facts, "after the drift was resolved"));
        // The same requests as a cold run (one per tag set, alerts, one per TraceQL query), over the last hours only.
        Assert.Equal(cold.Billable, rerun.Billable);
        Assert.True(rerunBytes * 10 < coldBytes, $"re-run {rerunBytes} bytes, cold {coldBytes}");
        Assert.NotEqual(
            new GrafanaSource().Compute(stored.Facts, new ComputeWindow(windows.Period, false)).Metrics.Single(m => m.Id == "grafana.findings_critical").Value,
            new GrafanaSource().Compute(rerun.Facts, new ComputeWindow(windows.Period, false)).Metrics.Single(m => m.Id == "grafana.findings_critical").Value);
    }

    [Fact]
    public async Task A_report_for_an_earlier_period_built_on_a_longer_stored_one_is_exact()
    {
        await using var server = await GrafanaRun.StartAsync();
        var now = server.Org.Now;
        var settings = GrafanaRun.Settings(server);
        var token = GrafanaRun.Emulator(server).Token;
        using var cache = new TempFolder();
        // Stored: a 90-day report, whose fetch window starts before and ends after a 30-day report of a week ago.
        var to = IncrementalCollection.Windows(now).Period.To;
        var stored = await IncrementalCollection.CollectAsync(
            server, new GrafanaSource(), "grafana", settings, token, new OkrHost.Running.ReportWindows(new ReportPeriod(to.AddDays(-90), to), 13), now, null, cache.Path);
        var weekAgo = IncrementalCollection.Windows(now.AddDays(-7));
        Assert.True(stored.Facts.Window.From < weekAgo.FetchWindow.From && stored.Facts.Window.To > weekAgo.FetchWindow.To);

        var rerun = await IncrementalCollection.CollectAsync(server, new GrafanaSource(), "grafana", settings, token, weekAgo, now, stored.Facts, cache.Path);
        var cold = await IncrementalCollection.CollectAsync(server, new GrafanaSource(), "grafana", settings, token, weekAgo, now, null, cache.Path);

        Assert.Empty(IncrementalCollection.Differences(new GrafanaSource(), weekAgo, cold.Facts, rerun.Facts, "earlier period"));
        Assert.All(rerun.Facts.Facts.OfType<GrafanaTraceFact>(), t => Assert.True(weekAgo.FetchWindow.Contains(t.Start)));
    }

    private static GrafanaAnnotationFact Annotation(FactSet facts, long id) =>
        facts.Facts.OfType<GrafanaAnnotationFact>().Single(a => a.Id == id.ToString(System.Globalization.CultureInfo.InvariantCulture));
}

using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Sandbox.Grafana;
using static Grafana.Tests.GrafanaRun;

namespace Grafana.Tests;

/// <summary>Drifts and findings from hand-built annotations in a fresh sandbox.</summary>
public sealed class GrafanaAnnotationTests
{
    [Fact]
    public async Task Drifts_carry_every_drift_tag_exactly_and_decoys_do_not_count()
    {
        await using var server = await StartAsync();
        Replace(server,
            GrafanaAnnotation.Point(1, InPeriod(1), "counts", "drift", "env:prod"),
            GrafanaAnnotation.Point(2, InPeriod(2), "counts, extra tags are fine", "service:api", "env:prod", "drift"),
            GrafanaAnnotation.Point(3, InPeriod(3), "only one of the two tags", "drift"),
            GrafanaAnnotation.Point(4, InPeriod(4), "near miss", "drift-check", "env:prod"),
            GrafanaAnnotation.Point(5, InPeriod(5), "near miss", "drifted", "env:prod"),
            // Grafana returns this one for tags=drift (a tag without value matches on the key alone).
            GrafanaAnnotation.Point(6, InPeriod(6), "key:value decoy", "drift:staging", "env:prod"),
            GrafanaAnnotation.Point(7, InPeriod(7), "different case", "Drift", "env:prod"),
            GrafanaAnnotation.Point(8, InPeriod(8), "different value", "drift", "env:production"),
            GrafanaAnnotation.Point(9, InPrevious(3), "previous period", "drift", "env:prod"),
            // Grafana counts two matches for the two filters here and returns it without env:prod.
            GrafanaAnnotation.Point(10, InPeriod(9), "double key match", "drift", "drift:staging"));

        var outcome = await CollectAsync(server, s => s["driftTags"] = new JsonArray("drift", "env:prod"));

        Assert.Equal(2, outcome.Value("grafana.drifts"));
        Assert.Equal(1, outcome.Previous("grafana.drifts"));
        Assert.Equal(
            ["counts, extra tags are fine", "counts"],
            outcome.Result.Tables.Single(t => t.Id == "drifts").Rows.Select(r => r[3].Text));
    }

    [Fact]
    public async Task Findings_count_whatever_the_casing_of_their_critical_severity_tag()
    {
        await using var server = await StartAsync();
        Replace(server,
            GrafanaAnnotation.Point(1, InPeriod(1), "a", "finding", "severity:critical"),
            GrafanaAnnotation.Point(2, InPeriod(2), "b", "finding", "severity:CRITICAL"),
            GrafanaAnnotation.Point(3, InPeriod(3), "c", "severity:Critical", "finding"),
            GrafanaAnnotation.Point(4, InPeriod(4), "d", "finding", "severity:high"),
            GrafanaAnnotation.Point(5, InPeriod(5), "e", "finding"),
            GrafanaAnnotation.Point(6, InPeriod(6), "decoy", "findings", "severity:critical"),
            GrafanaAnnotation.Point(7, InPeriod(7), "decoy", "finding-review", "severity:critical"),
            GrafanaAnnotation.Point(8, InPeriod(8), "not exactly critical", "finding", "severity:critical-ish"),
            GrafanaAnnotation.Point(9, InPrevious(1), "previous", "finding", "severity:Critical"),
            GrafanaAnnotation.Point(10, InPrevious(2), "previous", "finding", "severity:low"));

        var outcome = await CollectAsync(server);

        Assert.Equal(6, outcome.Value("grafana.findings"));
        Assert.Equal(3, outcome.Value("grafana.findings_critical"));
        Assert.Equal(2, outcome.Previous("grafana.findings"));
        Assert.Equal(1, outcome.Previous("grafana.findings_critical"));
        var severities = outcome.Result.Tables.Single(t => t.Id == "finding-severities").Rows
            .Select(r => string.Join("|", r.Select(c => c.Text)));
        Assert.Equal(["critical|3|1", "high|1|0", "low|0|1", "(none)|1|0", "critical-ish|1|0"], severities);
    }

    [Fact]
    public async Task Point_annotations_count_as_drifts_but_only_regions_have_a_resolution_time()
    {
        await using var server = await StartAsync();
        Replace(server,
            GrafanaAnnotation.Region(1, InPeriod(1), InPeriod(1) + TimeSpan.FromHours(2), "2 h region", "drift"),
            GrafanaAnnotation.Region(2, InPeriod(5), InPeriod(5) + TimeSpan.FromHours(6), "6 h region", "drift"),
            GrafanaAnnotation.Region(3, InPeriod(9), InPeriod(9) + TimeSpan.FromHours(13), "13 h region", "drift"),
            GrafanaAnnotation.Point(4, InPeriod(10), "point", "drift"),
            // Starts in the previous period and ends in this one: Grafana returns it for both windows,
            // but its time is in the previous period.
            GrafanaAnnotation.Region(5, Period.From - TimeSpan.FromHours(3), Period.From + TimeSpan.FromHours(1), "4 h region across the boundary", "drift"),
            // Starts before the previous period: not a drift of either.
            GrafanaAnnotation.Region(6, InPrevious(-2), InPrevious(1), "old region", "drift"));

        var outcome = await CollectAsync(server);

        Assert.Equal(4, outcome.Value("grafana.drifts"));
        Assert.Equal(6, outcome.Value("grafana.drift_resolution_hours.p50"));
        Assert.Equal(1, outcome.Previous("grafana.drifts"));
        Assert.Equal(4, outcome.Previous("grafana.drift_resolution_hours.p50"));
        Assert.Equal(
            ["point (no end)", "13.0", "6.0", "2.0"],
            outcome.Result.Tables.Single(t => t.Id == "drifts").Rows.Select(r => r[1].Text));
    }

    [Fact]
    public async Task A_period_without_regions_has_no_resolution_time()
    {
        await using var server = await StartAsync();
        Replace(server, GrafanaAnnotation.Point(1, InPeriod(1), "point", "drift"));

        var outcome = await CollectAsync(server);

        Assert.Equal(1, outcome.Value("grafana.drifts"));
        Assert.Null(outcome.Value("grafana.drift_resolution_hours.p50"));
        Assert.Equal(0, outcome.Previous("grafana.drifts"));
        Assert.Null(outcome.Previous("grafana.drift_resolution_hours.p50"));
    }

    [Fact]
    public async Task Windows_holding_more_than_the_limit_are_split_until_every_annotation_is_counted()
    {
        await using var server = await StartAsync();
        var annotations = new List<GrafanaAnnotation>();
        // 57 drifts in the period (in bursts, so halves are uneven) and 23 in the previous one, with a page of 10.
        for (var i = 0; i < 57; i++)
        {
            annotations.Add(GrafanaAnnotation.Point(i + 1, InPeriod(i < 40 ? 2 + i * 0.01 : 20 + i * 0.1), $"drift {i}", "drift"));
        }

        for (var i = 0; i < 23; i++)
        {
            annotations.Add(GrafanaAnnotation.Region(100 + i, InPrevious(1 + i), InPrevious(1 + i) + TimeSpan.FromHours(i + 1), $"old drift {i}", "drift"));
        }

        Replace(server, [.. annotations]);

        var outcome = await CollectAsync(server, s => s["annotationLimit"] = 10);

        Assert.Equal(57, outcome.Value("grafana.drifts"));
        Assert.Equal(23, outcome.Previous("grafana.drifts"));
        Assert.Equal(12, outcome.Previous("grafana.drift_resolution_hours.p50"));
        Assert.Equal(57, outcome.Result.Series.Single(s => s.Id == "drifts-weekly").Points.Sum(p => p.Value));
        Assert.Contains(outcome.Result.Notes, n => n.Contains("drift annotations took", StringComparison.Ordinal));
        // 80 annotations need at least 8 windows of at most 10; the findings search and alerts add 2, Tempo 2.
        Assert.InRange(outcome.Requests, 8 + 4, 60);
    }

    [Fact]
    public async Task More_annotations_in_one_millisecond_than_the_limit_fail_rather_than_undercount()
    {
        await using var server = await StartAsync();
        var at = InPeriod(3);
        Replace(server, [.. Enumerable.Range(1, 5).Select(i => GrafanaAnnotation.Point(i, at, $"burst {i}", "drift"))]);

        var failure = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(server, s => s["annotationLimit"] = 5));

        Assert.Contains("GET /api/annotations", failure.Message, StringComparison.Ordinal);
        Assert.Contains("raise annotationLimit", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Annotation_text_reaches_the_tables_as_plain_text()
    {
        await using var server = await StartAsync();
        const string text = "<script>alert('x')</script> & <b>bold</b>";
        Replace(server, GrafanaAnnotation.Point(1, InPeriod(1), text, "finding", "severity:low"));

        var outcome = await CollectAsync(server);

        Assert.Equal(text, outcome.Result.Tables.Single(t => t.Id == "findings").Rows.Single()[3].Text);
    }

    private static void Replace(OkrHost.Sandbox.SandboxServer server, params GrafanaAnnotation[] annotations)
    {
        var data = Emulator(server).Data;
        lock (data)
        {
            data.Annotations.Clear();
            data.Annotations.AddRange(annotations);
        }
    }
}

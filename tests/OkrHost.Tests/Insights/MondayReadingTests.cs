using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Insights;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Testing;
using OkrHost.Tests.Rendering;

namespace OkrHost.Tests.Insights;

/// <summary>PRODUCT.md section 13: the ranked block, confidence gaps, the headline and "got worse".</summary>
public class MondayReadingTests
{
    [Fact]
    public async Task A_status_change_is_shown_while_more_than_eight_insights_exist_and_the_rest_are_counted()
    {
        var movers = Enumerable.Range(1, 10).Select(i => Line(InsightKind.Mover, $"metric.{i}", keyResult: null)).ToList();
        var anomalies = Enumerable.Range(1, 3).Select(i => Line(InsightKind.Anomaly, $"anomaly.{i}", keyResult: null));
        var statusChange = Line(InsightKind.StatusChanged, "github.deployments_per_week", "Deploy often");
        // Ranked by severity alone the status change, as information, would come last of fourteen.
        Insight[] insights = [.. movers, .. anomalies, statusChange with { Severity = InsightSeverity.Info }];

        var block = InsightRanking.Block(insights);

        Assert.Equal(InsightRanking.MaxLines, block.Count);
        Assert.Equal(InsightKind.StatusChanged, block[0].Kind);
        Assert.Equal([InsightKind.Anomaly, InsightKind.Anomaly, InsightKind.Anomaly], block.Skip(1).Take(3).Select(i => i.Kind));

        var html = await RenderedHtml.Render(SampleSnapshots.Full() with { Insights = insights });
        Assert.Contains("status-changed text", html, StringComparison.Ordinal);
        Assert.Contains($"{insights.Length - InsightRanking.MaxLines} more in report.json.", html, StringComparison.Ordinal);
    }

    [Fact]
    public void More_status_changes_than_the_block_holds_are_all_shown()
    {
        var changes = Enumerable.Range(1, 10).Select(i => Line(InsightKind.StatusChanged, $"m.{i}", $"Key result {i}")).ToList();

        var block = InsightRanking.Block([Line(InsightKind.SourceFailed, null, null), .. changes]);

        Assert.Equal(changes, block);
    }

    [Fact]
    public void One_line_per_key_result_the_higher_rank_winning()
    {
        Insight[] insights =
        [
            Line(InsightKind.Pace, "github.deployments_per_week", "Deploy often"),
            Line(InsightKind.Mover, "github.deployments_per_week", keyResult: null),
            Line(InsightKind.ConfidenceGap, "github.deployments_per_week", "Deploy often"),
            Line(InsightKind.Pace, "grafana.drifts", "Fewer drifts"),
        ];

        var block = InsightRanking.Block(insights);

        Assert.Equal([InsightKind.ConfidenceGap, InsightKind.Pace], block.Select(i => i.Kind));
        Assert.Equal("Fewer drifts", block[1].KeyResult);
    }

    [Theory]
    [InlineData(KeyResultConfidence.OnTrack, OkrStatus.OffTrack, true)]
    [InlineData(KeyResultConfidence.OffTrack, OkrStatus.Achieved, true)]
    [InlineData(KeyResultConfidence.OffTrack, OkrStatus.OnTrack, true)]
    [InlineData(KeyResultConfidence.AtRisk, OkrStatus.OffTrack, false)]
    [InlineData(KeyResultConfidence.OnTrack, OkrStatus.AtRisk, false)]
    [InlineData(KeyResultConfidence.OnTrack, OkrStatus.Achieved, false)]
    [InlineData(KeyResultConfidence.OffTrack, OkrStatus.NoData, false)]
    public void A_confidence_gap_is_two_steps_between_the_owner_and_the_data(KeyResultConfidence confidence, OkrStatus status, bool gap)
    {
        var snapshot = WithKeyResult(kr => kr with { Confidence = confidence, Status = status });

        var found = ConfidenceGaps.Find(snapshot).ToArray();

        Assert.Equal(gap, found.Length == 1);
        if (gap)
        {
            Assert.Equal(InsightKind.ConfidenceGap, found[0].Kind);
            Assert.StartsWith($"“Close war rooms within 8 hours”: its owner (sre) says {ConfidenceGaps.Slug(confidence)}, the data says {ReportFormat.Slug(status)} (actual 13.1 h, target 8.0 h)", found[0].Text, StringComparison.Ordinal);
            Assert.Contains(WhatChanged.Find(snapshot, previousRun: null), i => i.Kind == InsightKind.ConfidenceGap && i.Text == found[0].Text);
        }
    }

    [Fact]
    public async Task The_headline_counts_status_changes_since_the_last_stored_run_and_names_its_date()
    {
        var now = SampleSnapshots.Full();
        var before = now with
        {
            GeneratedAt = now.GeneratedAt.AddDays(-7),
            Okrs = now.Okrs.Select(o => o with { KeyResults = o.KeyResults.Select(kr => kr.Title == "Close war rooms within 8 hours" ? kr with { Status = OkrStatus.AtRisk, Actual = 11 } : kr).ToArray() }).ToArray(),
        };
        var snapshot = LastRun.Attach(now, before) with { Insights = WhatChanged.Find(now, before) };

        Assert.Equal("1 key result changed status since 26 Oct", Headline.Parts(snapshot)[^1]);
        Assert.DoesNotContain(Headline.Parts(now), part => part.Contains("changed status", StringComparison.Ordinal));
        var keyResult = snapshot.Okrs.SelectMany(o => o.KeyResults).Single(kr => kr.Title == "Close war rooms within 8 hours");
        Assert.Equal(new KeyResultLastRun(before.GeneratedAt, 11, OkrStatus.AtRisk), keyResult.LastRun);

        var html = System.Net.WebUtility.HtmlDecode(await RenderedHtml.Render(snapshot));
        Assert.Contains("11.0 h → 13.1 h · was at-risk on 26 Oct", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OkrStatus.OnTrack, 9.0, 9.48, false)]
    [InlineData(OkrStatus.OnTrack, 9.9, 9.48, true)]
    [InlineData(OkrStatus.Achieved, 9.48, 9.48, false)]
    [InlineData(OkrStatus.OnTrack, 12.0, 9.48, true)]
    public void Got_worse_is_a_worse_status_or_the_same_status_further_from_the_target(OkrStatus _, double previous, double actual, bool worse)
    {
        // Target 10 from baseline 3: 9.9 and 12 score on-track and achieved; 9.48 is on-track.
        var keyResult = SampleSnapshots.Full().Okrs[0].KeyResults[0] with { Actual = actual };

        Assert.Equal(worse, KeyResultChange.GotWorse(keyResult, previous));
    }

    [Fact]
    public void An_achieved_key_result_never_got_worse_even_when_its_number_fell()
    {
        var keyResult = SampleSnapshots.Full().Okrs[0].KeyResults[0] with { Actual = 11, Progress = 1, Status = OkrStatus.Achieved };

        Assert.False(KeyResultChange.GotWorse(keyResult, 14));
        Assert.Null(KeyResultChange.GotWorse(keyResult, null));
    }

    private static Insight Line(InsightKind kind, string? metric, string? keyResult) =>
        new(kind, InsightSeverity.Warning, $"{Slug(kind)} text", metric, keyResult, Insight.FactsOf());

    private static string Slug(InsightKind kind) => System.Text.Json.JsonSerializer.Serialize(kind).Trim('"');

    private static ReportSnapshot WithKeyResult(Func<KeyResultReport, KeyResultReport> change)
    {
        var full = SampleSnapshots.Full();
        return full with
        {
            Okrs = full.Okrs.Select(o => o with { KeyResults = o.KeyResults.Select(kr => kr.Title == "Close war rooms within 8 hours" ? change(kr) : kr).ToArray() }).ToArray(),
        };
    }
}

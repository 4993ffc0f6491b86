using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Insights;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Insights;

public class WhatChangedTests
{
    [Fact]
    public void A_key_result_whose_status_got_worse_since_the_last_run_is_critical_when_now_off_track()
    {
        var now = SampleSnapshots.Full();
        var before = WithStatus(now, "Close war rooms within 8 hours", OkrStatus.OnTrack, actual: 7.5) with { GeneratedAt = now.GeneratedAt.AddDays(-7) };

        var insight = Assert.Single(WhatChanged.StatusChanges(now, before));

        Assert.Equal(InsightKind.StatusChanged, insight.Kind);
        Assert.Equal(InsightSeverity.Critical, insight.Severity);
        Assert.Equal("Close war rooms within 8 hours", insight.KeyResult);
        Assert.Equal("slack.war_room_duration_hours.p50", insight.Metric);
        Assert.Equal("“Close war rooms within 8 hours” went from on-track to off-track since the run of 2026-10-26 (actual 7.5 h → 13.1 h, target 8.0 h).", insight.Text);
        Assert.Equal("on-track", insight.Facts["from"].GetString());
        Assert.True(insight.Facts["worse"].GetBoolean());
    }

    [Fact]
    public void An_improved_status_is_information_and_no_previous_run_means_no_status_changes()
    {
        var now = SampleSnapshots.Full();
        var before = WithStatus(now, "Deploy to production 10+ times a week", OkrStatus.AtRisk, actual: 6);

        var insight = Assert.Single(WhatChanged.StatusChanges(now, before));
        Assert.Equal(InsightSeverity.Info, insight.Severity);
        Assert.False(insight.Facts["worse"].GetBoolean());
        Assert.Empty(WhatChanged.StatusChanges(now, previousRun: null));
    }

    [Fact]
    public void Movers_are_the_largest_relative_changes_and_skip_small_samples_and_a_zero_previous()
    {
        var full = SampleSnapshots.Full();

        Assert.Equal(["github.change_failure_rate", "github.failed_deployments", "dora.change_failure_rate"], WhatChanged.Movers(full).Select(i => i.Metric));

        var smallSample = full with
        {
            Metrics = full.Metrics.Select(m => m.Id switch
            {
                "github.change_failure_rate" => m with { SampleSize = 4 },
                "github.failed_deployments" => m with { Previous = 0 },
                "dora.change_failure_rate" => m with { SampleSize = 5 },
                _ => m,
            }).ToArray(),
        };
        var movers = WhatChanged.Movers(smallSample).ToArray();
        // Time to restore and war-room duration tie at +39.4%: the id breaks the tie.
        Assert.Equal(["dora.change_failure_rate", "slack.war_rooms_opened", "dora.time_to_restore_hours.p50"], movers.Select(i => i.Metric));
        Assert.Equal("Change failure rate fell 47.2% against the previous period (13.5% → 7.1%, 5 samples).", movers[0].Text);
        Assert.Equal(InsightSeverity.Info, movers[0].Severity);
        Assert.Equal(InsightSeverity.Warning, movers[2].Severity);
    }

    [Fact]
    public void An_anomaly_is_a_newest_week_outside_the_range_of_the_other_weeks()
    {
        var snapshot = SampleSnapshots.WithTrends();

        var anomaly = Assert.Single(WhatChanged.Anomalies(snapshot));

        Assert.Equal("slack.war_room_duration_hours.p50", anomaly.Metric);
        Assert.Equal(InsightSeverity.Warning, anomaly.Severity);
        Assert.Equal("War room duration (median) was 13.1 h in the week to 2026-10-31, above every other week of the trend (7.5 h to 12.0 h, 11 weeks).", anomaly.Text);
    }

    [Theory]
    [InlineData(12.0, false)]
    [InlineData(7.5, false)]
    [InlineData(7.4, true)]
    public void The_range_is_inclusive_so_a_week_equal_to_the_highest_or_lowest_is_no_anomaly(double latest, bool anomalous)
    {
        var snapshot = WithTrend(SampleSnapshots.Full(), "slack.war_room_duration_hours.p50", 9.0, 11.5, 8.2, 12.0, 7.5, latest);

        Assert.Equal(anomalous, WhatChanged.Anomalies(snapshot).Any());
    }

    [Fact]
    public void Too_short_a_trend_or_no_trend_gives_no_anomaly()
    {
        Assert.Empty(WhatChanged.Anomalies(SampleSnapshots.Full()));
        Assert.Empty(WhatChanged.Anomalies(WithTrend(SampleSnapshots.Full(), "github.deployments", 1, 2, 30)));
    }

    [Fact]
    public void Pace_projects_the_least_squares_line_to_the_end_of_the_quarter_and_flags_a_miss_but_never_for_an_off_track_key_result()
    {
        var snapshot = SampleSnapshots.WithTrends();

        var paces = WhatChanged.Pace(snapshot, snapshot.Metrics.ToDictionary(m => m.Id)).ToArray();

        // "Close war rooms within 8 hours" misses too, but it is off-track: the scorecard says so already.
        var pace = Assert.Single(paces);
        Assert.Equal("Deploy to production 10+ times a week", pace.KeyResult);
        Assert.Equal(InsightSeverity.Warning, pace.Severity);
        Assert.Equal("2026-12-31", pace.Facts["due"].GetString());
        var projected = pace.Facts["projected"].GetDouble();
        Assert.InRange(projected, 9, 10);
        Assert.Equal($"“Deploy to production 10+ times a week” is not on pace: its trend rises to {projected.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture)} / week by 31 Dec, below the target 10.0 / week.", pace.Text);
    }

    [Fact]
    public void A_decrease_goals_pace_says_where_its_trend_rises_to_above_the_target()
    {
        double?[] rising = [5.0, 5.5, 6.0, 6.5, 7.0, 7.5, 8.0, 8.5, 9.0, 9.5, 10.0, 10.5, 11.0];
        var snapshot = SampleSnapshots.Full() with
        {
            Okrs = [new ObjectiveReport
            {
                Title = "Recover fast", Status = OkrStatus.OnTrack, Progress = 0.8,
                KeyResults = [new KeyResultReport
                {
                    Title = "Close war rooms within 12 hours", Metric = "slack.war_room_duration_hours.p50", Target = 12, Direction = KeyResultDirection.Decrease,
                    Actual = 11, Progress = 1, Status = OkrStatus.Achieved,
                    Trend = SampleSnapshots.Trend(rising).Select(p => new KeyResultTrendPoint(p.To, p.Value, 1, OkrStatus.Achieved)).ToArray(),
                }],
            }],
        };

        var pace = Assert.Single(WhatChanged.Pace(snapshot, snapshot.Metrics.ToDictionary(m => m.Id)));

        // 0.5 h a week from 11 h at the period's end (1 Nov) to the quarter's end (1 Jan, 61 days later): 11 + 0.5 · 61 / 7 = 15.36 h.
        Assert.Equal("“Close war rooms within 12 hours” is not on pace: its trend rises to 15.4 h by 31 Dec, above the target 12.0 h.", pace.Text);
    }

    [Fact]
    public void Pace_uses_the_objectives_due_date_and_a_later_date_lets_the_line_reach_the_target()
    {
        var snapshot = SampleSnapshots.WithTrends();
        var later = snapshot with
        {
            Okrs = snapshot.Okrs.Select((o, i) => i == 0 ? o with { Due = new DateOnly(2027, 6, 30) } : o).ToArray(),
        };

        Assert.DoesNotContain(WhatChanged.Pace(later, later.Metrics.ToDictionary(m => m.Id)), p => p.KeyResult == "Deploy to production 10+ times a week");
    }

    [Fact]
    public void Least_squares_of_a_perfect_line_projects_exactly()
    {
        var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        (DateTimeOffset, double)[] points = [(start, 1), (start.AddDays(7), 2), (start.AddDays(14), 3), (start.AddDays(21), 4)];

        var (slope, projected) = WhatChanged.Project(points, start.AddDays(70));

        Assert.Equal(1 / 7.0, slope, 12);
        Assert.Equal(11, projected, 9);
    }

    [Theory]
    [InlineData("2026-10-31T23:59:59Z", "2027-01-01T00:00:00Z")]
    [InlineData("2026-01-01T00:00:00Z", "2026-04-01T00:00:00Z")]
    [InlineData("2026-06-30T12:00:00Z", "2026-07-01T00:00:00Z")]
    public void The_default_due_date_is_the_end_of_the_quarter_the_period_ends_in(string instant, string quarterEnd)
    {
        Assert.Equal(DateTimeOffset.Parse(quarterEnd, System.Globalization.CultureInfo.InvariantCulture),
            WhatChanged.QuarterEnd(DateTimeOffset.Parse(instant, System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void Insights_are_ranked_by_kind_status_changes_then_sources_gaps_anomalies_movers_and_pace()
    {
        var now = SampleSnapshots.WithTrends();
        var before = WithStatus(now, "Deploy to production 10+ times a week", OkrStatus.AtRisk, actual: 6);

        var insights = WhatChanged.Find(now, before);

        Assert.Equal(InsightKind.StatusChanged, insights[0].Kind);
        Assert.Equal(InsightKind.SourceFailed, insights[1].Kind);
        Assert.Equal(InsightSeverity.Critical, insights[1].Severity);
        Assert.Contains(SampleSnapshots.GrafanaError, insights[1].Text, StringComparison.Ordinal);
        Assert.Contains(insights, i => i.Kind == InsightKind.SourceNotConfigured && i.Severity == InsightSeverity.Info);
        Assert.Equal(
            [InsightKind.StatusChanged, InsightKind.SourceFailed, InsightKind.SourceNotConfigured, InsightKind.Anomaly, InsightKind.Mover, InsightKind.Mover, InsightKind.Mover, InsightKind.Pace],
            insights.Select(i => i.Kind));
    }

    private static ReportSnapshot WithStatus(ReportSnapshot snapshot, string keyResult, OkrStatus status, double actual) => snapshot with
    {
        Okrs = snapshot.Okrs.Select(o => o with
        {
            KeyResults = o.KeyResults.Select(kr => kr.Title == keyResult ? kr with { Status = status, Actual = actual } : kr).ToArray(),
        }).ToArray(),
    };

    private static ReportSnapshot WithTrend(ReportSnapshot snapshot, string metric, params double?[] values) => snapshot with
    {
        Metrics = snapshot.Metrics.Select(m => m.Id == metric ? m with { Trend = SampleSnapshots.Trend(values) } : m).ToArray(),
    };
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Testing;

/// <summary>
/// Realistic report.json snapshots for tests that need one without running sources: a month of a
/// platform team with GitHub, Linear and Slack reporting, Grafana failed, Notion not configured and
/// a disabled source, scored OKRs and the DORA metrics.
/// </summary>
public static class SampleSnapshots
{
    public static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset To = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset GeneratedAt = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public const string GrafanaError = "Grafana GET /api/annotations answered 503 Service Unavailable after 4 attempts";
    public const string NotionMissing = "environment variable NOTION_TOKEN (sources.notion.tokenEnv)";

    /// <summary>The full sample: every section of the report has something to show.</summary>
    public static ReportSnapshot Full() => new()
    {
        GeneratedAt = GeneratedAt,
        Title = "Platform team OKRs",
        Period = new PeriodReport(From, To),
        PreviousPeriod = new PeriodReport(From.AddDays(-31), From),
        OkrOrigin = "okrs.json",
        Sources =
        [
            new SourceReport
            {
                Id = "github", DisplayName = "GitHub", Status = SourceStatus.Ok, DurationMs = 812, Requests = 37, Version = "1.0.0",
                DataAsOf = new DateTimeOffset(2026, 10, 31, 17, 42, 0, TimeSpan.Zero),
                Series =
                [
                    Weekly("deployments-weekly", "Production deployments", MetricUnit.Count, 9, 12, 7, 11, 3),
                    Weekly("lead-time-weekly", "Median lead time for changes", MetricUnit.Hours, 20.5, 14.2, null, 11.8, 16.0),
                ],
                Tables =
                [
                    new DataTable("failed-deployments", "Failed deployments", ["Repository", "Environment", "Failed at", "Commit"],
                    [
                        [new TableCell("acme/api"), "production", "2026-10-07 14:03 UTC", new TableCell("4f2a9c1", "https://github.com/acme/api/commit/4f2a9c1")],
                        [new TableCell("acme/web"), "production", "2026-10-21 09:47 UTC", new TableCell("b81d0e7", "https://github.com/acme/web/commit/b81d0e7")],
                    ]),
                ],
            },
            new SourceReport
            {
                Id = "linear", DisplayName = "Linear", Status = SourceStatus.Ok, DurationMs = 1430, Requests = 12, Version = "1.0.0",
                DataAsOf = new DateTimeOffset(2026, 11, 2, 8, 55, 0, TimeSpan.Zero),
                Series = [Weekly("closed-weekly", "Issues closed", MetricUnit.Count, 31, 44, 38, 40, 12)],
                Tables =
                [
                    new DataTable("urgent-bugs", "Urgent bugs open at period end", ["Issue", "Title", "Team", "Age"],
                    [
                        [new TableCell("ENG-1412", "https://linear.app/acme/issue/ENG-1412"), "Checkout times out for EU customers", "ENG", "4 days"],
                        [new TableCell("ENG-1398", "https://linear.app/acme/issue/ENG-1398"), "Webhook retries duplicate invoices", "ENG", "9 days"],
                    ]) { OmittedRows = 3 },
                ],
                Notes = ["Archived issues are included."],
            },
            new SourceReport
            {
                Id = "slack", DisplayName = "Slack", Status = SourceStatus.Ok, DurationMs = 655, Requests = 21, Version = "1.0.0",
                DataAsOf = new DateTimeOffset(2026, 11, 2, 8, 12, 0, TimeSpan.Zero),
                Series = [Daily("war-rooms-daily", "War rooms opened", MetricUnit.Count, From, 31, day => day is 6 or 20 or 21 ? 1 : 0)],
                Tables =
                [
                    new DataTable("war-rooms", "War rooms", ["Channel", "Opened", "Closed", "Duration"],
                    [
                        ["#inc-checkout-timeouts", "2026-10-07 14:40 UTC", "2026-10-07 19:02 UTC", "4.4 h"],
                        ["#inc-webhook-dupes", "2026-10-21 10:30 UTC", "2026-10-22 08:15 UTC", "21.8 h"],
                        ["#war-room-db-failover", "2026-10-22 03:05 UTC", "still open", "—"],
                    ]),
                ],
            },
            new SourceReport
            {
                Id = "grafana", DisplayName = "Grafana", Status = SourceStatus.Failed, Error = GrafanaError, DurationMs = 30_112, Requests = 4, Version = "1.0.0",
            },
            new SourceReport
            {
                Id = "notion", DisplayName = "Notion", Status = SourceStatus.NotConfigured, Error = NotionMissing, Version = "1.0.0",
            },
            new SourceReport { Id = "pagerduty", DisplayName = "PagerDuty", Status = SourceStatus.Disabled },
        ],
        Metrics =
        [
            Metric("github.deployments", "github", "Production deployments", MetricUnit.Count, 42, 37, true),
            Metric("github.deployments_per_week", "github", "Deployments per week", MetricUnit.PerWeek, 9.48, 8.35, true),
            Metric("github.deployment_days", "github", "Days with a deployment", MetricUnit.Count, 19, 17, true),
            Metric("github.failed_deployments", "github", "Failed deployments", MetricUnit.Count, 2, 4, false),
            Metric("github.change_failure_rate", "github", "Deployment failure rate", MetricUnit.Ratio, 0.0455, 0.0976, false),
            Metric("github.lead_time_hours.p50", "github", "Lead time for changes (median)", MetricUnit.Hours, 15.4, 22.5, false),
            Metric("github.lead_time_hours.p90", "github", "Lead time for changes (p90)", MetricUnit.Hours, 71.5, 64.0, false),
            Metric("linear.issues_closed", "linear", "Issues closed", MetricUnit.Count, 1165, 1040, true),
            Metric("linear.issues_created", "linear", "Issues created", MetricUnit.Count, 1203, 1110, null),
            Metric("linear.urgent_bugs_open", "linear", "Urgent bugs open", MetricUnit.Count, 5, 5, false),
            Metric("linear.urgent_bug_resolution_hours.p50", "linear", "Urgent bug resolution (median)", MetricUnit.Hours, 30.2, 26.0, false),
            Metric("linear.cycle_time_hours.p50", "linear", "Cycle time (median)", MetricUnit.Hours, null, 52.0, false),
            Metric("slack.war_rooms_opened", "slack", "War rooms opened", MetricUnit.Count, 3, 5, false),
            Metric("slack.war_rooms_open", "slack", "War rooms open now", MetricUnit.Count, 1, null, false),
            Metric("slack.war_room_duration_hours.p50", "slack", "War room duration (median)", MetricUnit.Hours, 13.1, 9.4, false),
            Metric("grafana.drifts", "grafana", "Config drifts", MetricUnit.Count, null, null, false),
            Metric("grafana.alerts_firing", "grafana", "Alerts firing now", MetricUnit.Count, null, null, false),
            Metric("notion.postmortems", "notion", "Postmortems written", MetricUnit.Count, null, null, true),
            Metric("dora.deployment_frequency", "dora", "Deployment frequency", MetricUnit.PerWeek, 9.48, 8.35, true),
            Metric("dora.lead_time_hours.p50", "dora", "Lead time for changes", MetricUnit.Hours, 15.4, 22.5, false),
            Metric("dora.change_failure_rate", "dora", "Change failure rate", MetricUnit.Ratio, 0.0714, 0.1351, false),
            Metric("dora.time_to_restore_hours.p50", "dora", "Time to restore service", MetricUnit.Hours, 13.1, 9.4, false),
            Metric("dora.postmortem_coverage", "dora", "Postmortem coverage", MetricUnit.Ratio, null, null, true),
        ],
        Okrs =
        [
            new ObjectiveReport
            {
                Title = "Ship small, ship often", Progress = 0.87, Status = OkrStatus.OnTrack,
                KeyResults =
                [
                    new KeyResultReport { Title = "Deploy to production 10+ times a week", Metric = "github.deployments_per_week", Target = 10, Baseline = 3, Direction = KeyResultDirection.Increase, Owner = "platform", Actual = 9.48, Progress = 0.93, Status = OkrStatus.OnTrack },
                    new KeyResultReport { Title = "Median lead time under a day", Metric = "github.lead_time_hours.p50", Target = 24, Baseline = 48, Direction = KeyResultDirection.Decrease, Owner = "platform", Actual = 15.4, Progress = 1, Status = OkrStatus.Achieved },
                    new KeyResultReport { Title = "Change failure rate at most 5%", Metric = "dora.change_failure_rate", Target = 0.05, Baseline = 0.15, Direction = KeyResultDirection.Decrease, Owner = "sre", Actual = 0.0714, Progress = 0.79, Status = OkrStatus.OnTrack },
                ],
            },
            new ObjectiveReport
            {
                Title = "Fix what hurts customers first", Progress = 0.35, Status = OkrStatus.OffTrack,
                KeyResults =
                [
                    new KeyResultReport { Title = "Resolve urgent bugs within 24 hours", Metric = "linear.urgent_bug_resolution_hours.p50", Target = 24, Baseline = 48, Direction = KeyResultDirection.Decrease, Owner = "support-eng", Actual = 30.2, Progress = 0.74, Status = OkrStatus.OnTrack },
                    new KeyResultReport { Title = "No more than 2 urgent bugs open", Metric = "linear.urgent_bugs_open", Target = 2, Baseline = 4, Direction = KeyResultDirection.Decrease, Owner = "support-eng", Actual = 5, Progress = 0, Status = OkrStatus.OffTrack },
                    new KeyResultReport { Title = "Close war rooms within 8 hours", Metric = "slack.war_room_duration_hours.p50", Target = 8, Baseline = 16, Direction = KeyResultDirection.Decrease, Owner = "sre", Actual = 13.1, Progress = 0.36, Status = OkrStatus.OffTrack },
                ],
            },
            new ObjectiveReport
            {
                Title = "Learn from every incident", Progress = 0.5, Status = OkrStatus.AtRisk,
                KeyResults =
                [
                    new KeyResultReport { Title = "Write a postmortem for every incident", Metric = "dora.postmortem_coverage", Target = 1, Direction = KeyResultDirection.Increase, Owner = "sre", Status = OkrStatus.NoData },
                    new KeyResultReport { Title = "Keep config drift below 3 a month", Metric = "grafana.drifts", Target = 3, Direction = KeyResultDirection.Decrease, Owner = null, Status = OkrStatus.NoData },
                    new KeyResultReport { Title = "Open fewer than 3 war rooms a month", Metric = "slack.war_rooms_opened", Target = 2, Baseline = 6, Direction = KeyResultDirection.Decrease, Owner = "sre", Actual = 3, Progress = 0.5, Status = OkrStatus.AtRisk },
                ],
            },
        ],
        OkrProblems = [Problem.Error("$.objectives[2].keyResults[3]", "target is missing")],
    };

    /// <summary>
    /// The full sample with 13-week trends: deployments per week climbing slowly (short of the key
    /// result's target of 10 by the end of the quarter) with an ordinary last week, and the war-room
    /// duration's last week above every other week.
    /// </summary>
    public static ReportSnapshot WithTrends()
    {
        var full = Full();
        double?[] deploymentsPerWeek = [6.0, 6.5, 6.2, 7.0, 6.8, 7.1, 7.4, 7.0, 7.6, 7.9, 7.5, 8.1, 7.8];
        double?[] warRoomHours = [9.0, 11.5, null, 8.2, 10.4, 12.0, 9.9, 7.5, 11.1, 10.0, 8.8, 11.9, 13.1];
        return full with
        {
            Metrics = full.Metrics.Select(m => m.Id switch
            {
                "github.deployments_per_week" => m with { Trend = Trend(deploymentsPerWeek) },
                "slack.war_room_duration_hours.p50" => m with { Trend = Trend(warRoomHours), SampleSize = 3 },
                _ => m,
            }).ToArray(),
        };
    }

    /// <summary>Weekly trend points ending at the sample period's end, oldest first.</summary>
    public static IReadOnlyList<TrendPoint> Trend(params double?[] values) =>
        values.Select((value, i) => new TrendPoint(To.AddDays(-7 * (values.Length - i)), To.AddDays(-7 * (values.Length - i - 1)), value)).ToArray();

    /// <summary>
    /// The full sample with what the compute step adds (PRODUCT.md section 8): a sample size on every median
    /// and rate (two war rooms behind the restore time, too few for a DORA band) and a 13-week trend ending
    /// at the period's end on every metric with a value, its fourth week empty.
    /// </summary>
    public static ReportSnapshot WithSamplesAndTrends()
    {
        var full = Full();
        return full with
        {
            Metrics = full.Metrics
                .Select(metric => metric with
                {
                    SampleSize = SampleSizes.TryGetValue(metric.Id, out var size) ? size : null,
                    Trend = metric.Value is { } value ? WeeklyTrend(value) : null,
                })
                .ToList(),
        };
    }

    public const int TrendWeeks = 13;

    private static readonly Dictionary<string, int> SampleSizes = new()
    {
        ["github.change_failure_rate"] = 44,
        ["github.lead_time_hours.p50"] = 42,
        ["github.lead_time_hours.p90"] = 42,
        ["linear.urgent_bug_resolution_hours.p50"] = 7,
        ["slack.war_room_duration_hours.p50"] = 2,
        ["dora.lead_time_hours.p50"] = 42,
        ["dora.change_failure_rate"] = 42,
        ["dora.time_to_restore_hours.p50"] = 2,
    };

    private static IReadOnlyList<TrendPoint> WeeklyTrend(double value) =>
        Trend(Enumerable.Range(1, TrendWeeks).Select(week => week == 4 ? null : (double?)(value * (0.8 + (0.03 * week)))).ToArray());

    /// <summary>
    /// The sample with sample sizes and trends plus DORA's 2025 metrics: a rework rate over 42 deployments, a
    /// recovery time over only 2 (too few to score), the eight scores as the analyzer computes them for the
    /// period and the previous period, and the 2025 benchmarks of technology, 20 to 99 employees.
    /// </summary>
    public static ReportSnapshot WithDoraScores()
    {
        var sample = WithSamplesAndTrends();
        MetricReport[] added =
        [
            Metric("dora.rework_rate", "dora", "Deployment rework rate", MetricUnit.Ratio, 0.119, 0.0952, false) with { SampleSize = 42 },
            Metric("dora.failed_deployment_recovery_hours.p50", "dora", "Failed deployment recovery time (median)", MetricUnit.Hours, 20.5, 31.0, false) with { SampleSize = 2 },
        ];
        var metrics = sample.Metrics.Concat(added).ToDictionary(m => m.Id);
        IReadOnlyList<MetricValue> Scores(Func<MetricReport, double?> value)
        {
            MetricValue Of(string id) => new(id, value(metrics[id])) { SampleSize = metrics[id].SampleSize };
            return Analysis.DoraScores.Compute(
                Of("dora.lead_time_hours.p50"), Of("dora.deployment_frequency"), Of("dora.failed_deployment_recovery_hours.p50"), Of("dora.change_failure_rate"), Of("dora.rework_rate"));
        }

        var current = Scores(m => m.Value);
        var previous = Scores(m => m.Previous);
        var scores = Analysis.DoraScores.Definitions.Select((definition, i) => new MetricReport
        {
            Id = definition.Id, Source = "dora", Title = definition.Title, Unit = definition.Unit, Definition = definition.Definition,
            HigherIsBetter = definition.HigherIsBetter, Value = current[i].Value, Previous = previous[i].Value,
            Trend = current[i].Value is { } v ? WeeklyTrend(v / 1.2) : null,
        });
        var withScores = sample with { Metrics = [.. sample.Metrics, .. added, .. scores] };
        var (basis, rows) = Analysis.DoraBenchmarks.Published.For(new Analysis.DoraBenchmarkChoice("2025", "technology", "fewer_than_100"), withScores.Metrics);
        return withScores with { DoraBenchmark = basis, DoraBenchmarks = rows };
    }

    /// <summary>The full sample with no OKRs at all (no OKR file, no OKR source).</summary>
    public static ReportSnapshot WithoutOkrs() => Full() with { Okrs = [], OkrOrigin = null, OkrProblems = [] };

    public static MetricReport Metric(string id, string source, string title, MetricUnit unit, double? value, double? previous, bool? higherIsBetter) => new()
    {
        Id = id, Source = source, Title = title, Unit = unit, Value = value, Previous = previous, HigherIsBetter = higherIsBetter,
        Definition = $"{title} over the report period.",
    };

    private static TimeSeries Weekly(string id, string title, MetricUnit unit, params double?[] values) =>
        new(id, title, unit, SeriesBucket.Week, values.Select((value, i) => new SeriesPoint(From.AddDays(7 * i), value)).ToList());

    private static TimeSeries Daily(string id, string title, MetricUnit unit, DateTimeOffset start, int days, Func<int, double?> value) =>
        new(id, title, unit, SeriesBucket.Day, Enumerable.Range(0, days).Select(day => new SeriesPoint(start.AddDays(day), value(day))).ToList());
}

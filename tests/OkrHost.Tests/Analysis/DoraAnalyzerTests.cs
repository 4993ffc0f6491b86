using System.Text.Json;
using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Reporting;

namespace OkrHost.Tests.Analysis;

public sealed class DoraAnalyzerTests
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Period = new(From, From.AddDays(28));
    private static readonly DateTimeOffset Day3 = From.AddDays(3);

    private static DeploymentFact Deployed(DateTimeOffset at, string repository = "acme/api") =>
        new($"{repository}@{at:O}", repository, "production", "abc123", at, DeploymentOutcome.Success);

    private static IncidentFact WarRoom(DateTimeOffset opened, DateTimeOffset? closed = null) =>
        new("C" + opened.ToUnixTimeSeconds(), "inc-" + opened.ToUnixTimeSeconds(), opened, closed);

    private static ChangeFact Change(DateTimeOffset deployedAt, double leadTimeHours) =>
        new($"change@{deployedAt:O}/{leadTimeHours}", "acme/api", "abc123", deployedAt.AddHours(-leadTimeHours), deployedAt);

    /// <summary>A source as a test gives it: its status and facts; the kinds it declares come from its role in <see cref="Run"/>.</summary>
    private sealed record Given(SourceStatus Status, IReadOnlyList<Fact> Facts);

    private static Given Ok(IEnumerable<Fact> facts) => new(SourceStatus.Ok, facts.ToArray());

    private static readonly Given Failed = new(SourceStatus.Failed, []);

    private static SourceOutcome Outcome(Given given, params Type[] kinds) => new(
        given.Status,
        kinds,
        given.Status == SourceStatus.Ok
            ? new FactSet { Window = new ReportPeriod(Period.Previous.From.AddDays(-30), Period.To), CollectedAt = Period.To, Facts = given.Facts }
            : null);

    /// <summary>DORA over the period and the previous period, from a deployments source, an incidents source and a postmortems source.</summary>
    private static Dictionary<string, double?[]> Run(Given github, Given slack, Given? notion = null, string settings = "{}")
    {
        var sources = new Dictionary<string, SourceOutcome>
        {
            ["github"] = Outcome(github, typeof(DeploymentFact), typeof(ChangeFact)),
            ["slack"] = Outcome(slack, typeof(IncidentFact)),
        };
        if (notion is not null)
        {
            sources["notion"] = Outcome(notion, typeof(PostmortemFact));
        }

        using var document = JsonDocument.Parse(settings);
        var analyzer = new DoraAnalyzer();
        var current = analyzer.Analyze(new AnalysisInput(Period, sources, document.RootElement.Clone()));
        var previous = analyzer.Analyze(new AnalysisInput(Period.Previous, sources, document.RootElement.Clone())).ToDictionary(v => v.Id);
        return current.ToDictionary(v => v.Id, v => new[] { v.Value, previous[v.Id].Value });
    }

    private static double? ChangeFailureRate(IEnumerable<DeploymentFact> deployments, IEnumerable<IncidentFact> warRooms, string settings = "{}") =>
        Run(Ok(deployments), Ok(warRooms), settings: settings)["dora.change_failure_rate"][0];

    private static void AssertValues(double? value, double? previous, double?[] actual)
    {
        Assert.Equal(value, actual[0]);
        Assert.Equal(previous, actual[1]);
    }

    [Fact]
    public void A_war_room_exactly_24_hours_after_a_deployment_marks_it_failed()
    {
        Assert.Equal(1.0, ChangeFailureRate([Deployed(Day3)], [WarRoom(Day3.AddHours(24))]));
    }

    [Fact]
    public void A_war_room_24_hours_and_one_second_after_a_deployment_is_not_attributed()
    {
        Assert.Equal(0.0, ChangeFailureRate([Deployed(Day3)], [WarRoom(Day3.AddHours(24).AddSeconds(1))]));
    }

    [Fact]
    public void A_deployment_at_the_same_instant_as_the_war_room_is_not_before_it()
    {
        Assert.Equal(0.0, ChangeFailureRate([Deployed(Day3)], [WarRoom(Day3)]));
    }

    [Fact]
    public void A_deployment_at_the_same_instant_does_not_hide_the_one_strictly_before()
    {
        Assert.Equal(0.5, ChangeFailureRate([Deployed(Day3.AddHours(-1)), Deployed(Day3, "acme/web")], [WarRoom(Day3)]));
    }

    [Fact]
    public void The_latest_of_two_deployments_before_a_war_room_takes_the_blame_across_repositories()
    {
        var earlier = Deployed(Day3);
        var later = Deployed(Day3.AddHours(2), "acme/web");
        // One of two deployments failed: only the later one, although both are within 24 h.
        Assert.Equal(0.5, ChangeFailureRate([later, earlier], [WarRoom(Day3.AddHours(5))]));
    }

    [Fact]
    public void A_war_room_whose_latest_deployment_is_outside_the_window_blames_nothing()
    {
        // The latest deployment before it is 30 h earlier; an even older one is not considered either.
        Assert.Equal(0.0, ChangeFailureRate([Deployed(Day3.AddHours(-10)), Deployed(Day3)], [WarRoom(Day3.AddHours(30))]));
    }

    [Fact]
    public void Two_war_rooms_after_one_deployment_count_it_once()
    {
        Assert.Equal(1.0 / 3, ChangeFailureRate(
            [Deployed(Day3), Deployed(Day3.AddDays(2)), Deployed(Day3.AddDays(4))],
            [WarRoom(Day3.AddHours(1)), WarRoom(Day3.AddHours(3))]));
    }

    [Fact]
    public void A_deployment_on_the_last_day_whose_war_room_opens_after_the_period_is_not_failed()
    {
        var lastDay = Period.To.AddHours(-2);
        Assert.Equal(0.0, ChangeFailureRate([Deployed(lastDay)], [WarRoom(Period.To.AddHours(1))]));
    }

    [Fact]
    public void A_war_room_at_the_start_of_the_period_blames_a_previous_period_deployment_only_there_not_here()
    {
        var values = Run(
            Ok([Deployed(From.AddHours(-3)), Deployed(Day3)]),
            Ok([WarRoom(From.AddHours(1))]))["dora.change_failure_rate"];
        // The war room is in this period, its deployment in the previous one: neither period's denominator
        // holds a failed deployment (only war rooms opened in a period are attributed in it).
        Assert.Equal(0.0, values[0]);
        Assert.Equal(0.0, values[1]);
    }

    [Fact]
    public void The_incident_window_comes_from_the_settings()
    {
        Assert.Equal(0.0, ChangeFailureRate([Deployed(Day3)], [WarRoom(Day3.AddHours(3))], """{ "incidentWindowHours": 2 }"""));
        Assert.Equal(1.0, ChangeFailureRate([Deployed(Day3)], [WarRoom(Day3.AddHours(30))], """{ "incidentWindowHours": 48 }"""));
    }

    [Fact]
    public void Failed_deployments_are_not_in_the_denominator_nor_blamed()
    {
        var failed = new DeploymentFact("failed", "acme/api", "production", "f00", Day3.AddHours(4), DeploymentOutcome.Failure);
        Assert.Equal(1.0, ChangeFailureRate([Deployed(Day3), failed], [WarRoom(Day3.AddHours(5))]));
    }

    [Fact]
    public void No_deployments_in_the_period_gives_a_null_rate()
    {
        Assert.Null(ChangeFailureRate([], [WarRoom(Day3)]));
    }

    [Fact]
    public void Previous_period_values_are_computed_from_previous_period_events()
    {
        var before = From.AddDays(-10);
        var values = Run(
            Ok([Deployed(before), Deployed(before.AddDays(1)), Deployed(before.AddDays(2)), Deployed(before.AddDays(3)), Deployed(Day3)]),
            Ok([WarRoom(before.AddHours(6), before.AddHours(8)), WarRoom(Day3.AddHours(1), Day3.AddHours(2))]),
            Ok([new PostmortemFact("p1", "pm", before.AddDays(1)), new PostmortemFact("p2", "pm", before.AddDays(2))]));
        AssertValues(1.0, 0.25, values["dora.change_failure_rate"]);
        AssertValues(0.0, 2.0, values["dora.postmortem_coverage"]);
    }

    [Theory]
    [InlineData(SourceStatus.Failed, SourceStatus.Ok)]
    [InlineData(SourceStatus.Ok, SourceStatus.Failed)]
    [InlineData(SourceStatus.NotConfigured, SourceStatus.Ok)]
    [InlineData(SourceStatus.Ok, SourceStatus.Disabled)]
    public void Change_failure_rate_is_null_unless_GitHub_and_Slack_are_ok(SourceStatus github, SourceStatus slack)
    {
        Given Source(SourceStatus status, IEnumerable<Fact> facts) => status == SourceStatus.Ok ? Ok(facts) : new Given(status, []);
        var values = Run(Source(github, [Deployed(Day3)]), Source(slack, [WarRoom(Day3.AddHours(1))]));
        AssertValues(null, null, values["dora.change_failure_rate"]);
    }

    [Fact]
    public void Frequency_and_lead_time_come_from_the_deployments_and_time_to_restore_from_the_incidents()
    {
        // 30 deployments in the 28-day period (7.5 a week), 13 in the previous one (3.25 a week).
        var deployments = Enumerable.Range(0, 30).Select(i => Deployed(From.AddHours(20 * i)))
            .Concat(Enumerable.Range(0, 13).Select(i => Deployed(Period.Previous.From.AddDays(2 * i))));
        var values = Run(
            Ok([.. deployments, Change(Day3, 10), Change(Day3, 15)]),
            Ok([WarRoom(Day3, Day3.AddHours(4.5)), WarRoom(From.AddDays(-3), From.AddDays(-3).AddHours(6))]));
        AssertValues(7.5, 3.25, values["dora.deployment_frequency"]);
        AssertValues(12.5, null, values["dora.lead_time_hours.p50"]);
        AssertValues(4.5, 6.0, values["dora.time_to_restore_hours.p50"]);
    }

    [Fact]
    public void Frequency_and_lead_time_need_only_GitHub()
    {
        var values = Run(Ok([Deployed(Day3), Deployed(Period.Previous.From), Change(Day3, 5), Change(Period.Previous.From, 4)]), Failed);
        AssertValues(0.25, 0.25, values["dora.deployment_frequency"]);
        AssertValues(5.0, 4.0, values["dora.lead_time_hours.p50"]);
        AssertValues(null, null, values["dora.time_to_restore_hours.p50"]);
        AssertValues(null, null, values["dora.change_failure_rate"]);
        AssertValues(null, null, values["dora.postmortem_coverage"]);
    }

    [Fact]
    public void Postmortem_coverage_can_exceed_one()
    {
        var values = Run(
            Ok([]),
            Ok([WarRoom(Day3, Day3.AddHours(5)), WarRoom(Day3.AddDays(1), Day3.AddDays(2)), WarRoom(Day3.AddDays(2), null)]),
            Ok([new PostmortemFact("a", "a", Day3), new PostmortemFact("b", "b", Day3.AddDays(1)), new PostmortemFact("c", "c", Day3.AddDays(9))]));
        // 3 postmortems over 2 war rooms closed in the period (the third is still open).
        Assert.Equal(1.5, values["dora.postmortem_coverage"][0]);
    }

    [Fact]
    public void Postmortem_coverage_counts_war_rooms_by_close_time_not_open_time()
    {
        var values = Run(
            Ok([]),
            Ok([WarRoom(From.AddHours(-5), From.AddHours(2)), WarRoom(Period.To.AddHours(-1), Period.To.AddHours(1))]),
            Ok([new PostmortemFact("a", "a", Day3)]));
        Assert.Equal(1.0, values["dora.postmortem_coverage"][0]);
    }

    [Fact]
    public void Postmortem_coverage_is_null_when_no_war_room_closed()
    {
        var values = Run(Ok([]), Ok([WarRoom(Day3, null)]), Ok([new PostmortemFact("a", "a", Day3)]));
        AssertValues(null, null, values["dora.postmortem_coverage"]);
    }

    [Fact]
    public void Postmortem_coverage_is_null_when_Notion_or_Slack_is_not_reporting()
    {
        var closedWarRoom = WarRoom(Day3, Day3.AddHours(2));
        var postmortem = new PostmortemFact("a", "a", Day3);
        AssertValues(null, null, Run(Ok([]), Ok([closedWarRoom]), notion: null)["dora.postmortem_coverage"]);
        AssertValues(null, null, Run(Ok([]), Ok([closedWarRoom]), Failed)["dora.postmortem_coverage"]);
        AssertValues(null, null, Run(Ok([]), Failed, Ok([postmortem]))["dora.postmortem_coverage"]);
    }

    [Fact]
    public void Every_declared_metric_has_a_value_with_the_units_of_the_spec()
    {
        var analyzer = new DoraAnalyzer();
        var values = analyzer.Analyze(new AnalysisInput(Period, new Dictionary<string, SourceOutcome>(), default));
        Assert.All(values, v => Assert.Null(v.SampleSize));
        Assert.Equal(analyzer.Metrics.Select(m => m.Id), values.Select(v => v.Id));
        Assert.Equal(
            new[] { MetricUnit.PerWeek, MetricUnit.Hours, MetricUnit.Ratio, MetricUnit.Hours, MetricUnit.Ratio, MetricUnit.Ratio, MetricUnit.Hours }
                .Concat(Enumerable.Repeat(MetricUnit.Score, 8)),
            analyzer.Metrics.Select(m => m.Unit));
        Assert.All(values, v => Assert.Null(v.Value));
    }

    private static double?[] Metric(string id, IEnumerable<DeploymentFact> deployments, IEnumerable<IncidentFact> incidents, string settings = "{}") =>
        Run(Ok(deployments), Ok(incidents), settings: settings)[id];

    private static double?[] Rework(IEnumerable<DeploymentFact> deployments, IEnumerable<IncidentFact> incidents, string settings = "{}") =>
        Metric("dora.rework_rate", deployments, incidents, settings);

    private static double?[] Recovery(IEnumerable<DeploymentFact> deployments, IEnumerable<IncidentFact> incidents) =>
        Metric("dora.failed_deployment_recovery_hours.p50", deployments, incidents);

    [Fact]
    public void A_deployment_while_an_incident_is_open_in_its_first_24_hours_is_rework_and_one_after_it_closed_is_not()
    {
        // Incident open from 02:00 to 07:00: a fix at 05:00 is rework; 07:00 (the close) and later are not.
        var incident = WarRoom(Day3.AddHours(2), Day3.AddHours(7));
        AssertValues(1.0 / 3, null, Rework([Deployed(Day3.AddHours(5)), Deployed(Day3.AddHours(7)), Deployed(Day3.AddHours(9))], [incident]));
        // The instant it opens counts (opened ≤ deployed); a deployment just before it does not.
        AssertValues(0.5, null, Rework([Deployed(Day3.AddHours(2)), Deployed(Day3.AddHours(2).AddSeconds(-1))], [incident]));
    }

    [Fact]
    public void An_incident_nobody_closed_marks_deployments_in_its_first_24_hours_only()
    {
        var forgotten = WarRoom(Day3, closed: null);
        var values = Rework([Deployed(Day3.AddHours(23)), Deployed(Day3.AddHours(24)), Deployed(Day3.AddDays(5)), Deployed(Day3.AddDays(20))], [forgotten]);
        AssertValues(0.25, null, values);
        // The window is incidentWindowHours: with 48 h the deployment at 24 h is rework too.
        AssertValues(0.5, null, Rework([Deployed(Day3.AddHours(23)), Deployed(Day3.AddHours(24)), Deployed(Day3.AddDays(5)), Deployed(Day3.AddDays(20))], [forgotten], """{ "incidentWindowHours": 48 }"""));
    }

    [Fact]
    public void Rework_counts_incidents_opened_before_the_period_and_each_deployment_once()
    {
        // Opened an hour before the period, still open: a deployment in the first hours of the period fixes it.
        var lateNight = WarRoom(From.AddHours(-1), From.AddHours(6));
        var overlapping = WarRoom(From.AddHours(2), From.AddHours(8));
        AssertValues(0.5, 0.0, Rework([Deployed(From.AddHours(3)), Deployed(Day3), Deployed(From.AddHours(-2))], [lateNight, overlapping]));
    }

    [Fact]
    public void Rework_rate_is_null_without_deployments_and_needs_both_sources()
    {
        AssertValues(null, null, Rework([], [WarRoom(Day3, Day3.AddHours(2))]));
        AssertValues(null, null, Run(Ok([Deployed(Day3)]), Failed)["dora.rework_rate"]);
        AssertValues(null, null, Run(Failed, Ok([WarRoom(Day3, Day3.AddHours(2))]))["dora.rework_rate"]);
    }

    [Fact]
    public void Recovery_runs_from_the_failed_deployment_to_the_latest_close_of_its_incidents()
    {
        // Deployment A caused two incidents, closed 5 h and 9 h after it: A recovered after 9 h. B caused one, closed after 3 h.
        var a = Deployed(Day3);
        var b = Deployed(Day3.AddDays(2));
        var values = Recovery([a, b, Deployed(Day3.AddDays(4))],
            [WarRoom(Day3.AddHours(1), Day3.AddHours(5)), WarRoom(Day3.AddHours(2), Day3.AddHours(9)), WarRoom(Day3.AddDays(2).AddHours(1), Day3.AddDays(2).AddHours(3))]);
        AssertValues(6.0, null, values);
    }

    [Fact]
    public void A_deployment_with_an_incident_still_open_has_not_recovered_and_is_left_out()
    {
        var a = Deployed(Day3);
        var b = Deployed(Day3.AddDays(2));
        var incidents = new[] { WarRoom(Day3.AddHours(1), Day3.AddHours(5)), WarRoom(Day3.AddHours(2), null), WarRoom(Day3.AddDays(2).AddHours(1), Day3.AddDays(2).AddHours(4)) };
        var recovery = Run(Ok([a, b]), Ok(incidents))["dora.failed_deployment_recovery_hours.p50"];
        AssertValues(4.0, null, recovery);
        var sources = new Dictionary<string, SourceOutcome>
        {
            ["github"] = Outcome(Ok([a, b]), typeof(DeploymentFact), typeof(ChangeFact)),
            ["slack"] = Outcome(Ok(incidents), typeof(IncidentFact)),
        };
        var values = new DoraAnalyzer().Analyze(new AnalysisInput(Period, sources, default)).ToDictionary(v => v.Id);
        // Both deployments failed; only b is in the median.
        Assert.Equal(1, values["dora.failed_deployment_recovery_hours.p50"].SampleSize);
        Assert.Equal(2, values["dora.change_failure_rate"].SampleSize);
        Assert.Equal(1.0, values["dora.change_failure_rate"].Value);
    }

    [Fact]
    public void Recovery_follows_the_change_failure_attribution()
    {
        // The incident opens 30 h after the deployment: not attributed, so nothing failed and nothing recovered.
        AssertValues(null, null, Recovery([Deployed(Day3)], [WarRoom(Day3.AddHours(30), Day3.AddHours(31))]));
        // Opened in the period but its deployment was in the previous one: neither period has a recovery.
        AssertValues(null, null, Recovery([Deployed(From.AddHours(-3))], [WarRoom(From.AddHours(1), From.AddHours(2))]));
    }

    [Fact]
    public void Scores_follow_the_metrics_of_each_window_and_need_five_samples()
    {
        // Period: 8 deployments (2 a week), 6 commits of 30 h, one failed deployment recovered in 2 h, one rework.
        var deployments = Enumerable.Range(0, 8).Select(i => Deployed(From.AddDays(3 * i).AddHours(12))).ToList();
        var changes = Enumerable.Range(0, 6).Select(i => Change(From.AddDays(3 * i).AddHours(12), 30 + i * 0.001));
        // Previous period: 3 deployments, 3 commits: too few to score lead time, change failure or rework.
        var previous = Enumerable.Range(0, 3).Select(i => Deployed(Period.Previous.From.AddDays(5 * i))).ToList();
        var values = Run(
            Ok([.. deployments, .. changes, .. previous, Change(Period.Previous.From, 2)]),
            Ok([WarRoom(From.AddHours(13), From.AddHours(14)), WarRoom(From.AddDays(6).AddHours(11), From.AddDays(6).AddHours(20))]));
        AssertValues(2.0, 0.75, values["dora.deployment_frequency"]);
        // 2 a week is answer 4 (6.0); 0.75 a week answer 3 (4.0).
        AssertValues(6.0, 4.0, values["dora.score.deployment_frequency"]);
        AssertValues(6.0, null, values["dora.score.lead_time"]);
        AssertValues(10 - (10 * 1.0 / 8), null, values["dora.score.change_failure"]);
        AssertValues(10 - (10 * 1.0 / 8), null, values["dora.score.rework"]);
        // One recovered deployment is too few: no recovery score, and the means leave it out.
        AssertValues(null, null, values["dora.score.recovery"]);
        AssertValues(6.0, 4.0, values["dora.score.throughput"]);
        AssertValues(8.75, null, values["dora.score.stability"]);
        AssertValues((6.0 + 6.0 + 8.75 + 8.75) / 4, 4.0, values["dora.score.overall"]);
    }
}

using System.Text.Json;
using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Tests.Analysis;

public sealed class DoraAnalyzerTests
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Period = new(From, From.AddDays(28));
    private static readonly DateTimeOffset Day3 = From.AddDays(3);

    private static DeploymentEvent Deployed(DateTimeOffset at, string repository = "acme/api") =>
        new(repository, "production", "abc123", at, DeploymentOutcome.Success);

    private static IncidentEvent WarRoom(DateTimeOffset opened, DateTimeOffset? closed = null) =>
        new("C" + opened.ToUnixTimeSeconds(), "inc-" + opened.ToUnixTimeSeconds(), opened, closed);

    private static SourceOutcome Ok(IEnumerable<SourceEvent> events, params MetricValue[] metrics)
    {
        var result = new SourceResult();
        foreach (var e in events)
        {
            result.Facts.Add(e);
        }

        foreach (var m in metrics)
        {
            result.Metrics.Add(m);
        }

        return new SourceOutcome(SourceStatus.Ok, result);
    }

    private static readonly SourceOutcome Failed = new(SourceStatus.Failed, null);

    private static Dictionary<string, double?[]> Run(
        SourceOutcome github, SourceOutcome slack, SourceOutcome? notion = null, string settings = "{}")
    {
        var sources = new Dictionary<string, SourceOutcome> { ["github"] = github, ["slack"] = slack };
        if (notion is not null)
        {
            sources["notion"] = notion;
        }

        using var document = JsonDocument.Parse(settings);
        var values = new DoraAnalyzer().Analyze(new AnalysisInput(Period, sources, document.RootElement.Clone()));
        return values.ToDictionary(v => v.Id, v => new[] { v.Value, v.Previous });
    }

    private static double? ChangeFailureRate(IEnumerable<DeploymentEvent> deployments, IEnumerable<IncidentEvent> warRooms, string settings = "{}") =>
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
        var failed = new DeploymentEvent("acme/api", "production", "f00", Day3.AddHours(4), DeploymentOutcome.Failure);
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
            Ok([new PostmortemEvent("p1", "pm", before.AddDays(1)), new PostmortemEvent("p2", "pm", before.AddDays(2))]));
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
        SourceOutcome Outcome(SourceStatus status, IEnumerable<SourceEvent> events) =>
            status == SourceStatus.Ok ? Ok(events) : new SourceOutcome(status, null);
        var values = Run(Outcome(github, [Deployed(Day3)]), Outcome(slack, [WarRoom(Day3.AddHours(1))]));
        AssertValues(null, null, values["dora.change_failure_rate"]);
    }

    [Fact]
    public void Frequency_and_lead_time_copy_GitHub_and_time_to_restore_copies_Slack()
    {
        var values = Run(
            Ok([], new MetricValue("github.deployments_per_week", 7.5, 3.25), new MetricValue("github.lead_time_hours.p50", 12.5, null)),
            Ok([], new MetricValue("slack.war_room_duration_hours.p50", 4.5, 6)));
        AssertValues(7.5, 3.25, values["dora.deployment_frequency"]);
        AssertValues(12.5, null, values["dora.lead_time_hours.p50"]);
        AssertValues(4.5, 6.0, values["dora.time_to_restore_hours.p50"]);
    }

    [Fact]
    public void Frequency_and_lead_time_need_only_GitHub()
    {
        var values = Run(Ok([], new MetricValue("github.deployments_per_week", 2, 1), new MetricValue("github.lead_time_hours.p50", 5, 4)), Failed);
        AssertValues(2.0, 1.0, values["dora.deployment_frequency"]);
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
            Ok([new PostmortemEvent("a", "a", Day3), new PostmortemEvent("b", "b", Day3.AddDays(1)), new PostmortemEvent("c", "c", Day3.AddDays(9))]));
        // 3 postmortems over 2 war rooms closed in the period (the third is still open).
        Assert.Equal(1.5, values["dora.postmortem_coverage"][0]);
    }

    [Fact]
    public void Postmortem_coverage_counts_war_rooms_by_close_time_not_open_time()
    {
        var values = Run(
            Ok([]),
            Ok([WarRoom(From.AddHours(-5), From.AddHours(2)), WarRoom(Period.To.AddHours(-1), Period.To.AddHours(1))]),
            Ok([new PostmortemEvent("a", "a", Day3)]));
        Assert.Equal(1.0, values["dora.postmortem_coverage"][0]);
    }

    [Fact]
    public void Postmortem_coverage_is_null_when_no_war_room_closed()
    {
        var values = Run(Ok([]), Ok([WarRoom(Day3, null)]), Ok([new PostmortemEvent("a", "a", Day3)]));
        AssertValues(null, null, values["dora.postmortem_coverage"]);
    }

    [Fact]
    public void Postmortem_coverage_is_null_when_Notion_or_Slack_is_not_reporting()
    {
        var closedWarRoom = WarRoom(Day3, Day3.AddHours(2));
        var postmortem = new PostmortemEvent("a", "a", Day3);
        AssertValues(null, null, Run(Ok([]), Ok([closedWarRoom]), notion: null)["dora.postmortem_coverage"]);
        AssertValues(null, null, Run(Ok([]), Ok([closedWarRoom]), Failed)["dora.postmortem_coverage"]);
        AssertValues(null, null, Run(Ok([]), Failed, Ok([postmortem]))["dora.postmortem_coverage"]);
    }

    [Fact]
    public void Every_declared_metric_has_a_value_with_the_units_of_the_spec()
    {
        var analyzer = new DoraAnalyzer();
        var values = analyzer.Analyze(new AnalysisInput(Period, new Dictionary<string, SourceOutcome>(), default));
        Assert.Equal(analyzer.Metrics.Select(m => m.Id), values.Select(v => v.Id));
        Assert.Equal(
            new[] { MetricUnit.PerWeek, MetricUnit.Hours, MetricUnit.Ratio, MetricUnit.Hours, MetricUnit.Ratio },
            analyzer.Metrics.Select(m => m.Unit));
        Assert.All(values, v => Assert.Null(v.Value));
    }
}

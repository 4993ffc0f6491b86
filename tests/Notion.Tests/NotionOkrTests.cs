using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Sandbox.Notion;
using static Notion.Tests.NotionTestKit;

namespace Notion.Tests;

public sealed class NotionOkrTests
{
    [Fact]
    public async Task The_demo_OKR_database_loads_into_objectives_with_exact_key_results()
    {
        await using var server = await StartSandboxAsync();
        var people = server.Org.People;
        var emulator = server.Emulator();

        var (okrs, requests) = await LoadOkrsAsync(server.DemoSettings(), emulator.Token);

        Assert.Equal(1, requests);
        Assert.Equal(
            ["Ship small, ship often", "Recover fast when things break", "Learn from every incident", "Keep production honest"],
            okrs.Objectives.Select(o => o.Title));
        Assert.Equal(
            [
                new KeyResultDefinition("Deploy to production 10+ times a week", "github.deployments_per_week", 10, 3, KeyResultDirection.Increase, people[0])
                {
                    Confidence = KeyResultConfidence.OnTrack, Note = "Release trains moved to twice a day; the mobile app still ships weekly.",
                },
                new KeyResultDefinition("Cut lead time for changes under a day", "github.lead_time_hours.p50", 24, null, KeyResultDirection.Decrease, people[1]),
                new KeyResultDefinition("Keep change failure rate under 10%", "dora.change_failure_rate", 0.10, 0.25, KeyResultDirection.Decrease, people[2]),
                new KeyResultDefinition("DORA overall score at least 7", "dora.score.overall", 7, null, KeyResultDirection.Increase, "platform"),
            ],
            okrs.Objectives[0].KeyResults);
        Assert.Equal(
            [
                new KeyResultDefinition("Fix urgent bugs within two days", "linear.urgent_bug_resolution_hours.p50", 48, 96, KeyResultDirection.Decrease, "platform"),
                new KeyResultDefinition("Close war rooms within 6 hours", "slack.war_room_duration_hours.p50", 6, 14, KeyResultDirection.Decrease, people[3])
                {
                    Confidence = KeyResultConfidence.AtRisk, Note = "Two long incidents waited on a vendor; an escalation runbook is in review.",
                },
                new KeyResultDefinition("Restore service in under 8 hours", "dora.time_to_restore_hours.p50", 8, null, KeyResultDirection.Decrease, "sre"),
                // Unknown metric ids are the host's to reject: it alone knows every source's catalogue.
                new KeyResultDefinition("Reduce on-call toil", "pagerduty.toil_hours", 10, 25, KeyResultDirection.Decrease, "sre"),
            ],
            okrs.Objectives[1].KeyResults);
        Assert.Equal(
            [
                new KeyResultDefinition("A postmortem for every closed war room", "dora.postmortem_coverage", 1, 0.5, KeyResultDirection.Increase, people[4]),
                new KeyResultDefinition("Publish at least 2 postmortems a month", "notion.postmortems", 2, null, KeyResultDirection.Increase, people[5]) { Confidence = KeyResultConfidence.AtRisk },
            ],
            okrs.Objectives[2].KeyResults);
        Assert.Equal(
            [
                new KeyResultDefinition("No more than 5 configuration drifts a month", "grafana.drifts", 5, 12, KeyResultDirection.Decrease, people[6])
                {
                    Confidence = KeyResultConfidence.OnTrack, Note = "Most drifts are one Terraform module re-applying tags; a fix lands next sprint.",
                },
                new KeyResultDefinition("Trace error rate below 1%", "grafana.trace_error_rate", 0.01, 0.03, KeyResultDirection.Decrease, "observability"),
            ],
            okrs.Objectives[3].KeyResults);
        var problem = Assert.Single(okrs.Problems);
        Assert.StartsWith("Notion row 'Halve the alerts firing at any time' (https://www.notion.so/Halve-the-alerts-firing-at-any-time-", problem.JsonPath, StringComparison.Ordinal);
        Assert.Equal("Target is empty", problem.Message);
    }

    [Fact]
    public async Task Select_and_text_shapes_of_objective_metric_direction_and_owner_all_load()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(
            Row(0, "Ship daily", NotionValue.Select("Speed"), NotionValue.Select("github.deployments_per_week"), NotionValue.Number(10),
                NotionValue.Number(3), NotionValue.Select("Increase"), NotionValue.People("Ana Berg", "Cy Dorn")),
            Row(1, "Fewer failures", NotionValue.RichText("Speed"), NotionValue.RichText("  github.change_failure_rate "), NotionValue.Number(0.1),
                NotionValue.Number(null), NotionValue.Select("DECREASE"), NotionValue.RichText("platform")),
            Row(2, "More postmortems", NotionValue.Select("Learning"), NotionValue.Select("notion.postmortems"), NotionValue.Number(0),
                direction: NotionValue.RichText("decrease")),
            Row(3, "Archived goal", NotionValue.Select("Gone"), NotionValue.Select("notion.postmortems"), NotionValue.Number(4)) with { Archived = true });

        var (okrs, _) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Empty(okrs.Problems);
        Assert.Equal(2, okrs.Objectives.Count);
        Assert.Equal("Speed", okrs.Objectives[0].Title);
        Assert.Equal(
            [
                new KeyResultDefinition("Ship daily", "github.deployments_per_week", 10, 3, KeyResultDirection.Increase, "Ana Berg, Cy Dorn"),
                new KeyResultDefinition("Fewer failures", "github.change_failure_rate", 0.1, null, KeyResultDirection.Decrease, "platform"),
            ],
            okrs.Objectives[0].KeyResults);
        Assert.Equal("Learning", okrs.Objectives[1].Title);
        Assert.Equal(
            [new KeyResultDefinition("More postmortems", "notion.postmortems", 0, null, KeyResultDirection.Decrease, null)],
            okrs.Objectives[1].KeyResults);
    }

    [Fact]
    public async Task An_empty_direction_means_increase_and_empty_baseline_and_owner_are_null()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(Row(0, "Deploy more", NotionValue.Select("Speed"), NotionValue.Select("github.deployments"), NotionValue.Number(40)));

        var (okrs, _) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        var keyResult = Assert.Single(Assert.Single(okrs.Objectives).KeyResults);
        Assert.Equal(new KeyResultDefinition("Deploy more", "github.deployments", 40, null, KeyResultDirection.Increase, null), keyResult);
    }

    [Fact]
    public async Task Invalid_rows_are_reported_with_title_and_every_reason_while_the_others_load()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(
            Row(0, "Good one", NotionValue.Select("Speed"), NotionValue.Select("github.deployments"), NotionValue.Number(40)),
            Row(1, "", NotionValue.Select("Speed"), NotionValue.Select(null), NotionValue.Number(null)),
            Row(2, "Sideways", NotionValue.Select("Speed"), NotionValue.Select("github.deployments"), NotionValue.Number(1), direction: NotionValue.Select("Sideways")),
            Row(3, "Target typed as text", NotionValue.Select("Speed"), NotionValue.Select("github.deployments"), NotionValue.RichText("10")),
            Row(4, "No objective", NotionValue.RichText(""), NotionValue.Select("github.deployments"), NotionValue.Number(5)),
            Row(5, "Also good", NotionValue.Select("Speed"), NotionValue.RichText("linear.issues_closed"), NotionValue.Number(100)));

        var (okrs, _) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Equal(["Good one", "Also good"], Assert.Single(okrs.Objectives).KeyResults.Select(k => k.Title));
        Assert.Equal(
            [
                ("Notion row '(untitled)'", "Key Result is empty; Metric is empty; Target is empty"),
                ("Notion row 'Sideways'", "Direction 'Sideways' is neither Increase nor Decrease"),
                ("Notion row 'Target typed as text'", "Target is a rich_text property; expected number"),
                ("Notion row 'No objective'", "Objective is empty"),
            ],
            okrs.Problems.Select(p => (p.JsonPath[..p.JsonPath.IndexOf(" (", StringComparison.Ordinal)], p.Message)));
        Assert.All(okrs.Problems, p => Assert.Matches(@" \(https://www\.notion\.so/[^ ]*[0-9a-f]{32}\)$", p.JsonPath));
    }

    [Fact]
    public async Task More_than_a_hundred_rows_are_read_through_every_cursor_in_order()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(Enumerable.Range(0, 250).Select(i =>
            Row(i, $"KR {i:000}", NotionValue.Select($"Objective {i % 3}"), NotionValue.Select("github.deployments"), NotionValue.Number(i))));
        server.ResetStats();

        var (okrs, requests) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Equal(3, requests);
        Assert.Equal(3, server.Stats("notion").Requests);
        Assert.Empty(okrs.Problems);
        Assert.Equal(["Objective 0", "Objective 1", "Objective 2"], okrs.Objectives.Select(o => o.Title));
        var all = okrs.Objectives.SelectMany(o => o.KeyResults).OrderBy(k => k.Target).ToList();
        Assert.Equal(Enumerable.Range(0, 250).Select(i => $"KR {i:000}"), all.Select(k => k.Title));
        Assert.Equal(Enumerable.Range(0, 84).Select(i => $"KR {3 * i:000}"), okrs.Objectives[0].KeyResults.Select(k => k.Title));
    }

    [Fact]
    public async Task Property_names_come_from_the_settings()
    {
        await using var server = await StartSandboxAsync();
        var row = new NotionPage(NotionValue.UuidFrom("renamed"), Now.AddDays(-3), new Dictionary<string, JsonObject>
        {
            ["Name"] = NotionValue.Title("Ship daily"),
            ["Goal"] = NotionValue.Select("Speed"),
            ["Measure"] = NotionValue.Select("github.deployments_per_week"),
            ["Aim"] = NotionValue.Number(7),
            ["Start"] = NotionValue.Number(2),
            ["Trend"] = NotionValue.Select("Increase"),
            ["DRI"] = NotionValue.People("Ana Berg"),
            ["Feeling"] = NotionValue.Select("At risk"),
            ["Update"] = NotionValue.RichText("blocked on the runner upgrade"),
        });
        server.ReplaceOkrRows(row);
        var settings = server.DemoSettings();
        settings["properties"] = new JsonObject
        {
            ["keyResult"] = "Name", ["objective"] = "Goal", ["metric"] = "Measure", ["target"] = "Aim",
            ["baseline"] = "Start", ["direction"] = "Trend", ["owner"] = "DRI", ["confidence"] = "Feeling", ["note"] = "Update",
        };

        var (okrs, _) = await LoadOkrsAsync(settings, server.Emulator().Token);

        Assert.Empty(okrs.Problems);
        Assert.Equal(
            new KeyResultDefinition("Ship daily", "github.deployments_per_week", 7, 2, KeyResultDirection.Increase, "Ana Berg")
            {
                Confidence = KeyResultConfidence.AtRisk, Note = "blocked on the runner upgrade",
            },
            Assert.Single(Assert.Single(okrs.Objectives).KeyResults));
    }

    [Fact]
    public async Task A_confidence_that_names_none_is_a_problem_of_its_row_and_an_empty_one_is_no_check_in()
    {
        await using var server = await StartSandboxAsync();
        var rows = new[] { "Great", "" }.Select((confidence, i) =>
        {
            var row = Row(i, $"KR {i}", NotionValue.Select("Speed"), NotionValue.Select("notion.postmortems"), NotionValue.Number(2));
            return row with { Properties = new Dictionary<string, JsonObject>(row.Properties) { ["Confidence"] = NotionValue.Select(confidence.Length == 0 ? null : confidence) } };
        });
        server.ReplaceOkrRows(rows);

        var (okrs, _) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Equal("Confidence 'Great' is none of on-track, at-risk or off-track", Assert.Single(okrs.Problems).Message);
        var keyResult = Assert.Single(Assert.Single(okrs.Objectives).KeyResults);
        Assert.Equal("KR 1", keyResult.Title);
        Assert.Null(keyResult.Confidence);
    }

    [Fact]
    public async Task A_database_without_the_configured_properties_reports_each_row_saying_which_property_is_missing()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(Row(0, "Ship daily", NotionValue.Select("Speed"), NotionValue.Select("github.deployments"), NotionValue.Number(7)));
        var settings = server.DemoSettings();
        settings["properties"] = new JsonObject { ["target"] = "Goal value" };

        var (okrs, _) = await LoadOkrsAsync(settings, server.Emulator().Token);

        Assert.Empty(okrs.Objectives);
        Assert.Equal("the database has no property 'Goal value' (rename it or set properties in plugins.json)", Assert.Single(okrs.Problems).Message);
    }

    [Fact]
    public async Task Loading_OKRs_without_an_okr_database_id_fails_naming_the_setting()
    {
        await using var server = await StartSandboxAsync();
        var settings = server.DemoSettings();
        settings.Remove("okrDatabaseId");

        var error = await Assert.ThrowsAsync<SourceException>(() => LoadOkrsAsync(settings, server.Emulator().Token));

        Assert.Equal("Notion: OKRs are to be read from Notion but $.sources.notion.okrDatabaseId is not set", error.Message);
    }

    [Fact]
    public async Task The_large_profile_serves_300_key_results_in_three_pages()
    {
        await using var server = await OkrHost.Sandbox.SandboxServer.StartAsync(new OkrHost.Sandbox.SandboxOptions { Now = Now, Profile = OkrHost.Sandbox.SandboxProfile.Large });

        var (okrs, requests) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Equal(3, requests);
        Assert.Equal(300, okrs.Objectives.Sum(o => o.KeyResults.Count) + okrs.Problems.Count);
        Assert.Single(okrs.Problems);
    }

    [Fact]
    public async Task A_run_slowed_by_Notions_rate_limit_loads_exactly_the_same_OKRs_as_a_clean_run()
    {
        await using var server = await StartSandboxAsync();
        server.ReplaceOkrRows(Enumerable.Range(0, 250).Select(i =>
            Row(i, $"KR {i:000}", NotionValue.Select($"Objective {i % 3}"), NotionValue.Select("github.deployments"), NotionValue.Number(i))));
        var (clean, _) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);
        server.ResetStats();
        // Half a request a second: slower than the 3/s the plugin is paced at, so Notion answers 429.
        server.Emulator().RateLimitPerSecond = 0.5;

        var (limited, requests) = await LoadOkrsAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.True(requests > 3, $"expected 429s to be retried, saw {requests} requests");
        Assert.Equal(JsonSerializer.Serialize(clean), JsonSerializer.Serialize(limited));
    }
}

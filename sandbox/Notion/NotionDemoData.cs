using System.Text.Json.Nodes;

namespace OkrHost.Sandbox.Notion;

/// <summary>The organisation's two Notion databases: its OKRs and its postmortems.</summary>
internal static class NotionDemoData
{
    /// <summary>The OKR database: one row per key result.</summary>
    public const string OkrDatabaseId = "5b1d7e0a-3c1f-4c8e-9a57-2f0d1c6e8b41";

    /// <summary>The postmortem database: one page per written postmortem.</summary>
    public const string PostmortemDatabaseId = "a3f4c2d1-7e6b-4b9a-8c0d-1e2f3a4b5c6d";

    private static readonly Dictionary<string, string> OkrSchema = new()
    {
        ["Key Result"] = "title",
        ["Objective"] = "select",
        ["Metric"] = "select",
        ["Target"] = "number",
        ["Baseline"] = "number",
        ["Direction"] = "select",
        ["Owner"] = "people",
        ["Confidence"] = "select",
        ["Note"] = "rich_text",
    };

    private static readonly Dictionary<string, string> PostmortemSchema = new()
    {
        ["Name"] = "title",
        ["Incident"] = "rich_text",
        ["Severity"] = "select",
        ["Author"] = "people",
        ["Incident date"] = "date",
    };

    // The demo's key results: believable goals on a metric of every source, written the ways teams
    // really fill such a database in (objective typed instead of picked, owner as a team name, no
    // baseline yet), plus two rows a person got wrong so that `okrhost validate` has something to say.
    // Some carry their owner's weekly check-in, one of them far more confident than the data.
    private static readonly DemoRow[] DemoRows =
    [
        new("Ship small, ship often", "Deploy to production 10+ times a week", "github.deployments_per_week", 10, 3, "Increase", Owner: 0,
            CheckIn: ("On track", "Release trains moved to twice a day; the mobile app still ships weekly.")),
        new("Ship small, ship often", "Cut lead time for changes under a day", "github.lead_time_hours.p50", 24, null, "Decrease", Owner: 1, ObjectiveAsText: true),
        new("Ship small, ship often", "Keep change failure rate under 10%", "dora.change_failure_rate", 0.10, 0.25, "Decrease", Owner: 2),
        new("Recover fast when things break", "Fix urgent bugs within two days", "linear.urgent_bug_resolution_hours.p50", 48, 96, "Decrease", TeamOwner: "platform"),
        new("Recover fast when things break", "Close war rooms within 6 hours", "slack.war_room_duration_hours.p50", 6, 14, "Decrease", Owner: 3, MetricAsText: true,
            CheckIn: ("At risk", "Two long incidents waited on a vendor; an escalation runbook is in review.")),
        new("Recover fast when things break", "Restore service in under 8 hours", "dora.time_to_restore_hours.p50", 8, null, "Decrease", TeamOwner: "sre", ObjectiveAsText: true),
        new("Learn from every incident", "A postmortem for every closed war room", "dora.postmortem_coverage", 1, 0.5, "Increase", Owner: 4),
        new("Learn from every incident", "Publish at least 2 postmortems a month", "notion.postmortems", 2, null, null, Owner: 5,
            CheckIn: ("At risk", null)),
        new("Keep production honest", "No more than 5 configuration drifts a month", "grafana.drifts", 5, 12, "Decrease", Owner: 6,
            CheckIn: ("On track", "Most drifts are one Terraform module re-applying tags; a fix lands next sprint.")),
        new("Keep production honest", "Trace error rate below 1%", "grafana.trace_error_rate", 0.01, 0.03, "decrease", TeamOwner: "observability", MetricAsText: true),
        new("Keep production honest", "Halve the alerts firing at any time", "grafana.alerts_firing", null, 8, "Decrease", Owner: 7),
        new("Recover fast when things break", "Reduce on-call toil", "pagerduty.toil_hours", 10, 25, "Decrease", TeamOwner: "sre"),
    ];

    // Added to the demo's database after the rows above were written (a goal on DORA's 2025 overall score):
    // no random draw, so the rest of the organisation stays as it was.
    private static readonly DemoRow DoraScoreRow =
        new("Ship small, ship often", "DORA overall score at least 7", "dora.score.overall", 7, null, "Increase", TeamOwner: "platform");

    // For the large profile: more teams setting goals on the same catalogue.
    private static readonly (string Metric, string Direction, double Low, double High)[] GeneratedMetrics =
    [
        ("github.deployments_per_week", "Increase", 5, 40),
        ("github.deployment_days", "Increase", 10, 22),
        ("github.change_failure_rate", "Decrease", 0.05, 0.2),
        ("github.lead_time_hours.p90", "Decrease", 24, 120),
        ("linear.issues_closed", "Increase", 50, 400),
        ("linear.cycle_time_hours.p50", "Decrease", 24, 96),
        ("linear.urgent_bugs_open", "Decrease", 0, 10),
        ("slack.war_rooms_opened", "Decrease", 1, 6),
        ("slack.war_room_duration_hours.p50", "Decrease", 2, 12),
        ("grafana.findings_critical", "Decrease", 0, 5),
        ("grafana.trace_duration_ms.p95", "Decrease", 200, 1500),
        ("notion.postmortems", "Increase", 1, 6),
        ("dora.deployment_frequency", "Increase", 5, 40),
        ("dora.postmortem_coverage", "Increase", 0.8, 1),
    ];

    private static readonly string[] GeneratedThemes =
    [
        "Ship faster", "Fewer incidents", "Quicker recovery", "Quality at the source", "Faster feedback", "Calmer on-call",
    ];

    public static NotionData Build(SandboxOrg org)
    {
        var random = org.RandomFor("notion");
        var data = new NotionData();
        var okrs = new NotionDatabase(OkrDatabaseId, "Engineering OKRs", OkrSchema);
        okrs.Add(OkrRows(org, random));
        data.Put(okrs);
        var postmortems = new NotionDatabase(PostmortemDatabaseId, "Postmortems", PostmortemSchema);
        postmortems.Add(Postmortems(org, random));
        data.Put(postmortems);
        return data;
    }

    private static IEnumerable<NotionPage> OkrRows(SandboxOrg org, Random random)
    {
        // The quarter's OKRs were written together a few days into the history, a row every few minutes.
        var writtenFrom = Minute(org.Start + TimeSpan.FromDays(3) + TimeSpan.FromHours(9));
        var rows = DemoRows.ToList();
        for (var i = rows.Count; i < org.Sizes.KeyResults; i++)
        {
            var (metric, direction, low, high) = GeneratedMetrics[random.Next(GeneratedMetrics.Length)];
            var team = org.TeamKeys[i % org.TeamKeys.Count];
            var target = Math.Round(low + random.NextDouble() * (high - low), high <= 1 ? 2 : 0);
            double? baseline = random.Next(3) == 0 ? null : Math.Round(direction == "Increase" ? target * 0.6 : target * 1.6 + (high <= 1 ? 0.01 : 1), 2);
            rows.Add(new DemoRow(
                $"{team}: {GeneratedThemes[i % GeneratedThemes.Length]}",
                $"{team} key result {i + 1}: {(direction == "Increase" ? "raise" : "lower")} {metric} to {target}",
                metric,
                target,
                baseline,
                // Some rows leave the direction to its default, increase; only where that is what they mean,
                // or every such "lower" row would be a contradiction the report rightly warns about.
                random.Next(5) == 0 && direction == "Increase" ? null : direction,
                Owner: random.Next(4) == 0 ? null : random.Next(org.People.Count),
                ObjectiveAsText: random.Next(5) == 0,
                MetricAsText: random.Next(4) == 0));
        }

        var count = Math.Min(rows.Count, org.Sizes.KeyResults);
        for (var i = 0; i < count; i++)
        {
            var created = writtenFrom + TimeSpan.FromMinutes(4 * i);
            yield return new NotionPage(NotionValue.UuidFrom($"okr:{org.Seed}:{i}"), created, OkrProperties(org, rows[i]))
            {
                LastEditedTime = created + TimeSpan.FromDays(random.Next(1, 20)),
            };
        }

        // The large profile keeps exactly its size of generated goals.
        if (org.Profile == SandboxProfile.Demo)
        {
            var created = writtenFrom + TimeSpan.FromMinutes(4 * count);
            yield return new NotionPage(NotionValue.UuidFrom($"okr:{org.Seed}:{count}"), created, OkrProperties(org, DoraScoreRow))
            {
                LastEditedTime = created + TimeSpan.FromDays(1),
            };
        }
    }

    private static Dictionary<string, JsonObject> OkrProperties(SandboxOrg org, DemoRow row) => new()
    {
        ["Key Result"] = NotionValue.Title(row.KeyResult),
        ["Objective"] = row.ObjectiveAsText ? NotionValue.RichText(row.Objective) : NotionValue.Select(row.Objective),
        ["Metric"] = row.MetricAsText ? NotionValue.RichText(row.Metric) : NotionValue.Select(row.Metric),
        ["Target"] = NotionValue.Number(row.Target),
        ["Baseline"] = NotionValue.Number(row.Baseline),
        ["Direction"] = NotionValue.Select(row.Direction),
        ["Owner"] = row.TeamOwner is { } team
            ? NotionValue.RichText(team)
            : NotionValue.People(row.Owner is { } person ? [org.People[person % org.People.Count]] : []),
        ["Confidence"] = NotionValue.Select(row.CheckIn?.Confidence),
        ["Note"] = NotionValue.RichText(row.CheckIn?.Note ?? ""),
    };

    private static IEnumerable<NotionPage> Postmortems(SandboxOrg org, Random random)
    {
        var written = 0;
        foreach (var incident in org.Incidents)
        {
            // Random draws happen for every incident so that one incident's data never shifts another's.
            var delay = TimeSpan.FromDays(1) + TimeSpan.FromMinutes(random.Next(4 * 24 * 60));
            var author = org.People[random.Next(org.People.Count)];
            var draftDelay = TimeSpan.FromMinutes(30 + random.Next(12 * 60));
            if (!incident.HasPostmortem || incident.ClosedAt is not { } closedAt || Minute(closedAt + delay) >= org.Now)
            {
                continue;
            }

            var created = Minute(closedAt + delay);
            var title = $"Postmortem: {Capitalised(incident.Title)} (INC-{incident.Number:000})";
            yield return Postmortem(incident, $"postmortem:{org.Seed}:{incident.Number}", title, author, created) with
            {
                LastEditedTime = created + TimeSpan.FromHours(3),
            };

            // Every third postmortem left a discarded draft behind: deleted pages that must not count.
            if (written++ % 3 == 1 && created - draftDelay >= closedAt)
            {
                yield return Postmortem(incident, $"draft:{org.Seed}:{incident.Number}", "Draft — " + title, author, created - draftDelay) with
                {
                    Archived = true,
                    InTrash = written % 2 == 0,
                    LastEditedTime = created,
                };
            }
        }
    }

    private static NotionPage Postmortem(SandboxIncident incident, string key, string title, string author, DateTimeOffset created) =>
        new(NotionValue.UuidFrom(key), created, new Dictionary<string, JsonObject>
        {
            ["Name"] = NotionValue.Title(title),
            ["Incident"] = NotionValue.RichText($"#{incident.ChannelName} in {incident.Repository}"),
            ["Severity"] = NotionValue.Select(incident.Critical ? "SEV1" : "SEV2"),
            ["Author"] = NotionValue.People(author),
            ["Incident date"] = NotionValue.Date(DateOnly.FromDateTime(incident.OpenedAt.UtcDateTime)),
        });

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    // Notion records created_time to the minute.
    private static DateTimeOffset Minute(DateTimeOffset at) => new(at.Year, at.Month, at.Day, at.Hour, at.Minute, 0, TimeSpan.Zero);

    private sealed record DemoRow(
        string Objective,
        string KeyResult,
        string Metric,
        double? Target,
        double? Baseline,
        string? Direction,
        int? Owner = null,
        string? TeamOwner = null,
        bool ObjectiveAsText = false,
        bool MetricAsText = false,
        (string Confidence, string? Note)? CheckIn = null);
}

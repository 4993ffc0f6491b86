using System.Globalization;

namespace OkrHost.Sandbox.Linear;

/// <summary>
/// The organisation's Linear workspace: <see cref="OrgSizes.LinearIssues"/> issues over the six months of
/// history, spread over the teams, with urgent bugs filed around every incident of the shared timeline.
/// </summary>
internal static class LinearDataGenerator
{
    private static readonly string[] Areas =
    [
        "checkout", "login", "search", "billing page", "notifications", "settings", "onboarding flow", "export job",
        "webhooks", "dashboard", "API client", "mobile app", "admin panel", "invoice PDF", "SSO", "audit log",
    ];

    private static readonly string[] BugTemplates =
    [
        "{0} returns 500 for some users", "{0} shows stale data after refresh", "Crash when opening {0}",
        "{0} times out under load", "Wrong totals in {0}", "{0} breaks on Safari",
    ];

    private static readonly string[] FeatureTemplates =
    [
        "Add filters to {0}", "Bulk actions in {0}", "Dark mode for {0}", "Export {0} to CSV", "Keyboard shortcuts in {0}",
    ];

    private static readonly string[] ImprovementTemplates =
    [
        "Speed up {0}", "Better empty state for {0}", "Clearer errors in {0}", "Reduce clicks in {0}",
    ];

    private static readonly string[] DebtTemplates =
    [
        "Remove legacy code path in {0}", "Upgrade dependencies of {0}", "Add tests around {0}", "Split {0} module",
    ];

    // Teams spell the bug label their own way; the plugin's match is case-insensitive.
    private static readonly string[] BugSpellings = ["Bug", "Bug", "Bug", "bug", "BUG"];

    public static List<LinearIssue> Generate(SandboxOrg org)
    {
        var random = org.RandomFor("linear");
        var numbers = org.TeamKeys.ToDictionary(key => key, _ => 0);
        var issues = new List<LinearIssue>(org.Sizes.LinearIssues);
        var history = org.Now - org.Start;

        foreach (var incident in org.Incidents)
        {
            // One or two urgent bugs filed from each war room within a few hours of it opening.
            var bugs = 1 + random.Next(2);
            for (var i = 0; i < bugs; i++)
            {
                var createdAt = incident.OpenedAt + TimeSpan.FromMinutes(10 + random.Next(6 * 60));
                if (createdAt >= org.Now)
                {
                    continue;
                }

                issues.Add(Lifecycle(org, random, numbers, createdAt, priority: 1, ["Bug"],
                    $"Incident {incident.Number}: {incident.Title} in {incident.Repository}", urgentBug: true));
            }
        }

        while (issues.Count < org.Sizes.LinearIssues)
        {
            var createdAt = org.Start + TimeSpan.FromMinutes(random.NextDouble() * history.TotalMinutes);
            var kind = random.Next(100);
            var area = Areas[random.Next(Areas.Length)];
            var (labels, title) = kind switch
            {
                < 30 => (new[] { BugSpellings[random.Next(BugSpellings.Length)] }, Pick(random, BugTemplates, area)),
                < 60 => (new[] { "Feature" }, Pick(random, FeatureTemplates, area)),
                < 85 => (new[] { "Improvement" }, Pick(random, ImprovementTemplates, area)),
                _ => (new[] { "Tech debt" }, Pick(random, DebtTemplates, area)),
            };
            if (random.Next(8) == 0)
            {
                labels = [.. labels, labels[0] == "Feature" ? "Improvement" : "Feature"];
            }

            var priority = random.Next(100) switch
            {
                < 15 => 0,
                < 19 => 1,
                < 45 => 2,
                < 80 => 3,
                _ => 4,
            };
            issues.Add(Lifecycle(org, random, numbers, createdAt, priority, labels, title, urgentBug: false));
        }

        return issues;
    }

    private static string Pick(Random random, string[] templates, string area)
    {
        var title = string.Format(CultureInfo.InvariantCulture, templates[random.Next(templates.Length)], area);
        return char.ToUpperInvariant(title[0]) + title[1..];
    }

    private static LinearIssue Lifecycle(
        SandboxOrg org, Random random, Dictionary<string, int> numbers, DateTimeOffset createdAt, int priority, string[] labels, string title, bool urgentBug)
    {
        var team = org.TeamKeys[random.Next(org.TeamKeys.Count)];
        var number = ++numbers[team];
        var identifier = $"{team}-{number}";
        DateTimeOffset? Past(DateTimeOffset at) => at < org.Now ? at : null;

        // Urgent bugs are picked up within hours and fixed within days; other work waits longer.
        var startedAt = Past(createdAt + (urgentBug
            ? TimeSpan.FromMinutes(5 + random.Next(4 * 60))
            : TimeSpan.FromHours(2 + random.Next(14 * 24))));
        var outcome = random.Next(100);
        var neverStarted = !urgentBug && outcome < 22;
        DateTimeOffset? completedAt = null;
        DateTimeOffset? canceledAt = null;
        if (neverStarted)
        {
            startedAt = null;
            if (outcome < 7)
            {
                canceledAt = Past(createdAt + TimeSpan.FromHours(12 + random.Next(30 * 24)));
            }
        }
        else if (startedAt is { } started)
        {
            // Urgent bugs are rarely dropped; other started work is canceled about one time in twenty.
            if (outcome < (urgentBug ? 5 : 27))
            {
                canceledAt = Past(started + TimeSpan.FromHours(1 + random.Next(10 * 24)));
            }
            else
            {
                completedAt = Past(started + (urgentBug
                    ? TimeSpan.FromMinutes(30 + random.Next(60 * 60))
                    : TimeSpan.FromHours(1 + random.Next(16 * 24))));
            }
        }

        // A few finished issues were reopened: Linear clears completedAt and moves them back to started.
        var reopened = completedAt is not null && random.Next(30) == 0;
        if (reopened)
        {
            completedAt = null;
        }

        var (stateType, stateName) = (completedAt, canceledAt, startedAt) switch
        {
            ({ }, _, _) => (LinearStateType.Completed, "Done"),
            (_, { }, _) => (LinearStateType.Canceled, random.Next(4) == 0 ? "Duplicate" : "Canceled"),
            (_, _, { }) => (LinearStateType.Started, random.Next(3) == 0 ? "In Review" : "In Progress"),
            _ => NotStarted(random),
        };

        var closedAt = completedAt ?? canceledAt;
        var archivedAt = closedAt is { } closed && random.Next(6) == 0 ? Past(closed + TimeSpan.FromDays(14 + random.Next(30))) : null;
        return new LinearIssue
        {
            Id = StableId.For($"issue:{org.Seed}:{identifier}"),
            Identifier = identifier,
            Title = title,
            TeamKey = team,
            Priority = priority,
            Labels = labels,
            StateType = stateType,
            StateName = stateName,
            CreatedAt = createdAt,
            StartedAt = startedAt,
            CompletedAt = completedAt,
            CanceledAt = canceledAt,
            ArchivedAt = archivedAt,
        };
    }

    private static (string Type, string Name) NotStarted(Random random) => random.Next(10) switch
    {
        < 2 => (LinearStateType.Triage, "Triage"),
        < 6 => (LinearStateType.Backlog, "Backlog"),
        _ => (LinearStateType.Unstarted, "Todo"),
    };
}

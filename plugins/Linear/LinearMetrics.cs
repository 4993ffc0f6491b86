using OkrHost.Contracts;

namespace OkrHost.Plugins.Linear;

/// <summary>PRODUCT.md 6.2 over a set of issues, for one period.</summary>
internal static class LinearMetrics
{
    public const string IssuesClosed = "linear.issues_closed";
    public const string IssuesCreated = "linear.issues_created";
    public const string IssuesCanceled = "linear.issues_canceled";
    public const string IssuesManaged = "linear.issues_managed";
    public const string UrgentBugsClosed = "linear.urgent_bugs_closed";
    public const string UrgentBugResolutionP50 = "linear.urgent_bug_resolution_hours.p50";
    public const string UrgentBugsOpen = "linear.urgent_bugs_open";
    public const string CycleTimeP50 = "linear.cycle_time_hours.p50";

    public static readonly IReadOnlyList<MetricDefinition> Catalogue =
    [
        new(IssuesClosed, "Issues closed", MetricUnit.Count, "Issues whose completedAt is in the period.") { HigherIsBetter = true },
        new(IssuesCreated, "Issues created", MetricUnit.Count, "Issues whose createdAt is in the period."),
        new(IssuesCanceled, "Issues canceled", MetricUnit.Count, "Issues whose canceledAt is in the period."),
        new(IssuesManaged, "Issues managed", MetricUnit.Count, "Distinct issues with any of createdAt, startedAt, completedAt, canceledAt in the period."),
        new(UrgentBugsClosed, "Urgent bugs closed", MetricUnit.Count, "Urgent (priority 1) issues labelled bugLabel with completedAt in the period.") { HigherIsBetter = true },
        new(UrgentBugResolutionP50, "Urgent bug resolution time (median)", MetricUnit.Hours, "Median of completedAt - createdAt over the urgent bugs closed in the period.") { HigherIsBetter = false },
        new(UrgentBugsOpen, "Urgent bugs open at period end", MetricUnit.Count, "Urgent bugs created before the period end and neither completed nor canceled before it.") { HigherIsBetter = false },
        new(CycleTimeP50, "Cycle time (median)", MetricUnit.Hours, "Median of completedAt - startedAt over the issues closed in the period that were started.") { HigherIsBetter = false },
    ];

    public static IReadOnlyList<MetricValue> Compute(IReadOnlyCollection<LinearIssue> issues, ReportPeriod period)
    {
        bool In(DateTimeOffset? at) => at is { } instant && period.Contains(instant);
        var closed = issues.Where(issue => In(issue.CompletedAt)).ToList();
        var urgentBugsClosed = closed.Where(issue => issue.IsUrgentBug).ToList();
        return
        [
            new(IssuesClosed, closed.Count),
            new(IssuesCreated, issues.Count(issue => In(issue.CreatedAt))),
            new(IssuesCanceled, issues.Count(issue => In(issue.CanceledAt))),
            new(IssuesManaged, issues.Count(issue => In(issue.CreatedAt) || In(issue.StartedAt) || In(issue.CompletedAt) || In(issue.CanceledAt))),
            new(UrgentBugsClosed, urgentBugsClosed.Count),
            MetricValue.Median(UrgentBugResolutionP50, urgentBugsClosed.Select(ResolutionHours).ToArray()),
            new(UrgentBugsOpen, issues.Count(issue => issue.IsUrgentBugOpenAt(period.To))),
            MetricValue.Median(CycleTimeP50, closed.Where(issue => issue.StartedAt is not null)
                .Select(issue => (issue.CompletedAt!.Value - issue.StartedAt!.Value).TotalHours).ToArray()),
        ];
    }

    public static double ResolutionHours(LinearIssue issue) => (issue.CompletedAt!.Value - issue.CreatedAt).TotalHours;
}

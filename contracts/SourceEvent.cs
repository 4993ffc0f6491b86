namespace OkrHost.Contracts;

/// <summary>
/// A typed fact from one source that host-level analyzers combine with facts from other sources
/// (a war room attributed to the deployment before it). Times are UTC.
/// </summary>
public abstract record SourceEvent;

/// <summary>Outcome of a deployment.</summary>
public enum DeploymentOutcome
{
    /// <summary>Deployed successfully.</summary>
    Success,
    /// <summary>Failed (GitHub status <c>failure</c> or <c>error</c>).</summary>
    Failure,
}

/// <summary>A production deployment that succeeded or failed.</summary>
/// <param name="Repository">Repository, e.g. <c>acme/api</c>.</param>
/// <param name="Environment">Deployment environment.</param>
/// <param name="Sha">Deployed commit.</param>
/// <param name="At">Deployed at (first success) or failed at.</param>
/// <param name="Outcome">Success or failure.</param>
public sealed record DeploymentEvent(string Repository, string Environment, string Sha, DateTimeOffset At, DeploymentOutcome Outcome) : SourceEvent
{
    /// <summary>Link to the deployment or run, when known.</summary>
    public string? Url { get; init; }
}

/// <summary>An incident, e.g. a war-room channel: opened, and closed when archived.</summary>
/// <param name="Id">Service id of the incident.</param>
/// <param name="Name">Name shown in tables.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="ClosedAt">When it was closed; <c>null</c> while open.</param>
public sealed record IncidentEvent(string Id, string Name, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt) : SourceEvent;

/// <summary>A work item (issue) and its lifecycle times.</summary>
/// <param name="Id">Identifier, e.g. <c>ENG-123</c>.</param>
/// <param name="Title">Title.</param>
/// <param name="Team">Team key.</param>
/// <param name="CreatedAt">Created.</param>
/// <param name="StartedAt">Started, if it was.</param>
/// <param name="CompletedAt">Completed, if it was.</param>
/// <param name="CanceledAt">Canceled, if it was.</param>
/// <param name="Priority">0 none, 1 urgent, 2 high, 3 medium, 4 low.</param>
/// <param name="IsBug">Whether it carries the bug label.</param>
public sealed record WorkItemEvent(
    string Id,
    string Title,
    string Team,
    DateTimeOffset CreatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt,
    int Priority,
    bool IsBug) : SourceEvent;

/// <summary>A postmortem document.</summary>
/// <param name="Id">Service id.</param>
/// <param name="Title">Title.</param>
/// <param name="CreatedAt">When it was created.</param>
public sealed record PostmortemEvent(string Id, string Title, DateTimeOffset CreatedAt) : SourceEvent;

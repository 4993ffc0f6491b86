namespace OkrHost.Contracts.Dora;

/// <summary>Outcome of a deployment.</summary>
public enum DeploymentOutcome
{
    /// <summary>Deployed successfully.</summary>
    Success,
    /// <summary>Failed (GitHub status <c>failure</c> or <c>error</c>).</summary>
    Failure,
}

/// <summary>
/// A production deployment that succeeded or failed. A shared kind: host analyzers (DORA) take
/// deployments from every source that emits them, whatever its id.
/// </summary>
/// <param name="Id">Stable id, e.g. <c>acme/api#123</c>.</param>
/// <param name="Repository">Repository or service deployed, e.g. <c>acme/api</c>.</param>
/// <param name="Environment">Deployment environment.</param>
/// <param name="Sha">Deployed commit.</param>
/// <param name="At">Deployed at (first success) or failed at.</param>
/// <param name="Outcome">Success or failure.</param>
[FactKind("deployment")]
public record DeploymentFact(string Id, string Repository, string Environment, string Sha, DateTimeOffset At, DeploymentOutcome Outcome) : Fact(Id)
{
    /// <summary>Link to the deployment or run, when known.</summary>
    public string? Url { get; init; }
}

/// <summary>
/// An incident (a war-room channel, a page that became an incident): opened, and closed when resolved.
/// A shared kind: DORA's change failure rate attributes incidents of every source chosen by
/// <c>dora.incidentSources</c> to the deployment before them.
/// </summary>
/// <param name="Id">Service id of the incident.</param>
/// <param name="Name">Name shown in tables.</param>
/// <param name="OpenedAt">When it was opened.</param>
/// <param name="ClosedAt">When it was closed; <c>null</c> while open (or when the close time is unknown).</param>
[FactKind("incident")]
public record IncidentFact(string Id, string Name, DateTimeOffset OpenedAt, DateTimeOffset? ClosedAt) : Fact(Id);

/// <summary>A postmortem document. A shared kind: DORA's postmortem coverage counts them.</summary>
/// <param name="Id">Service id.</param>
/// <param name="Title">Title.</param>
/// <param name="CreatedAt">When it was created.</param>
[FactKind("postmortem")]
public record PostmortemFact(string Id, string Title, DateTimeOffset CreatedAt) : Fact(Id)
{
    /// <summary>Link to the document, when known.</summary>
    public string? Url { get; init; }
}

/// <summary>
/// A change (commit) that reached production with a deployment. A shared kind: DORA's lead time is the
/// median of <see cref="LeadTimeHours"/> over the changes deployed in the window.
/// </summary>
/// <param name="Id">Stable id, unique per deployment and commit, e.g. <c>acme/api#123/1f2e3d4</c>.</param>
/// <param name="Repository">Repository of the commit.</param>
/// <param name="Sha">The commit.</param>
/// <param name="AuthoredAt">The commit's author date.</param>
/// <param name="DeployedAt">When the deployment that brought it succeeded.</param>
[FactKind("change")]
public record ChangeFact(string Id, string Repository, string Sha, DateTimeOffset AuthoredAt, DateTimeOffset DeployedAt) : Fact(Id)
{
    /// <summary>First line of the commit message.</summary>
    public string Subject { get; init; } = "";

    /// <summary>Link to the commit, when known.</summary>
    public string? Url { get; init; }

    /// <summary>Deployed at − authored at, in hours.</summary>
    public double LeadTimeHours => (DeployedAt - AuthoredAt).TotalHours;
}

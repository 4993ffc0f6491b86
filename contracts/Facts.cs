namespace OkrHost.Contracts;

/// <summary>
/// One record a source's collection found: a deployment, an issue, a war room, or a reading taken
/// "now". Facts are what the host stores, ships between machines in facts bundles and merges, so a
/// fact must be a plain JSON-serializable record: public properties (or a positional constructor)
/// of JSON-friendly types, no references to clients or services.
/// </summary>
/// <remarks>
/// <para>Each fact type is a kind; declare it in <see cref="ISourcePlugin.FactTypes"/> and name it with
/// <see cref="FactKindAttribute"/> (the name is written into JSON, so never rename a shipped kind).</para>
/// <para>Facts of one kind merge by <see cref="Id"/>: when two collections (shards, incremental runs)
/// both hold a record, the one with the later <see cref="UpdatedAt"/> wins, and on a tie the one from
/// the later collection. So the id must name the same thing in every collection (the service's id,
/// not a list position), and a reading taken "now" uses one fixed id so that the newest replaces the
/// older ones.</para>
/// </remarks>
/// <param name="Id">Stable id, unique among the source's facts of this kind.</param>
public abstract record Fact(string Id)
{
    /// <summary>
    /// When the service last changed the record, or when it was collected if the service does not say;
    /// decides which record wins a merge.
    /// </summary>
    public DateTimeOffset UpdatedAt { get; init; }
}

/// <summary>Names a fact kind in JSON: <c>[FactKind("slack.war-room")]</c>. Prefix a plugin's own kinds with its source id.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class FactKindAttribute(string name) : Attribute
{
    /// <summary>The kind's name in JSON.</summary>
    public string Name { get; } = name;
}

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

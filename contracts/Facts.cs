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

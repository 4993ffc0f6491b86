using OkrHost.Contracts;

namespace OkrHost.Plugins.Notion;

/// <summary>A postmortem page that was archived or trashed: not counted, only remarked on.</summary>
/// <param name="Id">The page's id.</param>
/// <param name="CreatedAt">When it was created.</param>
[FactKind("notion.deleted-postmortem")]
public sealed record DeletedPostmortemFact(string Id, DateTimeOffset CreatedAt) : Fact(Id);

/// <summary>The postmortem database was read, so a count of none means none (not "not configured").</summary>
/// <param name="Id">The database's id.</param>
[FactKind("notion.postmortem-database")]
public sealed record PostmortemSearchFact(string Id) : Fact(Id);

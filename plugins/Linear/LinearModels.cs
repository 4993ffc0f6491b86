using System.Text.Json;

namespace OkrHost.Plugins.Linear;

internal sealed record GraphQLRequest(string Query, string OperationName, IReadOnlyDictionary<string, object?> Variables);

// Either member may be absent from an answer: the only optional parameters of the models below.
internal sealed record GraphQLResponse<T>(T? Data = default, IReadOnlyList<GraphQLError>? Errors = null);

internal sealed record GraphQLError(string? Message = null, GraphQLErrorExtensions? Extensions = null, IReadOnlyList<JsonElement>? Path = null)
{
    public string? Code => Extensions?.Code;

    public override string ToString()
    {
        var text = Extensions?.UserPresentableMessage is { Length: > 0 } detail && detail != Message ? $"{Message}: {detail}" : Message ?? "(no message)";
        var where = Path is { Count: > 0 } ? $" at {string.Join('.', Path.Select(p => p.ToString()))}" : "";
        return Code is null ? text + where : $"{text}{where} ({Code})";
    }
}

internal sealed record GraphQLErrorExtensions(string? Code = null, string? UserPresentableMessage = null);

internal sealed record IssuesData(IssueConnection Issues);

internal sealed record IssueConnection(IReadOnlyList<IssueNode> Nodes, PageInfo PageInfo);

internal sealed record PageInfo(bool HasNextPage, string? EndCursor);

internal sealed record IssueNode(
    string Id,
    string Identifier,
    string Title,
    string Url,
    double Priority,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? StartedAt,
    DateTimeOffset? CompletedAt,
    DateTimeOffset? CanceledAt,
    DateTimeOffset? ArchivedAt,
    TeamNode Team,
    LabelConnection Labels,
    StateNode State);

internal sealed record TeamNode(string Key);

internal sealed record LabelConnection(IReadOnlyList<LabelNode> Nodes);

internal sealed record LabelNode(string Name);

internal sealed record StateNode(string Type, string Name);

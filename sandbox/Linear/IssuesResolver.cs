using System.Text.Json;
using GraphQL;

namespace OkrHost.Sandbox.Linear;

/// <summary>What one execution sees: the emulator's issues and clock (the execution's root value).</summary>
internal sealed class LinearExecutionRoot(LinearData data, DateTimeOffset now)
{
    public IReadOnlyList<LinearIssue> Select(IDictionary<string, object?>? filter, bool includeArchived, bool byUpdatedAt) =>
        data.Selection($"{includeArchived}|{byUpdatedAt}|{JsonSerializer.Serialize(filter)}", issues =>
            IssuesResolver.Select(issues, filter, includeArchived, now)
                .OrderBy(issue => byUpdatedAt ? issue.UpdatedAt : issue.CreatedAt)
                .ThenBy(issue => issue.Id, StringComparer.Ordinal)
                .ToList());
}

/// <summary>
/// <c>Query.issues</c>: filter, order, and forward cursor pagination (the cursor is the last node's id),
/// as Linear serves it: 50 per page by default, at most 250, archived issues only when asked for.
/// </summary>
internal static class IssuesResolver
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 250;

    public static object Resolve(IResolveFieldContext context)
    {
        var root = (LinearExecutionRoot)context.RootValue!;
        if (context.GetArgument<int?>("last") is not null || context.GetArgument<string?>("before") is not null)
        {
            throw new ExecutionError("The OkrHost sandbox serves forward pagination (first/after) only.") { Code = "INVALID_INPUT" };
        }

        var first = context.GetArgument<int?>("first") ?? DefaultPageSize;
        if (first is < 0 or > MaxPageSize)
        {
            // Linear's answer to a page size out of range.
            throw new ExecutionError("Argument Validation Error")
            {
                Code = "INVALID_INPUT",
                Data = { ["userPresentableMessage"] = $"first must be between 0 and {MaxPageSize}." },
            };
        }

        var includeArchived = context.GetArgument<bool?>("includeArchived") ?? false;
        var byUpdatedAt = context.GetArgument<object?>("orderBy")?.ToString() == "updatedAt";
        var filter = context.GetArgument<object?>("filter") as IDictionary<string, object?>;
        var ordered = root.Select(filter, includeArchived, byUpdatedAt);

        var start = 0;
        if (context.GetArgument<string?>("after") is { } after)
        {
            var index = IndexOf(ordered, after);
            if (index < 0)
            {
                throw new ExecutionError("Argument Validation Error")
                {
                    Code = "INVALID_INPUT",
                    Data = { ["userPresentableMessage"] = "The cursor given in after is not valid for this query." },
                };
            }

            start = index + 1;
        }

        var page = ordered.Skip(start).Take(first).Select(issue => new IssueNode(issue)).ToArray();
        var edges = page.Select(node => new EdgeNode<IssueNode>(node.Id, node)).ToArray();
        var pageInfo = new PageInfoNode(
            HasNextPage: start + page.Length < ordered.Count,
            HasPreviousPage: start > 0,
            StartCursor: page.FirstOrDefault()?.Id,
            EndCursor: page.LastOrDefault()?.Id);
        return new Connection<IssueNode>(page, edges, pageInfo);
    }

    private static int IndexOf(IReadOnlyList<LinearIssue> issues, string id)
    {
        for (var i = 0; i < issues.Count; i++)
        {
            if (issues[i].Id == id)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The issues a query's filter selects.</summary>
    public static IEnumerable<LinearIssue> Select(IEnumerable<LinearIssue> issues, IDictionary<string, object?>? filter, bool includeArchived, DateTimeOffset now)
    {
        var evaluator = new IssueFilterEvaluator(now);
        return issues.Where(issue => (includeArchived || issue.ArchivedAt is null) && (filter is null || evaluator.Matches(issue, filter)));
    }
}

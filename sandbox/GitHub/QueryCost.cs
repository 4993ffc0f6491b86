using GraphQL;
using GraphQLParser.AST;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// GitHub's static measure of a query before it runs: every connection is assumed to return its full
/// <c>first</c>/<c>last</c>. Nodes multiply down nested connections (the ceiling is 500,000); the cost in
/// points is the number of connection requests needed ÷ 100, rounded, at least 1.
/// </summary>
internal readonly record struct QueryCost(long Nodes, long Requests, int LargestPage)
{
    /// <summary>Most nodes one query may ask for.</summary>
    public const long NodeLimit = 500_000;

    public int Points => (int)Math.Max(1, Math.Round(Requests / 100.0, MidpointRounding.AwayFromZero));

    public static QueryCost Measure(GraphQLDocument document, string? operationName, Inputs? variables)
    {
        var fragments = document.Definitions.OfType<GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue, StringComparer.Ordinal);
        var operation = document.Definitions.OfType<GraphQLOperationDefinition>()
            .FirstOrDefault(o => operationName is null || o.Name?.StringValue == operationName);
        var cost = new QueryCost(0, 0, 0);
        if (operation is not null)
        {
            Walk(operation.SelectionSet, 1, []);
        }

        return cost;

        void Walk(GraphQLSelectionSet? selections, long multiplier, HashSet<string> expanding)
        {
            foreach (var selection in selections?.Selections ?? [])
            {
                switch (selection)
                {
                    case GraphQLField field:
                        var page = PageSize(field, variables);
                        if (page is { } size)
                        {
                            cost = new QueryCost(cost.Nodes + multiplier * size, cost.Requests + multiplier, Math.Max(cost.LargestPage, size));
                            Walk(field.SelectionSet, multiplier * size, expanding);
                        }
                        else
                        {
                            Walk(field.SelectionSet, multiplier, expanding);
                        }

                        break;
                    case GraphQLFragmentSpread spread when fragments.TryGetValue(spread.FragmentName.Name.StringValue, out var fragment) && expanding.Add(fragment.FragmentName.Name.StringValue):
                        Walk(fragment.SelectionSet, multiplier, expanding);
                        expanding.Remove(fragment.FragmentName.Name.StringValue);
                        break;
                    case GraphQLInlineFragment inline:
                        Walk(inline.SelectionSet, multiplier, expanding);
                        break;
                }
            }
        }
    }

    private static int? PageSize(GraphQLField field, Inputs? variables)
    {
        foreach (var argument in field.Arguments?.Items ?? [])
        {
            if (argument.Name.StringValue is not ("first" or "last"))
            {
                continue;
            }

            var value = argument.Value switch
            {
                GraphQLIntValue literal => int.TryParse(literal.Value.Span, out var n) ? n : (int?)null,
                GraphQLVariable variable when variables is not null && variables.TryGetValue(variable.Name.StringValue, out var given) && given is not null =>
                    Convert.ToInt32(given, System.Globalization.CultureInfo.InvariantCulture),
                _ => null,
            };
            if (value is { } size)
            {
                return size;
            }
        }

        return null;
    }
}

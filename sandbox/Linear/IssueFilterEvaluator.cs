using System.Collections;
using System.Globalization;
using GraphQL;

namespace OkrHost.Sandbox.Linear;

/// <summary>
/// Applies an <c>IssueFilter</c> (already coerced by GraphQL.NET into dictionaries and lists) to an issue,
/// with Linear's semantics: every key of one filter object must match, <c>and</c>/<c>or</c> combine
/// filters, comparators never match a missing value except <c>null: true</c>. Filter fields the emulator
/// does not model are answered with an error rather than silently ignored.
/// </summary>
internal sealed class IssueFilterEvaluator(DateTimeOffset now)
{
    // The same few instants are compared against every issue: parse each once.
    private readonly Dictionary<string, DateTimeOffset> _instants = new(StringComparer.Ordinal);

    public bool Matches(LinearIssue issue, IDictionary<string, object?> filter)
    {
        foreach (var (key, value) in filter)
        {
            if (value is null)
            {
                continue;
            }

            var matches = key switch
            {
                "and" => Filters(value).All(f => Matches(issue, f)),
                "or" => Filters(value).Any(f => Matches(issue, f)),
                "createdAt" => Date(issue.CreatedAt, value),
                "updatedAt" => Date(issue.UpdatedAt, value),
                "startedAt" => Date(issue.StartedAt, value),
                "completedAt" => Date(issue.CompletedAt, value),
                "canceledAt" => Date(issue.CanceledAt, value),
                "archivedAt" => Date(issue.ArchivedAt, value),
                "priority" => Number(issue.Priority, value),
                "title" => String(issue.Title, value),
                "team" => Team(issue.TeamKey, Object(value)),
                "state" => State(issue, Object(value)),
                "labels" => Labels(issue.Labels, Object(value)),
                _ => throw Unsupported("IssueFilter", key),
            };
            if (!matches)
            {
                return false;
            }
        }

        return true;
    }

    private bool Team(string teamKey, IDictionary<string, object?> filter) => filter.All(pair => pair.Value is null || pair.Key switch
    {
        "key" or "name" => String(teamKey, pair.Value),
        "and" => Filters(pair.Value).All(f => Team(teamKey, f)),
        "or" => Filters(pair.Value).Any(f => Team(teamKey, f)),
        _ => throw Unsupported("TeamFilter", pair.Key),
    });

    private bool State(LinearIssue issue, IDictionary<string, object?> filter) => filter.All(pair => pair.Value is null || pair.Key switch
    {
        "type" => String(issue.StateType, pair.Value),
        "name" => String(issue.StateName, pair.Value),
        "and" => Filters(pair.Value).All(f => State(issue, f)),
        "or" => Filters(pair.Value).Any(f => State(issue, f)),
        _ => throw Unsupported("WorkflowStateFilter", pair.Key),
    });

    private bool Labels(IReadOnlyList<string> labels, IDictionary<string, object?> filter) => filter.All(pair => pair.Value is null || pair.Key switch
    {
        "some" => labels.Any(label => Label(label, Object(pair.Value))),
        "every" => labels.All(label => Label(label, Object(pair.Value))),
        "null" => (labels.Count == 0) == (bool)pair.Value,
        "length" => Number(labels.Count, pair.Value),
        "and" => Filters(pair.Value).All(f => Labels(labels, f)),
        "or" => Filters(pair.Value).Any(f => Labels(labels, f)),
        _ => throw Unsupported("IssueLabelCollectionFilter", pair.Key),
    });

    private bool Label(string name, IDictionary<string, object?> filter) => filter.All(pair => pair.Value is null || pair.Key switch
    {
        "name" => String(name, pair.Value),
        "and" => Filters(pair.Value).All(f => Label(name, f)),
        "or" => Filters(pair.Value).Any(f => Label(name, f)),
        _ => throw Unsupported("IssueLabelFilter", pair.Key),
    });

    private bool Date(DateTimeOffset? actual, object comparator) => Compare(actual, Object(comparator), "DateComparator", Instant);

    private DateTimeOffset Instant(object value)
    {
        var text = (string)value;
        if (!_instants.TryGetValue(text, out var at))
        {
            at = LinearTime.TryParse(text, now, out var parsed)
                ? parsed
                : throw new ExecutionError($"Invalid date: {text}") { Code = "INVALID_INPUT" };
            _instants[text] = at;
        }

        return at;
    }

    private static bool Number(double actual, object comparator) =>
        Compare<double>(actual, Object(comparator), "NumberComparator", value => Convert.ToDouble(value, CultureInfo.InvariantCulture));

    private static bool Compare<T>(T? actual, IDictionary<string, object?> comparator, string type, Func<object, T> convert)
        where T : struct, IComparable<T> =>
        comparator.All(pair =>
        {
            if (pair.Value is null)
            {
                return true;
            }

            if (pair.Key == "null")
            {
                return actual.HasValue != (bool)pair.Value;
            }

            // SQL semantics, as Linear's database has them: a missing value matches no comparison.
            if (actual is not { } value)
            {
                return false;
            }

            return pair.Key switch
            {
                "eq" => value.CompareTo(convert(pair.Value)) == 0,
                "neq" => value.CompareTo(convert(pair.Value)) != 0,
                "gt" => value.CompareTo(convert(pair.Value)) > 0,
                "gte" => value.CompareTo(convert(pair.Value)) >= 0,
                "lt" => value.CompareTo(convert(pair.Value)) < 0,
                "lte" => value.CompareTo(convert(pair.Value)) <= 0,
                "in" => List(pair.Value).Any(item => value.CompareTo(convert(item!)) == 0),
                "nin" => List(pair.Value).All(item => value.CompareTo(convert(item!)) != 0),
                _ => throw Unsupported(type, pair.Key),
            };
        });

    private static bool String(string actual, object comparator) => Object(comparator).All(pair => pair.Value is null || pair.Key switch
    {
        "eq" => actual == (string)pair.Value,
        "neq" => actual != (string)pair.Value,
        "eqIgnoreCase" => string.Equals(actual, (string)pair.Value, StringComparison.OrdinalIgnoreCase),
        "neqIgnoreCase" => !string.Equals(actual, (string)pair.Value, StringComparison.OrdinalIgnoreCase),
        "in" => List(pair.Value).Contains(actual),
        "nin" => !List(pair.Value).Contains(actual),
        "contains" => actual.Contains((string)pair.Value, StringComparison.Ordinal),
        "containsIgnoreCase" => actual.Contains((string)pair.Value, StringComparison.OrdinalIgnoreCase),
        "notContains" => !actual.Contains((string)pair.Value, StringComparison.Ordinal),
        "notContainsIgnoreCase" => !actual.Contains((string)pair.Value, StringComparison.OrdinalIgnoreCase),
        "startsWith" => actual.StartsWith((string)pair.Value, StringComparison.Ordinal),
        "startsWithIgnoreCase" => actual.StartsWith((string)pair.Value, StringComparison.OrdinalIgnoreCase),
        "notStartsWith" => !actual.StartsWith((string)pair.Value, StringComparison.Ordinal),
        "endsWith" => actual.EndsWith((string)pair.Value, StringComparison.Ordinal),
        "notEndsWith" => !actual.EndsWith((string)pair.Value, StringComparison.Ordinal),
        _ => throw Unsupported("StringComparator", pair.Key),
    });

    private static IDictionary<string, object?> Object(object value) =>
        value as IDictionary<string, object?> ?? throw new ExecutionError("Argument Validation Error: expected an input object") { Code = "INVALID_INPUT" };

    private static IEnumerable<IDictionary<string, object?>> Filters(object value) => List(value).Select(item => Object(item!));

    private static IEnumerable<object?> List(object value) => value is IEnumerable items and not string
        ? items.Cast<object?>()
        : [value];

    private static ExecutionError Unsupported(string type, string key) =>
        new($"The OkrHost sandbox does not emulate {type}.{key}; only the filters the Linear plugin sends are served.") { Code = "INVALID_INPUT" };
}

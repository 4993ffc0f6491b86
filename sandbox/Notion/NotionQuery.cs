using System.Globalization;
using System.Text.Json.Nodes;

namespace OkrHost.Sandbox.Notion;

/// <summary>A Notion API error answer: <c>{object:"error", status, code, message}</c>.</summary>
internal sealed class NotionApiError(int status, string code, string message) : Exception(message)
{
    public int Status { get; } = status;

    public string Code { get; } = code;

    public static NotionApiError Validation(string message) => new(400, "validation_error", message);
}

/// <summary>
/// The filter and sort part of <c>POST /v1/databases/{id}/query</c>: timestamp filters, property
/// filters on title, rich_text, select and number, compound <c>and</c>/<c>or</c>, and sorts.
/// </summary>
internal static class NotionQuery
{
    private static readonly string[] Timestamps = ["created_time", "last_edited_time"];

    public static Func<NotionPage, bool> Filter(JsonNode? filter, NotionDatabase database)
    {
        if (filter is null)
        {
            return _ => true;
        }

        if (filter is not JsonObject node)
        {
            throw NotionApiError.Validation("body failed validation: body.filter should be an object.");
        }

        foreach (var compound in (string[])["and", "or"])
        {
            if (node[compound] is { } list)
            {
                if (list is not JsonArray items)
                {
                    throw NotionApiError.Validation($"body failed validation: body.filter.{compound} should be an array.");
                }

                var parts = items.Select(item => Filter(item, database)).ToArray();
                return compound == "and" ? page => parts.All(p => p(page)) : page => parts.Any(p => p(page));
            }
        }

        if ((string?)node["timestamp"] is { } timestamp)
        {
            if (!Timestamps.Contains(timestamp))
            {
                throw NotionApiError.Validation($"body failed validation: body.filter.timestamp should be `\"created_time\"` or `\"last_edited_time\"`, instead was `\"{timestamp}\"`.");
            }

            var condition = DateCondition(node[timestamp] as JsonObject, $"body.filter.{timestamp}");
            return page => condition(timestamp == "created_time" ? page.CreatedTime : page.LastEditedTime ?? page.CreatedTime);
        }

        if ((string?)node["property"] is { } property)
        {
            if (!database.Schema.TryGetValue(property, out _))
            {
                throw NotionApiError.Validation($"Could not find property with name or id: {property}");
            }

            return PropertyFilter(node, property);
        }

        throw NotionApiError.Validation("body failed validation: body.filter should define either `property`, `timestamp`, `and` or `or`.");
    }

    public static IEnumerable<NotionPage> Sort(IEnumerable<NotionPage> pages, JsonNode? sorts, NotionDatabase database)
    {
        // OrderBy on a constant keeps the input order and lets every requested sort chain with ThenBy;
        // after them come creation time and id, so an unsorted query is oldest first and cursors are stable.
        var ordered = pages.OrderBy(_ => 0);
        if (sorts is not null)
        {
            if (sorts is not JsonArray items)
            {
                throw NotionApiError.Validation("body failed validation: body.sorts should be an array.");
            }

            foreach (var sort in items)
            {
                var descending = (string?)sort?["direction"] switch
                {
                    "ascending" or null => false,
                    "descending" => true,
                    var other => throw NotionApiError.Validation($"body failed validation: body.sorts[0].direction should be `\"ascending\"` or `\"descending\"`, instead was `\"{other}\"`."),
                };
                Func<NotionPage, IComparable?> key;
                if ((string?)sort?["timestamp"] is { } timestamp && Timestamps.Contains(timestamp))
                {
                    key = timestamp == "created_time" ? p => p.CreatedTime : p => p.LastEditedTime ?? p.CreatedTime;
                }
                else if ((string?)sort?["property"] is { } property)
                {
                    if (!database.Schema.ContainsKey(property))
                    {
                        throw NotionApiError.Validation($"Could not find sort property with name or id: {property}");
                    }

                    key = p => SortKey(p.Properties.GetValueOrDefault(property));
                }
                else
                {
                    throw NotionApiError.Validation("body failed validation: body.sorts[0] should define `property` or `timestamp`.");
                }

                ordered = descending ? ordered.ThenByDescending(key) : ordered.ThenBy(key);
            }
        }

        return ordered.ThenBy(p => p.CreatedTime).ThenBy(p => p.Id, StringComparer.Ordinal);
    }

    private static Func<NotionPage, bool> PropertyFilter(JsonObject node, string property)
    {
        foreach (var type in (string[])["title", "rich_text", "select", "number"])
        {
            if (node[type] is not JsonObject condition)
            {
                continue;
            }

            var (op, operand) = condition.Single();
            Func<JsonObject?, bool> test = (type, op) switch
            {
                (_, "is_empty") => value => IsEmpty(value),
                (_, "is_not_empty") => value => !IsEmpty(value),
                ("number", "equals") => value => (double?)value?["number"] == (double?)operand,
                ("number", "greater_than") => value => (double?)value?["number"] > (double?)operand,
                ("number", "less_than") => value => (double?)value?["number"] < (double?)operand,
                ("select", "equals") => value => (string?)value?["select"]?["name"] == (string?)operand,
                ("select", "does_not_equal") => value => (string?)value?["select"]?["name"] != (string?)operand,
                (_, "equals") => value => value is not null && NotionValue.PlainText(value) == (string?)operand,
                (_, "contains") => value => value is not null && NotionValue.PlainText(value).Contains((string?)operand ?? "", StringComparison.OrdinalIgnoreCase),
                _ => throw NotionApiError.Validation($"body failed validation: body.filter.{type}.{op} is not a supported condition."),
            };
            return page => test(page.Properties.GetValueOrDefault(property));
        }

        throw NotionApiError.Validation($"body failed validation: body.filter for property {property} should define a condition.");
    }

    private static bool IsEmpty(JsonObject? value) => value?[(string)value["type"]!] switch
    {
        null => true,
        JsonArray array => array.Count == 0,
        _ => false,
    };

    private static IComparable? SortKey(JsonObject? value) => value?[(string)value["type"]!] switch
    {
        null => null,
        JsonArray => NotionValue.PlainText(value),
        JsonObject select => (string?)select["name"],
        JsonValue scalar when scalar.TryGetValue<double>(out var number) => number,
        var other => other.ToString(),
    };

    private static Func<DateTimeOffset, bool> DateCondition(JsonObject? condition, string path)
    {
        if (condition is null || condition.Count != 1)
        {
            throw NotionApiError.Validation($"body failed validation: {path} should define exactly one condition.");
        }

        var (op, operand) = condition.Single();
        if (op is "is_empty" or "is_not_empty")
        {
            return _ => op == "is_not_empty";
        }

        if ((string?)operand is not { } text || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            throw NotionApiError.Validation($"body failed validation: {path}.{op} should be a valid ISO 8601 date string, instead was `{operand?.ToJsonString()}`.");
        }

        var dateOnly = text.Length == 10;
        return op switch
        {
            "on_or_after" => t => t >= at,
            "after" => dateOnly ? t => t >= at.AddDays(1) : t => t > at,
            "before" => t => t < at,
            "on_or_before" => dateOnly ? t => t < at.AddDays(1) : t => t <= at,
            "equals" => dateOnly ? t => t >= at && t < at.AddDays(1) : t => t == at,
            _ => throw NotionApiError.Validation($"body failed validation: {path}.{op} is not a supported date condition."),
        };
    }
}

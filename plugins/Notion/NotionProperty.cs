using System.Text.Json;

namespace OkrHost.Plugins.Notion;

/// <summary>Reading property value objects of API version 2022-06-28.</summary>
internal static class NotionProperty
{
    /// <summary>The value's <c>type</c>, or null when the object has none.</summary>
    public static string? Type(JsonElement value) =>
        value.ValueKind == JsonValueKind.Object && value.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;

    /// <summary>The concatenated <c>plain_text</c> of a title or rich_text value.</summary>
    public static string PlainText(JsonElement value)
    {
        if (Type(value) is not { } type || !value.TryGetProperty(type, out var parts) || parts.ValueKind != JsonValueKind.Array)
        {
            return "";
        }

        return string.Concat(parts.EnumerateArray()
            .Select(part => part.TryGetProperty("plain_text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : ""))
            .Trim();
    }

    /// <summary>
    /// The text a person reads in the cell: title and rich_text as text, a select's or status's option name,
    /// people's names joined by commas. Empty when the cell is empty.
    /// </summary>
    public static string Text(JsonElement value)
    {
        var type = Type(value);
        if (type is "title" or "rich_text")
        {
            return PlainText(value);
        }

        if (type is null || !value.TryGetProperty(type, out var content))
        {
            return "";
        }

        return type switch
        {
            "select" or "status" when content.ValueKind == JsonValueKind.Object
                && content.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String => name.GetString()!.Trim(),
            "people" when content.ValueKind == JsonValueKind.Array => string.Join(", ", content.EnumerateArray()
                .Select(user => user.TryGetProperty("name", out var person) && person.ValueKind == JsonValueKind.String ? person.GetString() : null)
                .Where(person => !string.IsNullOrWhiteSpace(person))),
            _ => "",
        };
    }

    /// <summary>A number value's number, or null when empty.</summary>
    public static double? Number(JsonElement value) =>
        value.TryGetProperty("number", out var number) && number.ValueKind == JsonValueKind.Number ? number.GetDouble() : null;
}

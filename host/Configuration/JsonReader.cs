using OkrHost.Contracts;
using System.Text.Json;

namespace OkrHost.Configuration;

/// <summary>
/// Reads typed values out of a parsed input file and records, instead of throwing, every value of the
/// wrong type with its file and JSON path, so one run lists every problem at once.
/// </summary>
internal sealed class JsonReader(string file, List<Problem> problems)
{
    public static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    public string File => file;

    public void Error(string path, string message) => problems.Add(Problem.Error(file, path, message));

    public void Warning(string path, string message) => problems.Add(Problem.Warning(file, path, message));

    /// <summary>The object at <paramref name="key"/>, or null (with a problem when present but not an object).</summary>
    public JsonElement? Object(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            Error(path, "must be an object");
            return null;
        }

        return value;
    }

    public string? String(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            Error(path, "must be a string");
            return null;
        }

        return value.GetString();
    }

    public bool? Boolean(JsonElement parent, string key, string path)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            Error(path, "must be true or false");
            return null;
        }

        return value.GetBoolean();
    }

    public double? Number(JsonElement parent, string key, string path, bool required = false)
    {
        if (!parent.TryGetProperty(key, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                Error(path, "is required (a number)");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Number || !double.IsFinite(value.GetDouble()))
        {
            Error(path, "must be a number");
            return null;
        }

        return value.GetDouble();
    }

    /// <summary>A number that must be greater than zero.</summary>
    public double? Positive(JsonElement parent, string key, string path)
    {
        var number = Number(parent, key, path);
        if (number is <= 0)
        {
            Error(path, "must be greater than 0");
            return null;
        }

        return number;
    }

    /// <summary>
    /// A key any object of an input file may carry to explain itself (JSON has no comments; the files
    /// <c>okrhost init</c> writes use it). Never read, never a warning.
    /// </summary>
    public const string CommentKey = UnknownKeys.CommentKey;

    /// <summary>Every key of <paramref name="obj"/> not in <paramref name="known"/>: an error when it is a near-miss of a known one, else a warning.</summary>
    public void CheckUnknownKeys(JsonElement obj, string path, IReadOnlyCollection<string> known)
    {
        foreach (var property in obj.EnumerateObject().Where(p => !known.Contains(p.Name)))
        {
            if (UnknownKeys.Check(file, $"{path}.{property.Name}", property.Name, known) is { } problem)
            {
                problems.Add(problem);
            }
        }
    }
}

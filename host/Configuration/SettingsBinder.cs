using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OkrHost.Contracts;

namespace OkrHost.Configuration;

/// <summary>
/// Binds a source's entry of plugins.json to its plugin's settings type, once, key by key, so that every
/// value of the wrong type and every unknown key is reported, not just the first.
/// </summary>
public static class SettingsBinder
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>
    /// A new instance of <paramref name="settingsType"/> with every key of <paramref name="json"/> that it
    /// declares; the keys the host owns (<see cref="SourceSettings.CommonKeys"/>) are skipped.
    /// </summary>
    public static object Bind(Type settingsType, JsonElement json, string jsonPath, ICollection<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(settingsType);
        ArgumentNullException.ThrowIfNull(problems);
        var settings = Activator.CreateInstance(settingsType)
            ?? throw new InvalidOperationException($"{settingsType.Name} has no public parameterless constructor");
        if (json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return settings;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(Problem.Error(jsonPath, "must be an object"));
            return settings;
        }

        BindObject(settings, json, jsonPath, SourceSettings.CommonKeys, problems);
        return settings;
    }

    private static void BindObject(object settings, JsonElement json, string jsonPath, IReadOnlyList<string> skipped, ICollection<Problem> problems)
    {
        var properties = Properties(settings.GetType());
        foreach (var entry in json.EnumerateObject())
        {
            if (skipped.Contains(entry.Name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            var path = $"{jsonPath}.{entry.Name}";
            if (!properties.TryGetValue(entry.Name, out var property))
            {
                if (UnknownKeys.Check(null, path, entry.Name, [.. skipped, .. properties.Keys], "setting") is { } problem)
                {
                    problems.Add(problem);
                }

                continue;
            }

            try
            {
                var value = entry.Value.Deserialize(property.PropertyType, Options);
                property.SetValue(settings, value);
                if (value is not null && entry.Value.ValueKind == JsonValueKind.Object && IsSettingsObject(property.PropertyType))
                {
                    // Deserializing skips unknown keys of a nested object; a misspelt one must still be reported.
                    BindObject(value, entry.Value, path, [], problems);
                }
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
            {
                var where = ex is JsonException { Path: { Length: > 1 } inner } ? path + inner[1..] : path;
                problems.Add(Problem.Error(where, $"has a value of the wrong type (expected {Describe(property.PropertyType)})"));
            }
        }
    }

    private static bool IsSettingsObject(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    private static Dictionary<string, PropertyInfo> Properties(Type type)
    {
        var properties = new Dictionary<string, PropertyInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite && p.GetIndexParameters().Length == 0))
        {
            // Keyed as plugins.json spells it, so a message suggests the key to write.
            properties[property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(property.Name)] = property;
        }

        return properties;
    }

    private static string Describe(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string))
        {
            return "a string";
        }

        if (type == typeof(bool))
        {
            return "true or false";
        }

        if (type.IsEnum)
        {
            return "one of " + string.Join(", ", Enum.GetNames(type).Select(n => JsonNamingPolicy.KebabCaseLower.ConvertName(n)));
        }

        if (type.IsPrimitive || type == typeof(decimal))
        {
            return "a number";
        }

        return type != typeof(string) && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? "a list" : "an object";
    }
}

using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OkrHost.Contracts;

namespace OkrHost.Configuration;

/// <summary>
/// Binds an object of plugins.json to a settings type, once, key by key, so that every value of the
/// wrong type and every unknown key is reported, not just the first: a source's entry to its plugin's
/// settings type, and each of the host's own sections to its options type (<see cref="BindSection{T}"/>).
/// </summary>
public static class SettingsBinder
{
    /// <summary>Keys every source understands and the host owns; never bound into the plugin's settings.</summary>
    public static readonly IReadOnlyList<string> HostOwnedKeys = ["enabled", "baseUrl", "tokenEnv"];

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    // The host's sections have always wanted numbers as numbers; plugins' settings accept "5" too.
    private static readonly JsonSerializerOptions HostOptions = new(Options) { NumberHandling = JsonNumberHandling.Strict };

    /// <summary>
    /// A new instance of <paramref name="settingsType"/> with every key of <paramref name="json"/> that it
    /// declares; the keys the host owns (<see cref="HostOwnedKeys"/>) are skipped.
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

        BindObject(settings, json, jsonPath, HostOwnedKeys, Wording.Plugin, problems);
        return settings;
    }

    /// <summary>
    /// The host's section at <paramref name="jsonPath"/> of <paramref name="root"/> bound to its options
    /// type, or null when the section is absent (or not an object, which is a problem). A
    /// <c>$comment</c> key is for people and skipped at every level.
    /// </summary>
    public static T? BindSection<T>(JsonElement root, string key, string jsonPath, ICollection<Problem> problems) where T : class, new()
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (!root.TryGetProperty(key, out var json) || json.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(Problem.Error(jsonPath, "must be an object"));
            return null;
        }

        var section = new T();
        BindObject(section, json, jsonPath, [JsonReader.CommentKey], Wording.Host, problems);
        return section;
    }

    // The host's sections and the plugins' settings word a wrong type as they always have: "must be true
    // or false" for the former, "has a value of the wrong type (expected true or false)" for the latter.
    private enum Wording
    {
        Plugin,
        Host,
    }

    private static void BindObject(object settings, JsonElement json, string jsonPath, IReadOnlyList<string> skipped, Wording wording, ICollection<Problem> problems)
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
                var known = skipped.Where(k => k != UnknownKeys.CommentKey).Concat(properties.Keys).ToArray();
                if (UnknownKeys.Check(null, path, entry.Name, known, "setting") is { } problem)
                {
                    problems.Add(problem);
                }

                continue;
            }

            try
            {
                var value = entry.Value.Deserialize(property.PropertyType, wording == Wording.Host ? HostOptions : Options);
                property.SetValue(settings, value);
                if (value is not null && entry.Value.ValueKind == JsonValueKind.Object && IsSettingsObject(property.PropertyType))
                {
                    // Deserializing skips unknown keys of a nested object; a misspelt one must still be reported.
                    BindObject(value, entry.Value, path, wording == Wording.Host ? skipped : [], wording, problems);
                }
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException)
            {
                var where = ex is JsonException { Path: { Length: > 1 } inner } ? path + inner[1..] : path;
                problems.Add(Problem.Error(where, wording == Wording.Host
                    ? $"must be {Describe(property.PropertyType)}"
                    : $"has a value of the wrong type (expected {Describe(property.PropertyType)})"));
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

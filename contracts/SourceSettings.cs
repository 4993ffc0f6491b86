using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrHost.Contracts;

/// <summary>One source's entry of <c>plugins.json</c>, with its token already resolved by the host.</summary>
public sealed class SourceSettings
{
    /// <summary>Keys every source understands; never reported as unknown.</summary>
    public static readonly IReadOnlyList<string> CommonKeys = ["enabled", "baseUrl", "tokenEnv"];

    private static readonly JsonSerializerOptions BindOptions = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    /// <summary>Creates settings; called by the host (and by tests).</summary>
    /// <param name="sourceId">The source's id.</param>
    /// <param name="json">The source's object in <c>plugins.json</c>; an empty object when it has no entry.</param>
    /// <param name="jsonPath">JSON path of that object, e.g. <c>$.sources.github</c>, used in problems.</param>
    /// <param name="token">The token read from the environment, or <c>null</c>.</param>
    /// <param name="configDirectory">Folder of the config file; relative paths resolve against it.</param>
    public SourceSettings(string sourceId, JsonElement json, string jsonPath, string? token, string configDirectory)
    {
        SourceId = sourceId;
        Json = json;
        JsonPath = jsonPath;
        Token = token;
        ConfigDirectory = configDirectory;
    }

    /// <summary>The source's id.</summary>
    public string SourceId { get; }

    /// <summary>The raw settings object.</summary>
    public JsonElement Json { get; }

    /// <summary>JSON path of <see cref="Json"/> in the config file, e.g. <c>$.sources.github</c>.</summary>
    public string JsonPath { get; }

    /// <summary>
    /// The secret read from the variable named by <c>tokenEnv</c> (or the plugin's default). Pass it to
    /// <see cref="SourceHttpOptions.Authorization"/>; never log it or put it in a result.
    /// </summary>
    public string? Token { get; }

    /// <summary>Folder of the config file; relative paths in settings resolve against it.</summary>
    public string ConfigDirectory { get; }

    /// <summary>The <c>baseUrl</c> setting, or <c>null</c> when absent.</summary>
    public string? BaseUrl =>
        Json.ValueKind == JsonValueKind.Object && Json.TryGetProperty("baseUrl", out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    /// <summary>Path of a key below this source, for problems: <c>Path("repositories")</c> → <c>$.sources.github.repositories</c>.</summary>
    public string Path(string key) => $"{JsonPath}.{key}";

    /// <summary>
    /// Binds the settings to <typeparamref name="T"/> (camelCase keys, case-insensitive, enums in
    /// kebab-case) and adds to <paramref name="problems"/> a <see cref="SettingProblemKind.Invalid"/>
    /// problem for a value of the wrong type and a <see cref="SettingProblemKind.Unknown"/> warning for a
    /// key that <typeparamref name="T"/> does not declare.
    /// </summary>
    /// <returns>The bound settings, or a default instance when they could not be read.</returns>
    public T Bind<T>(ICollection<SettingProblem> problems) where T : new()
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Json.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return new T();
        }

        if (Json.ValueKind != JsonValueKind.Object)
        {
            problems.Add(SettingProblem.Invalid(JsonPath, "must be an object"));
            return new T();
        }

        var known = KnownKeys(typeof(T));
        foreach (var property in Json.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                problems.Add(SettingProblem.Unknown(Path(property.Name), $"unknown setting '{property.Name}' is ignored"));
            }
        }

        try
        {
            return Json.Deserialize<T>(BindOptions) ?? new T();
        }
        catch (JsonException)
        {
            // One value of the wrong type must not hide the plugin's checks of the others: bind key by
            // key, reporting each wrong one and keeping the rest.
            return BindEachKey<T>(problems);
        }
    }

    private T BindEachKey<T>(ICollection<SettingProblem> problems) where T : new()
    {
        var bound = new T();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.CanWrite).ToArray();
        foreach (var setting in Json.EnumerateObject())
        {
            var property = properties.FirstOrDefault(p => string.Equals(p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? p.Name, setting.Name, StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                continue;
            }

            try
            {
                property.SetValue(bound, setting.Value.Deserialize(property.PropertyType, BindOptions));
            }
            catch (JsonException ex)
            {
                var inner = ex.Path is { Length: > 1 } path ? path[1..] : "";
                problems.Add(SettingProblem.Invalid(Path(setting.Name) + inner, "has a value of the wrong type"));
            }
        }

        return bound;
    }

    private static HashSet<string> KnownKeys(Type type)
    {
        var keys = new HashSet<string>(CommonKeys, StringComparer.OrdinalIgnoreCase);
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            keys.Add(property.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? property.Name);
        }

        return keys;
    }
}

/// <summary>How a settings problem affects the run.</summary>
public enum SettingProblemKind
{
    /// <summary>A required setting or the token is missing: the source is <c>not-configured</c>, the run goes on.</summary>
    Missing,

    /// <summary>A setting has a wrong value: a configuration error, exit code 2, nothing is fetched.</summary>
    Invalid,

    /// <summary>A key the source does not know: a warning only.</summary>
    Unknown,
}

/// <summary>A problem with a source's settings, located by JSON path.</summary>
/// <param name="Kind">How the problem affects the run.</param>
/// <param name="JsonPath">Where, e.g. <c>$.sources.github.repositories</c>.</param>
/// <param name="Message">What is wrong, in words a person can act on.</param>
public sealed record SettingProblem(SettingProblemKind Kind, string JsonPath, string Message)
{
    /// <summary>A missing required setting.</summary>
    public static SettingProblem Missing(string jsonPath, string message) => new(SettingProblemKind.Missing, jsonPath, message);

    /// <summary>A setting with a wrong value.</summary>
    public static SettingProblem Invalid(string jsonPath, string message) => new(SettingProblemKind.Invalid, jsonPath, message);

    /// <summary>An unknown key.</summary>
    public static SettingProblem Unknown(string jsonPath, string message) => new(SettingProblemKind.Unknown, jsonPath, message);
}

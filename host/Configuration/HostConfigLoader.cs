using OkrHost.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OkrHost.Configuration;

/// <summary>Reads plugins.json and the .env beside it, recording every problem instead of stopping at the first.</summary>
public static class HostConfigLoader
{
    private static readonly string[] TopLevelKeys = ["report", "okrs", "sources", "http", "history", "insights", "alerts"];

    /// <param name="path">The config file.</param>
    /// <param name="displayName">How messages name it.</param>
    /// <param name="required">False for the default ./plugins.json: a missing one means "all defaults".</param>
    /// <param name="analyzerKeys">Top-level keys owned by analyzers (<c>dora</c>), not unknown.</param>
    /// <param name="problems">Receives every problem.</param>
    /// <param name="clock">The run's clock: a relative <c>report.period</c> is checked against its today.</param>
    public static HostConfig Load(string path, string displayName, bool required, IReadOnlyCollection<string> analyzerKeys, List<Problem> problems, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(clock);
        var defaults = Defaults(path, displayName);
        var directory = defaults.Directory;
        if (Directory.Exists(path))
        {
            problems.Add(Problem.Error(displayName, "$", "is a folder, not a config file"));
            return defaults;
        }

        if (!System.IO.File.Exists(path))
        {
            if (required)
            {
                problems.Add(Problem.Error(displayName, "$", "file not found"));
            }

            return defaults with { DotEnv = DotEnvFile.Read(directory, problems) };
        }

        JsonDocument document;
        try
        {
            var text = System.IO.File.ReadAllText(path);
            defaults = defaults with { Fingerprint = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))) };
            document = JsonDocument.Parse(text, JsonReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            problems.Add(Problem.Error(displayName, ex.Path ?? "$", $"not valid JSON: {ex.Message}"));
            return defaults;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(Problem.Error(displayName, "$", $"cannot be read: {ex.Message}"));
            return defaults;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problems.Add(Problem.Error(displayName, "$", "must be a JSON object"));
                return defaults;
            }

            var reader = new JsonReader(displayName, problems);
            reader.CheckUnknownKeys(root, "$", [.. TopLevelKeys, .. analyzerKeys]);

            // The sections' own problems know their JSON path, not the file.
            var found = new List<Problem>();
            T? Section<T>(string key) where T : class, new() => SettingsBinder.BindSection<T>(root, key, $"$.{key}", found);
            var file = new PluginsFile
            {
                Report = Section<ReportConfig>("report"),
                Okrs = Section<OkrsConfig>("okrs"),
                Sources = reader.Object(root, "sources", "$.sources") is { } sources
                    ? sources.EnumerateObject().Where(s => s.Name != JsonReader.CommentKey).ToDictionary(s => s.Name, s => s.Value.ValueKind == JsonValueKind.Object ? WithoutComment(s.Value) : s.Value.Clone(), StringComparer.Ordinal)
                    : new Dictionary<string, JsonElement>(),
                Http = Section<HttpConfig>("http"),
                History = Section<HistoryConfig>("history"),
                Insights = Section<InsightsConfig>("insights"),
                Alerts = Section<AlertsConfig>("alerts"),
                Analyzers = analyzerKeys.Select(key => (key, Section: reader.Object(root, key, $"$.{key}")))
                    .Where(s => s.Section is not null).ToDictionary(s => s.key, s => s.Section!.Value.Clone(), StringComparer.Ordinal),
            };
            problems.AddRange(found.Select(p => p with { File = displayName }));
            return Build(file, defaults, problems, clock);
        }
    }

    /// <summary>
    /// A config built in memory (the demo): its typed sections checked as a file's are; <paramref name="path"/>
    /// is not read, only its folder resolves relative paths and finds the <c>.env</c>.
    /// </summary>
    public static HostConfig Load(PluginsFile file, string path, string displayName, List<Problem> problems, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(clock);
        var fingerprint = Convert.ToHexStringLower(SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(file)));
        return Build(file, Defaults(path, displayName) with { Fingerprint = fingerprint }, problems, clock);
    }

    private static HostConfig Defaults(string path, string displayName)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        return new HostConfig
        {
            File = displayName, Directory = directory, OutputDirectory = Path.Combine(directory, "out"),
            History = new SqliteHistory(Path.Combine(directory, HistorySettings.DefaultFileName)),
        };
    }

    /// <summary>The config of typed sections: each checks itself and names the key of every wrong value.</summary>
    private static HostConfig Build(PluginsFile file, HostConfig defaults, List<Problem> problems, TimeProvider clock)
    {
        var displayName = defaults.File;
        var found = new List<Problem>();
        file.Report?.Check(clock.GetUtcNow(), found);
        var reader = new JsonReader(displayName, found);
        foreach (var (id, source) in file.Sources)
        {
            var sourcePath = $"$.sources.{id}";
            if (source.ValueKind != JsonValueKind.Object)
            {
                reader.Error(sourcePath, "must be an object");
                continue;
            }

            reader.Boolean(source, "enabled", $"{sourcePath}.enabled");
            reader.String(source, "tokenEnv", $"{sourcePath}.tokenEnv");
            CheckBaseUrl(reader, source, $"{sourcePath}.baseUrl");
        }

        var sources = file.Sources.Where(s => s.Value.ValueKind == JsonValueKind.Object).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var config = defaults with
        {
            TrendWeeks = file.Report?.TrendWeeks is { } weeks ? (int)weeks : defaults.TrendWeeks,
            Title = file.Report?.Title ?? HostConfig.DefaultTitle,
            Period = file.Report?.Period,
            OutputDirectory = file.Report?.Output is { } output ? defaults.Resolve(output) : defaults.OutputDirectory,
            OkrsFile = file.Okrs?.File is { } okrsFile ? defaults.Resolve(okrsFile) : null,
            OkrsSource = file.Okrs?.Source,
            Sources = sources,
        };
        config = config with
        {
            Http = file.Http?.ToPolicy(found) ?? config.Http,
            History = HistorySettings.From(file.History, defaults.Directory, found),
            Llm = InsightsSettingsReader.Llm(file.Insights, found),
            Alerts = InsightsSettingsReader.Alerts(file.Alerts, config.Sources, found),
            Sections = file.Analyzers,
        };
        problems.AddRange(found.Select(p => p.File is null ? p with { File = displayName } : p));
        return config with { DotEnv = DotEnvFile.Read(defaults.Directory, problems) };
    }

    /// <summary>The source's settings as its plugin sees them: a <c>$comment</c> is for people, not a setting.</summary>
    private static JsonElement WithoutComment(JsonElement source)
    {
        if (!source.TryGetProperty(JsonReader.CommentKey, out _))
        {
            return source.Clone();
        }

        var settings = System.Text.Json.Nodes.JsonObject.Create(source)!.DeepClone().AsObject();
        settings.Remove(JsonReader.CommentKey);
        return JsonSerializer.SerializeToElement(settings);
    }

    private static void CheckBaseUrl(JsonReader reader, JsonElement source, string path)
    {
        var baseUrl = reader.String(source, "baseUrl", path);
        if (baseUrl is null)
        {
            return;
        }

        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.Error(path, $"'{baseUrl}' is not an absolute http(s) URL");
        }
        else if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            reader.Error(path, $"'{baseUrl}' is plain http: tokens are only sent over https (or http to a loopback address)");
        }
    }
}

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
    /// <param name="text">
    /// The config's JSON when it was built in memory (the demo, the benchmark): then <paramref name="path"/>
    /// is not read, only its folder resolves relative paths and finds the <c>.env</c>.
    /// </param>
    public static HostConfig Load(string path, string displayName, bool required, IReadOnlyCollection<string> analyzerKeys, List<Problem> problems, TimeProvider clock, string? text = null)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(clock);
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var defaults = new HostConfig
        {
            File = displayName, Directory = directory, OutputDirectory = Path.Combine(directory, "out"),
            History = new SqliteHistory(Path.Combine(directory, HistorySettings.DefaultFileName)),
        };
        if (text is null && Directory.Exists(path))
        {
            problems.Add(Problem.Error(displayName, "$", "is a folder, not a config file"));
            return defaults;
        }

        if (text is null && !System.IO.File.Exists(path))
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
            text ??= System.IO.File.ReadAllText(path);
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
            reader.WarnUnknownKeys(root, "$", [.. TopLevelKeys, .. analyzerKeys]);

            // The sections' own problems know their JSON path, not the file.
            var found = new List<Problem>();
            T? Section<T>(string key) where T : class, new() => SettingsBinder.BindSection<T>(root, key, $"$.{key}", found);
            void Flush()
            {
                problems.AddRange(found.Select(p => p with { File = displayName }));
                found.Clear();
            }

            var report = Section<ReportConfig>("report");
            report?.Check(clock.GetUtcNow(), found);
            var okrs = Section<OkrsConfig>("okrs");
            Flush();
            var config = defaults with
            {
                TrendWeeks = report?.TrendWeeks is { } weeks ? (int)weeks : defaults.TrendWeeks,
                Title = report?.Title ?? HostConfig.DefaultTitle,
                Period = report?.Period,
                OutputDirectory = report?.Output is { } output ? defaults.Resolve(output) : defaults.OutputDirectory,
                OkrsFile = okrs?.File is { } file ? defaults.Resolve(file) : null,
                OkrsSource = okrs?.Source,
            };

            if (reader.Object(root, "sources", "$.sources") is { } sources)
            {
                var bySource = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
                foreach (var source in sources.EnumerateObject().Where(s => s.Name != JsonReader.CommentKey))
                {
                    var sourcePath = $"$.sources.{source.Name}";
                    if (source.Value.ValueKind != JsonValueKind.Object)
                    {
                        reader.Error(sourcePath, "must be an object");
                        continue;
                    }

                    reader.Boolean(source.Value, "enabled", $"{sourcePath}.enabled");
                    reader.String(source.Value, "tokenEnv", $"{sourcePath}.tokenEnv");
                    CheckBaseUrl(reader, source.Value, $"{sourcePath}.baseUrl");
                    bySource[source.Name] = WithoutComment(source.Value);
                }

                config = config with { Sources = bySource };
            }

            config = config with
            {
                Http = Section<HttpConfig>("http")?.ToPolicy(found) ?? config.Http,
                History = HistorySettings.From(Section<HistoryConfig>("history"), directory, found),
                Llm = InsightsSettingsReader.Llm(Section<InsightsConfig>("insights"), found),
                Alerts = InsightsSettingsReader.Alerts(Section<AlertsConfig>("alerts"), config.Sources, found),
            };
            Flush();

            var sections = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
            foreach (var key in analyzerKeys)
            {
                if (reader.Object(root, key, $"$.{key}") is { } section)
                {
                    sections[key] = section.Clone();
                }
            }

            return config with { Sections = sections, DotEnv = DotEnvFile.Read(directory, problems) };
        }
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

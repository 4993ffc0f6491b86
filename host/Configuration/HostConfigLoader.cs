using OkrHost.Contracts;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OkrHost.Http;

namespace OkrHost.Configuration;

/// <summary>Reads plugins.json and the .env beside it, recording every problem instead of stopping at the first.</summary>
public static class HostConfigLoader
{
    private static readonly string[] TopLevelKeys = ["report", "okrs", "sources", "http", "history", "insights", "alerts"];
    private static readonly string[] ReportKeys = ["title", "period", "output", "trendWeeks"];
    private static readonly string[] OkrsKeys = ["file", "source"];
    private static readonly string[] HttpKeys =
    [
        "maxRetries", "retryBaseDelayMilliseconds", "attemptTimeoutSeconds", "sourceTimeoutSeconds",
        "maxRateLimitWaitSeconds", "maxRateLimitWaits", "rateLimitBackoffSeconds", "rateLimitMarginSeconds",
        "maxResponseMegabytes", "cacheMaxMegabytes", "cacheMaxAgeDays",
    ];

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
            var config = defaults;

            if (reader.Object(root, "report", "$.report") is { } report)
            {
                reader.WarnUnknownKeys(report, "$.report", ReportKeys);
                var period = reader.String(report, "period", "$.report.period");
                if (period is not null && !ReportPeriodParser.TryParse(period, clock.GetUtcNow(), out _, out var error))
                {
                    reader.Error("$.report.period", error);
                }

                var output = reader.String(report, "output", "$.report.output");
                var trendWeeks = reader.Number(report, "trendWeeks", "$.report.trendWeeks");
                if (trendWeeks is { } weeks && (weeks != Math.Floor(weeks) || weeks is < 0 or > HostConfig.MaxTrendWeeks))
                {
                    reader.Error("$.report.trendWeeks", $"must be a whole number of weeks from 0 (no trends) to {HostConfig.MaxTrendWeeks}");
                    trendWeeks = null;
                }

                config = config with
                {
                    TrendWeeks = trendWeeks is { } valid ? (int)valid : config.TrendWeeks,
                    Title = reader.String(report, "title", "$.report.title") ?? HostConfig.DefaultTitle,
                    Period = period,
                    OutputDirectory = output is null ? config.OutputDirectory : config.Resolve(output),
                };
            }

            if (reader.Object(root, "okrs", "$.okrs") is { } okrs)
            {
                reader.WarnUnknownKeys(okrs, "$.okrs", OkrsKeys);
                var file = reader.String(okrs, "file", "$.okrs.file");
                config = config with
                {
                    OkrsFile = file is null ? null : config.Resolve(file),
                    OkrsSource = reader.String(okrs, "source", "$.okrs.source"),
                };
            }

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

            if (reader.Object(root, "http", "$.http") is { } http)
            {
                reader.WarnUnknownKeys(http, "$.http", HttpKeys);
                config = config with { Http = ReadHttpPolicy(reader, http) };
            }

            config = config with
            {
                History = HistorySettings.Read(reader, root, directory),
                Llm = InsightsSettingsReader.ReadLlm(reader, root),
                Alerts = InsightsSettingsReader.ReadAlerts(reader, root, config.Sources),
            };

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

    private static HttpPolicy ReadHttpPolicy(JsonReader reader, JsonElement http)
    {
        var defaults = new HttpPolicy();
        var policy = defaults with
        {
            MaxRetries = WholeNumber(reader, http, "maxRetries") ?? defaults.MaxRetries,
            MaxRateLimitWaits = WholeNumber(reader, http, "maxRateLimitWaits") ?? defaults.MaxRateLimitWaits,
            MaxResponseMegabytes = WholeNumber(reader, http, "maxResponseMegabytes") ?? defaults.MaxResponseMegabytes,
            RetryBaseDelay = Duration(reader, http, "retryBaseDelayMilliseconds", TimeSpan.FromMilliseconds) ?? defaults.RetryBaseDelay,
            AttemptTimeout = Duration(reader, http, "attemptTimeoutSeconds", TimeSpan.FromSeconds) ?? defaults.AttemptTimeout,
            MaxRateLimitWait = Duration(reader, http, "maxRateLimitWaitSeconds", TimeSpan.FromSeconds) ?? defaults.MaxRateLimitWait,
            RateLimitBackoff = Duration(reader, http, "rateLimitBackoffSeconds", TimeSpan.FromSeconds) ?? defaults.RateLimitBackoff,
            RateLimitMargin = Duration(reader, http, "rateLimitMarginSeconds", TimeSpan.FromSeconds) ?? defaults.RateLimitMargin,
            SourceTimeout = Duration(reader, http, "sourceTimeoutSeconds", TimeSpan.FromSeconds) ?? defaults.SourceTimeout,
            CacheMaxBytes = reader.Number(http, "cacheMaxMegabytes", "$.http.cacheMaxMegabytes") is { } megabytes
                ? (long)(megabytes * HttpPolicy.Megabyte) : defaults.CacheMaxBytes,
            CacheMaxAge = Duration(reader, http, "cacheMaxAgeDays", TimeSpan.FromDays) ?? defaults.CacheMaxAge,
        };

        // The policy knows its own bounds; a value out of them falls back to the default so the run
        // that follows the error report is never built on it.
        var problems = policy.Validate();
        foreach (var problem in problems)
        {
            reader.Error(problem.JsonPath, problem.Message);
        }

        return problems.Count == 0 ? policy : defaults;

        static int? WholeNumber(JsonReader reader, JsonElement http, string key)
        {
            var value = reader.Number(http, key, $"$.http.{key}");
            if (value is { } v && (v != Math.Floor(v) || v is < int.MinValue or > int.MaxValue))
            {
                reader.Error($"$.http.{key}", "must be a whole number");
                return null;
            }

            return (int?)value;
        }

        static TimeSpan? Duration(JsonReader reader, JsonElement http, string key, Func<double, TimeSpan> unit)
        {
            if (reader.Number(http, key, $"$.http.{key}") is not { } value)
            {
                return null;
            }

            try
            {
                return unit(value);
            }
            catch (OverflowException)
            {
                reader.Error($"$.http.{key}", $"{value.ToString(System.Globalization.CultureInfo.InvariantCulture)} is far too large");
                return null;
            }
        }
    }
}

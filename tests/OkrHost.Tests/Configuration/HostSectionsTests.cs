using Microsoft.Extensions.Time.Testing;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Testing;

namespace OkrHost.Tests.Configuration;

/// <summary>The host's own sections of plugins.json go through the binder plugins' settings go through.</summary>
public sealed class HostSectionsTests
{
    private static readonly FakeTimeProvider Clock = new(new DateTimeOffset(2026, 11, 3, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public void Every_section_binds_into_its_options_and_the_config_follows_them()
    {
        var (config, problems) = Load("""
            {
              "report": { "title": "Platform", "period": "2026-10", "output": "reports", "trendWeeks": 8 },
              "okrs": { "file": "goals.json" },
              "http": { "maxRetries": 5, "sourceTimeoutSeconds": 90, "cacheMaxMegabytes": 10 },
              "history": { "connectionStringEnv": "OKRHOST_DB" },
              "insights": { "llm": { "provider": "ollama", "model": "llama3.2" } },
              "alerts": { "webhook": { "urlEnv": "HOOK" }, "on": ["off-track"] }
            }
            """);

        Assert.Empty(problems);
        Assert.Equal("Platform", config.Title);
        Assert.Equal("2026-10", config.Period);
        Assert.Equal(8, config.TrendWeeks);
        Assert.Equal(config.Resolve("reports"), config.OutputDirectory);
        Assert.Equal(config.Resolve("goals.json"), config.OkrsFile);
        Assert.Equal(5, config.Http.MaxRetries);
        Assert.Equal(TimeSpan.FromSeconds(90), config.Http.SourceTimeout);
        Assert.Equal(10 * HttpPolicy.Megabyte, config.Http.CacheMaxBytes);
        Assert.Equal(new PostgresHistory("OKRHOST_DB"), config.History);
        Assert.Equal(new LlmSettings(LlmProvider.Ollama, LlmSettings.DefaultOllamaBaseUrl, "llama3.2", null), config.Llm);
        Assert.Equal("HOOK", config.Alerts!.Webhook!.UrlEnv);
        Assert.Equal([AlertTrigger.OffTrack], config.Alerts.On.ToArray());
    }

    [Fact]
    public void Unknown_keys_of_any_section_and_its_nested_objects_are_named_with_their_path_near_misses_as_errors()
    {
        // Each of these is a near-miss of a real key (PRODUCT.md section 7, One verdict): an error naming it.
        var (_, problems) = Load("""
            {
              "report": { "titel": "x", "$comment": "for people" },
              "http": { "maxRetriez": 3 },
              "insights": { "llm": { "provider": "openai", "model": "m", "modell": "n" } },
              "alerts": { "slack": { "channel": "#c", "chanel": "#d" } }
            }
            """);

        Assert.Equal(
            [
                "error: plugins.json: $.report.titel: unknown setting 'titel'; did you mean `title`? (a misspelt setting would be ignored)",
                "error: plugins.json: $.http.maxRetriez: unknown setting 'maxRetriez'; did you mean `maxRetries`? (a misspelt setting would be ignored)",
                "error: plugins.json: $.insights.llm.modell: unknown setting 'modell'; did you mean `model`? (a misspelt setting would be ignored)",
                "error: plugins.json: $.alerts.slack.chanel: unknown setting 'chanel'; did you mean `channel`? (a misspelt setting would be ignored)",
            ],
            problems.Select(p => p.ToString()));
    }

    [Fact]
    public void An_unknown_key_far_from_every_known_one_is_a_warning_listing_the_known_ones()
    {
        var (_, problems) = Load("""{ "http": { "colour": "blue" } }""");

        var problem = Assert.Single(problems);
        Assert.StartsWith("warning: plugins.json: $.http.colour: unknown setting 'colour' is ignored (known: ", problem.ToString(), StringComparison.Ordinal);
        Assert.Contains("maxRetries", problem.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_named_in_the_host_s_words_and_left_at_its_default()
    {
        var (config, problems) = Load("""
            { "report": { "title": 7, "trendWeeks": "8" }, "http": { "maxRetries": true }, "insights": { "llm": [] } }
            """);

        Assert.Equal(
            [
                "error: plugins.json: $.report.title: must be a string",
                "error: plugins.json: $.report.trendWeeks: must be a number",
                "error: plugins.json: $.http.maxRetries: must be a number",
                "error: plugins.json: $.insights.llm: must be an object",
            ],
            problems.Select(p => p.ToString()));
        Assert.Equal(HostConfig.DefaultTitle, config.Title);
        Assert.Equal(HostConfig.DefaultTrendWeeks, config.TrendWeeks);
        Assert.Equal(new HttpPolicy().MaxRetries, config.Http.MaxRetries);
        Assert.Null(config.Llm);
    }

    [Fact]
    public void A_config_built_in_memory_is_checked_as_a_file_is_and_names_the_key()
    {
        using var folder = new TempFolder();
        var problems = new List<Problem>();
        var file = new PluginsFile
        {
            Report = new ReportConfig { Title = "Demo", Period = "last-30d" },
            Okrs = new OkrsConfig { Source = "notion" },
            Sources = new Dictionary<string, System.Text.Json.JsonElement>
            {
                ["github"] = System.Text.Json.JsonSerializer.SerializeToElement(new { enabled = true, baseUrl = "http://example.com" }),
            },
            Http = new HttpConfig { MaxRetries = 1.5 },
            History = new HistoryConfig { Path = "runs.db" },
        };

        var config = HostConfigLoader.Load(file, folder.Combine(HostConfig.DefaultFileName), HostConfig.DefaultFileName, problems, Clock);

        Assert.Equal("Demo", config.Title);
        Assert.Equal("notion", config.OkrsSource);
        Assert.Equal(new SqliteHistory(config.Resolve("runs.db")), config.History);
        Assert.NotNull(config.Fingerprint);
        Assert.Equal(
            ["plugins.json: $.http.maxRetries", "plugins.json: $.sources.github.baseUrl"],
            problems.Select(p => $"{p.File}: {p.JsonPath}").Order(StringComparer.Ordinal));
    }

    private static (HostConfig Config, List<Problem> Problems) Load(string json)
    {
        using var folder = new TempFolder();
        var problems = new List<Problem>();
        File.WriteAllText(folder.Combine(HostConfig.DefaultFileName), json);
        var config = HostConfigLoader.Load(folder.Combine(HostConfig.DefaultFileName), HostConfig.DefaultFileName, required: true, ["dora"], problems, Clock);
        return (config, problems);
    }
}

using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Plugins;
using OkrHost.Sandbox;
using OkrHost.Configuration;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>
/// <c>okrhost report --demo</c>: starts the sandbox in-process, points every built-in source at it with
/// sandbox tokens, and runs the ordinary report job on that config, so the demo exercises exactly
/// the code a real run does.
/// </summary>
internal static class DemoJob
{
    public const string Title = "Acme Platform: engineering OKRs (demo)";

    /// <summary>The channel the demo's alerts go to, in the sandbox's Slack.</summary>
    public const string AlertChannel = "#okr-alerts";

    /// <summary>The variable the sandbox's scripted model reads its key from (insights.llm.apiKeyEnv).</summary>
    internal const string ModelKeyVariable = "OKRHOST_SANDBOX_MODEL_KEY";

    /// <summary>The <c>insights</c> block pointing at the sandbox's scripted model (docs/insights.md).</summary>
    internal static JsonObject ScriptedModelInsights(IRunningSandbox sandbox) => new()
    {
        ["llm"] = new JsonObject
        {
            ["provider"] = "openai", ["baseUrl"] = sandbox.ModelBaseUrl.ToString(), ["model"] = sandbox.Model.Name, ["apiKeyEnv"] = ModelKeyVariable,
        },
    };

    public static async Task<int> RunAsync(PrepareOptions options, ReportOptions reportOptions, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        if (options.ConfigPath is not null)
        {
            environment.Error.WriteLine("warning: --demo ignores --config: the demo uses its own sandbox config");
        }

        // The organisation is seen at the run's "now", so demo runs on a pinned clock a week apart see it a week apart.
        await using var sandbox = await SandboxLoader.StartAsync(environment.SandboxDirectory, new SandboxOptions { Now = environment.Clock.GetUtcNow() }, cancellationToken);
        logger.Information("Sandbox serving the demo organisation on {Url}", sandbox.RootUrl);
        var (sources, sourceVariables) = sandbox.DemoSources();
        var variables = new Dictionary<string, string>(sourceVariables, StringComparer.Ordinal) { [ModelKeyVariable] = sandbox.Model.ApiKey };
        var folder = Directory.CreateTempSubdirectory("okrhost-demo-");
        try
        {
            var configPath = Path.Combine(folder.FullName, "plugins.json");
            var okrs = await DemoOkrsAsync(folder.FullName, environment, cancellationToken);
            var output = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, reportOptions.OutputDirectory ?? "out"));
            var history = Path.Combine(output, HistorySettings.DefaultFileName);
            JsonObject Config(bool withInsights)
            {
                var config = new JsonObject
                {
                    ["report"] = new JsonObject { ["title"] = Title, ["period"] = "last-30d" },
                    ["okrs"] = okrs.DeepClone(),
                    ["sources"] = sources.DeepClone(),
                    // The demo's runs are remembered beside its report, never mixed into a real store.
                    ["history"] = new JsonObject { ["path"] = history },
                };
                if (withInsights)
                {
                    // The sandbox's scripted model writes the narrative; alerts go to the sandbox's Slack.
                    config["insights"] = ScriptedModelInsights(sandbox);
                    config["alerts"] = new JsonObject { ["slack"] = new JsonObject { ["channel"] = AlertChannel } };
                }

                return config;
            }

            var demoOptions = options with { ConfigPath = configPath, Variables = variables };
            if (!reportOptions.NoHistory && !File.Exists(history))
            {
                await StoreLastWeekAsync(demoOptions with { ConfigText = Config(withInsights: false).ToJsonString() }, Path.Combine(folder.FullName, "last-week"), environment, logger, cancellationToken);
            }

            using var preparation = Preparation.Prepare(demoOptions with { ConfigText = Config(withInsights: true).ToJsonString() }, environment);
            var exitCode = await ReportJob.RunAsync(preparation, reportOptions with { OutputDirectory = output }, environment, logger, cancellationToken);
            foreach (var (channel, text) in sandbox.SlackPosts())
            {
                environment.Out.WriteLine($"the sandbox's Slack received in {channel}:");
                environment.Out.WriteLine(text);
            }

            return exitCode;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>
    /// A new user's first demo reads like a Monday (PRODUCT.md section 13): the organisation's run of a
    /// week ago, made on a clock shifted back 7 days as the bench's next-week run does, is stored first,
    /// so the report shows status changes and changes since that run. Its own report is thrown away,
    /// and it neither asks the model nor sends alerts.
    /// </summary>
    private static async Task StoreLastWeekAsync(PrepareOptions options, string output, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var lastWeek = environment with { Out = TextWriter.Null, Interactive = false, Clock = new ShiftedClock(environment.Clock, TimeSpan.FromDays(-7)) };
        using var preparation = Preparation.Prepare(options, lastWeek);
        await ReportJob.RunAsync(preparation, new ReportOptions(output, NoCache: false), lastWeek, logger, cancellationToken);
        environment.Out.WriteLine($"demo: stored the organisation's run of a week ago ({preparation.Period}), so this report shows what changed since");
    }

    /// <summary>
    /// The demo scores the OKRs kept in the sandbox's Notion database when a plugin can read them,
    /// else the example okrs.json shipped with the host.
    /// </summary>
    internal static async Task<JsonObject> DemoOkrsAsync(string folder, RunEnvironment environment, CancellationToken cancellationToken)
    {
        using var catalog = PluginCatalog.Discover(environment.PluginsDirectory);
        if (catalog.Find("notion")?.Plugin is IOkrProvider)
        {
            return new JsonObject { ["source"] = "notion" };
        }

        await using var example = typeof(DemoJob).Assembly.GetManifestResourceStream("example-okrs.json")
            ?? throw new InvalidOperationException("the example OKRs are missing from the build");
        var path = Path.Combine(folder, "okrs.json");
        await using (var file = File.Create(path))
        {
            await example.CopyToAsync(file, cancellationToken);
        }

        return new JsonObject { ["file"] = "okrs.json" };
    }
}

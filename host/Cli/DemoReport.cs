using System.Text.Json;
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
internal sealed class DemoReport(RunEnvironment environment, Serilog.ILogger logger)
{
    public const string Title = "Acme Platform: engineering OKRs (demo)";

    /// <summary>The channel the demo's alerts go to, in the sandbox's Slack.</summary>
    public const string AlertChannel = "#okr-alerts";

    internal const string ModelKeyVariable = AskQuestion.SandboxModelKeyVariable;

    /// <summary>The <c>insights</c> section pointing at the sandbox's scripted model (docs/insights.md).</summary>
    internal static InsightsConfig ScriptedModelInsights(IRunningSandbox sandbox) => new()
    {
        Llm = new LlmConfig { Provider = "openai", BaseUrl = sandbox.ModelBaseUrl.ToString(), Model = sandbox.Model.Name, ApiKeyEnv = ModelKeyVariable },
    };

    public async Task<int> RunAsync(PrepareOptions options, ReportOptions reportOptions, CancellationToken cancellationToken)
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
            var config = new PluginsFile
            {
                Report = new ReportConfig { Title = Title, Period = "last-30d" },
                Okrs = okrs,
                Sources = sources.ToDictionary(source => source.Key, source => JsonSerializer.SerializeToElement(source.Value), StringComparer.Ordinal),
                // The demo's runs are remembered beside its report, never mixed into a real store.
                History = new HistoryConfig { Path = history },
            };
            var demoOptions = options with { ConfigPath = configPath, Variables = variables };
            if (!reportOptions.NoHistory && !File.Exists(history))
            {
                await StoreLastWeekAsync(demoOptions with { Config = config }, Path.Combine(folder.FullName, "last-week"), cancellationToken);
            }

            // The sandbox's scripted model writes the narrative; alerts go to the sandbox's Slack.
            var withInsights = config with
            {
                Insights = ScriptedModelInsights(sandbox),
                Alerts = new AlertsConfig { Slack = new SlackAlertConfig { Channel = AlertChannel } },
            };
            using var preparation = Preparation.Prepare(demoOptions with { Config = withInsights }, environment);
            var exitCode = (await TerminalPrinter.Run(preparation, environment, logger).RunAsync(reportOptions with { OutputDirectory = output }, cancellationToken)).ExitCode;
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
    private async Task StoreLastWeekAsync(PrepareOptions options, string output, CancellationToken cancellationToken)
    {
        var lastWeek = environment with { Out = TextWriter.Null, Interactive = false, Clock = new ShiftedClock(environment.Clock, TimeSpan.FromDays(-7)) };
        using var preparation = Preparation.Prepare(options, lastWeek);
        await TerminalPrinter.Run(preparation, lastWeek, logger).RunAsync(new ReportOptions(output, NoCache: false), cancellationToken);
        environment.Out.WriteLine($"demo: stored the organisation's run of a week ago ({preparation.Period}), so this report shows what changed since");
    }

    /// <summary>
    /// The demo scores the OKRs kept in the sandbox's Notion database when a plugin can read them,
    /// else the example okrs.json shipped with the host.
    /// </summary>
    internal static async Task<OkrsConfig> DemoOkrsAsync(string folder, RunEnvironment environment, CancellationToken cancellationToken)
    {
        using var catalog = PluginCatalog.Discover(environment.PluginsDirectory);
        if (catalog.Find("notion")?.Plugin is IOkrProvider)
        {
            return new OkrsConfig { Source = "notion" };
        }

        await using var example = typeof(DemoReport).Assembly.GetManifestResourceStream("example-okrs.json")
            ?? throw new InvalidOperationException("the example OKRs are missing from the build");
        var path = Path.Combine(folder, "okrs.json");
        await using (var file = File.Create(path))
        {
            await example.CopyToAsync(file, cancellationToken);
        }

        return new OkrsConfig { File = "okrs.json" };
    }
}

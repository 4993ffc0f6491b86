using OkrHost.Analysis;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Plugins;
using OkrHost.Sandbox;

namespace OkrHost.UseCases;

/// <summary>Options of <c>okrhost ask</c>.</summary>
internal sealed record AskOptions(string Question, string? SnapshotPath, string? ConfigPath, bool Demo)
{
    /// <summary><c>--store</c>: the SQLite history file <c>get_history</c> reads, instead of the config's store.</summary>
    public string? StorePath { get; init; }
}

/// <summary>
/// <c>okrhost ask</c>: the model answers from read-only tools over one snapshot. The model comes from
/// <c>insights.llm</c> of the config, or with <c>--demo</c> from a sandbox started for the question
/// (a demo snapshot records no model: a snapshot never holds configuration). <c>get_history</c> reads
/// the store <c>--store</c> names, with <c>--demo</c> the demo's store beside the snapshot, else the config's.
/// </summary>
internal sealed class AskQuestion(RunEnvironment environment, Serilog.ILogger logger)
{
    /// <summary>The variable the sandbox's scripted model reads its key from (insights.llm.apiKeyEnv of the demo).</summary>
    public const string SandboxModelKeyVariable = "OKRHOST_SANDBOX_MODEL_KEY";

    public const string HowToConfigure =
        "add \"insights\": { \"llm\": { \"provider\": \"openai\", \"baseUrl\": \"https://api.openai.com/v1\", \"model\": \"gpt-4o-mini\", \"apiKeyEnv\": \"OPENAI_API_KEY\" } } "
        + "to plugins.json (or \"provider\": \"ollama\" with its baseUrl), or try it on the demo: okrhost report --demo, then okrhost ask --demo \"QUESTION\"";

    /// <summary>The model's answer, or the exit code after printing why there is none.</summary>
    public async Task<AskOutcome> RunAsync(AskOptions options, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(options.Question))
        {
            environment.Error.WriteLine("error: QUESTION is empty: ask something, e.g. okrhost ask \"which key results got worse?\"");
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        var problems = new List<Problem>();
        var configName = options.ConfigPath ?? HostConfig.DefaultFileName;
        var config = HostConfigLoader.Load(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, configName)), configName,
            required: options.ConfigPath is not null, AnalyzerCatalog.All.Select(a => a.Id).ToArray(), problems, environment.Clock);
        if (!options.Demo && RunOutput.PrintProblems(environment.Error, problems.Where(p => p.Severity == ProblemSeverity.Error)))
        {
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        var snapshotName = options.SnapshotPath ?? Path.GetRelativePath(environment.CurrentDirectory, Path.Combine(
            options.Demo || options.ConfigPath is null ? Path.Combine(environment.CurrentDirectory, "out") : config.OutputDirectory, ReportFiles.JsonName));
        var snapshotPath = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, snapshotName));
        if (await SnapshotFile.ReadAsync(snapshotPath, snapshotName, environment.Error, cancellationToken) is not { } snapshot)
        {
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        if (options.StorePath is not null && options.ConfigPath is not null)
        {
            environment.Error.WriteLine("error: use either --store or --config, not both");
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        IHistoryStore? store;
        try
        {
            store = await OpenHistoryAsync(options, config, snapshotPath, cancellationToken);
        }
        catch (HistoryStoreException ex)
        {
            environment.Error.WriteLine($"error: {ex.Message}");
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        await using var _ = store;
        await using var sandbox = options.Demo ? await SandboxLoader.StartAsync(environment.SandboxDirectory, new SandboxOptions(), cancellationToken) : null;
        var settings = sandbox is null ? config.Llm : new LlmSettings(LlmProvider.OpenAI, sandbox.ModelBaseUrl, sandbox.Model.Name, SandboxModelKeyVariable);
        if (settings is null)
        {
            environment.Error.WriteLine($"error: no language model is configured in {configName}: {HowToConfigure}");
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        environment.Redactor.AddSecretUrl(settings.BaseUrl.OriginalString);
        using var http = new SourceHttpFactory(config.Http, logger, environment.Clock);
        LanguageModel model;
        try
        {
            model = sandbox is null
                ? LanguageModel.Create(config, environment.GetVariable, http, cancellationToken)
                : LanguageModel.Create(settings, sandbox.Model.ApiKey, http, cancellationToken);
        }
        catch (LanguageModelUnavailableException ex)
        {
            environment.Error.WriteLine($"error: {ex.Message}");
            return new AskOutcome(ExitCodes.InvalidInput, null);
        }

        using (model)
        {
            AskAnswer answer;
            try
            {
                answer = await AskSession.AskAsync(model.Client, settings.DisplayName, snapshot,
                    store is null ? NoRunHistory.Instance : new StoreRunHistory(store), options.Question, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                environment.Error.WriteLine($"error: the {settings.DisplayName} could not answer: {LanguageModel.Describe(ex, settings.ApiKeyEnv)}");
                return new AskOutcome(ExitCodes.SourcesFailed, null);
            }

            return new AskOutcome(ExitCodes.Ok, answer);
        }
    }

    /// <summary>The store <c>get_history</c> reads; null when there is none to read (history off, or never written).</summary>
    private async Task<IHistoryStore?> OpenHistoryAsync(AskOptions options, HostConfig config, string snapshotPath, CancellationToken cancellationToken)
    {
        var settings = options.StorePath is { } storePath ? new SqliteHistory(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, storePath)))
            : options.Demo ? new SqliteHistory(Path.Combine(Path.GetDirectoryName(snapshotPath)!, HistorySettings.DefaultFileName))
            : config.History;
        try
        {
            return await HistoryStores.OpenAsync(settings, name => config.Variable(environment.GetVariable, name), environment.Redactor, environment.Clock, createIfMissing: false, cancellationToken);
        }
        catch (HistoryStoreException ex) when (ex.Failure == HistoryFailure.NotFound && options.StorePath is null)
        {
            // A report run with --no-history can still be asked about; get_history then has no values.
            return null;
        }
    }
}

/// <summary>What <c>okrhost ask</c> ends with: the exit code, and the answer when there is one.</summary>
internal sealed record AskOutcome(int ExitCode, AskAnswer? Answer);

using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Running;
using Spectre.Console;

namespace OkrHost.Cli;

/// <summary>Options of <c>okrhost report</c> beyond what <see cref="Preparation"/> reads.</summary>
/// <param name="FailOn">Exit 4 when a key result is at this status or worse (<c>--fail-on</c>); null for no gate.</param>
public sealed record ReportOptions(string? OutputDirectory, bool NoCache, OkrStatus? FailOn = null)
{
    /// <summary><c>--no-history</c>: the run is not stored, whatever <c>history</c> says.</summary>
    public bool NoHistory { get; init; }
}

/// <summary>What the sources' collection came to: the facts of each run and the OKRs to score.</summary>
internal sealed record Collection(ReportWindows Windows, IReadOnlyList<SourceRun> Runs, OkrInput Okrs);

/// <summary>The main job: run the sources, score the OKRs, write report.json and report.html.</summary>
internal static class ReportJob
{
    public static async Task<int> RunAsync(Preparation preparation, ReportOptions options, CliEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        if (!IsRunnable(preparation, environment))
        {
            return ExitCodes.InvalidInput;
        }

        var outputDirectory = OutputDirectory(preparation, options, environment);
        var (opened, store) = await OpenHistoryAsync(preparation, options, environment, cancellationToken);
        if (!opened)
        {
            return ExitCodes.InvalidInput;
        }

        await using var _ = store;
        using var http = HttpFactory(preparation, options.NoCache, environment, logger);
        var windows = new ReportWindows(preparation.Period, preparation.Config.TrendWeeks);
        // --no-cache means a cold collection: neither cached answers nor stored facts are built on.
        var known = store is null || options.NoCache
            ? null
            : await KnownFacts.LoadAsync(store, preparation.Plans, windows.FetchWindow, environment.Clock.GetUtcNow(), logger, cancellationToken);
        var collection = await CollectAsync(preparation, windows, known, http, environment, logger, cancellationToken);
        return await WriteAsync(preparation, collection, options, outputDirectory, store, http, environment, logger, cancellationToken);
    }

    /// <summary>Opens the history store before anything is fetched; false (with the reason printed) when it cannot be.</summary>
    internal static async Task<(bool Opened, IHistoryStore? Store)> OpenHistoryAsync(Preparation preparation, ReportOptions options, CliEnvironment environment, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await ReportHistory.OpenAsync(preparation.Config, preparation.Variables, environment.Redactor, options.NoHistory, cancellationToken));
        }
        catch (HistoryStoreException ex)
        {
            environment.Error.WriteLine($"error: {ex.Message}");
            environment.Error.WriteLine("nothing was fetched: fix the history store, or run with --no-history");
            return (false, null);
        }
    }

    /// <summary>Prints the catalog's warnings and the preparation's problems; false when an error means nothing may be fetched.</summary>
    internal static bool IsRunnable(Preparation preparation, CliEnvironment environment)
    {
        CliOutput.PrintPluginWarnings(environment.Error, preparation.Catalog);

        if (CliOutput.PrintProblems(environment.Error, preparation.Problems))
        {
            environment.Error.WriteLine("nothing was fetched: fix the errors above (okrhost validate lists them too)");
            return false;
        }

        return true;
    }

    /// <summary>The report's folder (<c>--out</c>, else report.output), checked to be writable before anything is fetched.</summary>
    internal static string OutputDirectory(Preparation preparation, ReportOptions options, CliEnvironment environment)
    {
        var outputDirectory = options.OutputDirectory is null
            ? preparation.Config.OutputDirectory
            : Path.GetFullPath(Path.Combine(environment.CurrentDirectory, options.OutputDirectory));
        ReportFiles.EnsureWritable(outputDirectory, options.OutputDirectory is null ? $"{preparation.Config.File}: $.report.output" : "--out");
        return outputDirectory;
    }

    /// <summary>The HTTP pipeline of the run's sources, insights and alerts, with the ETag cache unless <paramref name="noCache"/>.</summary>
    internal static SourceHttpFactory HttpFactory(Preparation preparation, bool noCache, CliEnvironment environment, Serilog.ILogger logger) =>
        new(preparation.Config.Http with { CacheDirectory = noCache ? null : HttpCacheLocation.Default(environment.GetVariable) }, logger, environment.Clock);

    /// <summary>
    /// Runs every planned source's collection (and the OKR provider's OKRs) for the windows' fetch window,
    /// building on the <paramref name="known"/> facts of earlier runs where there are some.
    /// </summary>
    internal static async Task<Collection> CollectAsync(Preparation preparation, ReportWindows windows, IReadOnlyDictionary<string, FactSet>? known, SourceHttpFactory http, CliEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var period = windows.Period;
        logger.Information("Report period {Period}, previous {Previous}, facts fetched for {FetchWindow}", period, period.Previous, windows.FetchWindow);

        IReadOnlyList<SourceRun> runs = [];
        OkrInput okrs = new(preparation.FileOkrs, preparation.OkrOrigin, []);
        async Task RunAll(IRunObserver display)
        {
            var observer = new FinalStateObserver(display, preparation.OkrProvider?.Id);
            var runner = new SourceRunner(http, logger, environment.Clock, observer);
            var collecting = runner.RunAsync(preparation.Plans, windows.FetchWindow, known, cancellationToken);
            var loadingOkrs = LoadProvidedOkrsAsync(preparation, runner, windows.FetchWindow, cancellationToken);
            runs = await collecting;
            (okrs, var okrRequests) = await loadingOkrs;
            if (observer.Release(okrRequests) is { } provider)
            {
                runs = runs.Select(r => r.Plan.Id == provider.Plan.Id ? provider : r).ToArray();
            }
        }

        if (environment.Interactive)
        {
            // The error writer is the redacting wrapper of the terminal, which Spectre cannot recognise
            // as one; the environment already knows it is.
            var console = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(environment.Error),
                Ansi = AnsiSupport.Yes,
                Interactive = InteractionSupport.Yes,
            });
            await console.Progress().AutoClear(false).HideCompleted(false)
                .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
                .StartAsync(context => RunAll(new LiveRunObserver(context, preparation.Plans)));
        }
        else
        {
            await RunAll(new LogRunObserver(logger));
        }

        cancellationToken.ThrowIfCancellationRequested();
        http.PruneCache(environment.Clock.GetUtcNow());
        return new Collection(windows, runs, okrs);
    }

    /// <summary>
    /// Computes every number from the collection's facts (live, or read from facts bundles), scores the
    /// OKRs, adds the insights, writes report.json and report.html, records the run, prints one line per
    /// source and sends the alerts; returns the exit code.
    /// </summary>
    internal static async Task<int> WriteAsync(Preparation preparation, Collection collection, ReportOptions options, string outputDirectory, IHistoryStore? store, SourceHttpFactory http, CliEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var pointInTimeIds = preparation.Plans.SelectMany(p => p.Plugin.Plugin.Metrics).Concat(preparation.Analyzers.SelectMany(a => a.Metrics))
            .Where(m => m.IsPointInTime).Select(m => m.Id).ToArray();
        var pointInTime = store is null
            ? NoPointInTimeHistory.Instance
            : await StorePointInTimeHistory.LoadAsync(store, collection.Windows.Period, pointInTimeIds, cancellationToken);
        var computation = ReportComputer.Compute(collection.Windows, collection.Runs, preparation.Analyzers, preparation.AnalyzerSettings, pointInTime, preparation.Config.Http.SourceTimeout, logger);
        var runs = computation.Sources.Select(s => s.Run).ToArray();
        var snapshot = SnapshotRedaction.Redact(
            ReportBuilder.Build(preparation.Config.Title, environment.Clock.GetUtcNow(), computation, collection.Okrs),
            environment.Redactor);

        // Status changes compare against the last stored run; the current one is stored only after the files.
        IRunHistory history = store is null ? NoRunHistory.Instance : new StoreRunHistory(store);
        snapshot = await InsightsStage.AddAsync(snapshot, preparation.Config, preparation.Variables, http, history, cancellationToken);
        var sections = preparation.Plans.Where(p => p.Plugin.Plugin.SectionComponent is not null)
            .ToDictionary(p => p.Id, p => p.Plugin.Plugin.SectionComponent!);
        await ReportFiles.WriteAsync(outputDirectory, snapshot, sections, cancellationToken);

        PrintRuns(runs, environment);
        environment.Out.WriteLine($"report written: {Path.Combine(outputDirectory, ReportFiles.HtmlName)} and {ReportFiles.JsonName}");
        var saved = store is null
            ? null
            : await ReportHistory.SaveAsync(store, snapshot, CollectedFacts(preparation, runs), preparation.Config, Path.Combine(outputDirectory, ReportFiles.JsonName), environment.Out, environment.Error, cancellationToken);
        if (snapshot.Narrative is { } narrative)
        {
            environment.Out.WriteLine(narrative.Text is null ? $"narrative: {narrative.Note}" : $"narrative: written by the {narrative.Model}, every number checked against the facts");
        }

        // Alerts are recorded against the stored run; without a store every run alerts afresh.
        var alertLedger = store is null ? null : new StoreRunHistory(store) { RunId = saved?.Id };
        await InsightsStage.AlertAsync(snapshot, preparation.Config, preparation.Variables, http, alertLedger, environment.Out, environment.Error, cancellationToken);

        // A run missing from history is a partial run, like a failed source: the files are there, CI should notice.
        if (FailedExitCode(runs, environment) != ExitCodes.Ok || (store is not null && saved is null))
        {
            return ExitCodes.SourcesFailed;
        }

        if (options.FailOn is { } threshold && InsightsStage.AtOrWorse(snapshot, threshold) is { Count: > 0 } gated)
        {
            environment.Error.WriteLine($"--fail-on {Rendering.ReportFormat.Slug(threshold)}: {gated.Count} key result(s) at {Rendering.ReportFormat.Slug(threshold)} or worse: "
                + string.Join("; ", gated.Select(kr => $"“{kr.Title}” is {Rendering.ReportFormat.Slug(kr.Status)}")));
            return ExitCodes.FailOnMet;
        }

        return ExitCodes.Ok;
    }

    internal static void PrintRuns(IEnumerable<SourceRun> runs, CliEnvironment environment)
    {
        foreach (var run in runs)
        {
            environment.Out.WriteLine($"{run.Plan.Id,-10} {Describe(run.Status),-15} {run.Requests,6} requests {run.DurationMs,7} ms{(run.Error is null ? "" : "  " + run.Error)}");
        }
    }

    /// <summary>Names every failed source on stderr; exit code 3 when there is one, else 0.</summary>
    internal static int FailedExitCode(IEnumerable<SourceRun> runs, CliEnvironment environment)
    {
        var failed = runs.Where(r => r.Status == SourceStatus.Failed).ToArray();
        foreach (var run in failed)
        {
            environment.Error.WriteLine($"error: source {run.Plan.Id} failed: {run.Error}");
        }

        return failed.Length == 0 ? ExitCodes.Ok : ExitCodes.SourcesFailed;
    }

    /// <summary>Each ok source's facts as the store keeps them (PRODUCT.md section 9).</summary>
    private static SourceFacts[] CollectedFacts(Preparation preparation, IReadOnlyList<SourceRun> runs)
    {
        var json = new FactJson(preparation.Plans.SelectMany(p => p.Plugin.Plugin.FactTypes));
        return runs.Where(r => r.Status == SourceStatus.Ok && r.Facts is not null)
            .Select(r => new SourceFacts(r.Plan.Id, r.Facts!.Window.From, r.Facts.Window.To, r.Facts.CollectedAt, json.Serialize(r.Facts)) { SettingsFingerprint = KnownFacts.Fingerprint(r.Plan) })
            .ToArray();
    }

    internal static string Describe(SourceStatus status) => status switch
    {
        SourceStatus.Ok => "ok",
        SourceStatus.Failed => "failed",
        SourceStatus.NotConfigured => "not-configured",
        _ => "disabled",
    };

    /// <summary>The OKRs from the plugin named by <c>okrs.source</c>, with the rows that could not be used.</summary>
    private static async Task<(OkrInput Okrs, long Requests)> LoadProvidedOkrsAsync(Preparation preparation, SourceRunner runner, ReportPeriod fetchWindow, CancellationToken cancellationToken)
    {
        if (preparation.OkrProvider is not { } plan)
        {
            return (new OkrInput(preparation.FileOkrs, preparation.OkrOrigin, []), 0);
        }

        if (!plan.Runnable)
        {
            var why = plan.Enabled ? $"it is not configured: {string.Join("; ", plan.Missing)}" : plan.DisabledReason;
            return (new OkrInput(null, preparation.OkrOrigin, [Problem.Error("$.okrs.source", $"the OKRs come from {plan.Plugin.DisplayName}, but {why}")]), 0);
        }

        var provider = (IOkrProvider)plan.Plugin.Plugin;
        var (provided, error, _, requests) = await runner.GuardAsync(plan, fetchWindow, provider.LoadOkrsAsync, cancellationToken);
        if (SourceResultValidator.ValidateOkrs(provided) is not { } document)
        {
            return (new OkrInput(null, preparation.OkrOrigin, [Problem.Error("$.okrs.source", $"the OKRs could not be read from {plan.Plugin.DisplayName}: {error ?? "the plugin returned none"}")]), requests);
        }

        var problems = new List<Problem>();
        var checkedDocument = preparation.CheckProvidedOkrs(document, problems);
        return (new OkrInput(checkedDocument, preparation.OkrOrigin, [.. document.Problems, .. problems]), requests);
    }
}

/// <summary>The process exit codes of PRODUCT.md section 2.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int InvalidInput = 2;
    public const int SourcesFailed = 3;
    public const int FailOnMet = 4;

    /// <summary>Ctrl+C or SIGTERM: nothing was written (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>Writes report.json and report.html side by side, each atomically.</summary>
public static class ReportFiles
{
    public const string JsonName = "report.json";
    public const string HtmlName = "report.html";

    public static async Task WriteAsync(string directory, ReportSnapshot snapshot, IReadOnlyDictionary<string, Type> sectionComponents, CancellationToken cancellationToken)
    {
        var html = await new HtmlReportRenderer().RenderAsync(snapshot, sectionComponents, cancellationToken);
        var json = SnapshotJson.Serialize(snapshot);

        // Past this point an interrupt waits: the two files are replaced together or not at all.
        cancellationToken.ThrowIfCancellationRequested();
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, JsonName), json, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, HtmlName), html, CancellationToken.None);
    }

    /// <summary>
    /// Checks, before anything is fetched, that the report can be written to <paramref name="directory"/>
    /// (creating it if needed); <paramref name="origin"/> says where the folder was named.
    /// </summary>
    /// <exception cref="InvalidInputException">The folder is a file, or cannot be created or written.</exception>
    public static void EnsureWritable(string directory, string origin)
    {
        if (File.Exists(directory))
        {
            throw new InvalidInputException($"{origin}: {directory} is a file, not a folder; nothing was fetched");
        }

        var probe = Path.Combine(directory, $".okrhost-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{origin}: cannot write the report to {directory} ({ex.Message}); nothing was fetched");
        }
    }
}

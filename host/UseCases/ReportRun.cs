using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Reporting;
using OkrHost.Configuration;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>Options of <c>okrhost report</c> beyond what <see cref="Preparation"/> reads.</summary>
/// <param name="FailOn">Exit 4 when a key result is at this status or worse (<c>--fail-on</c>); null for no gate.</param>
public sealed record ReportOptions(string? OutputDirectory, bool NoCache, OkrStatus? FailOn = null)
{
    /// <summary><c>--no-history</c>: the run is not stored, whatever <c>history</c> says.</summary>
    public bool NoHistory { get; init; }
}

/// <summary>What the sources' collection came to: the facts of each run and the OKRs to score.</summary>
internal sealed record Collection(ReportWindows Windows, IReadOnlyList<SourceRun> Runs, OkrInput Okrs);

/// <summary>What the stages of one report run share: its options, output folder, history store (null when off) and HTTP pipeline.</summary>
internal sealed record RunContext(ReportOptions Options, string OutputDirectory, IHistoryStore? Store, SourceHttpFactory Http);

/// <summary>
/// What a report run came to. <see cref="Snapshot"/> is null when nothing was written (bad input, exit 2);
/// <see cref="StoredRunId"/> is null when the run was not stored.
/// </summary>
public sealed record ReportRunResult(int ExitCode, ReportSnapshot? Snapshot, IReadOnlyList<SourceRun> Runs, long? StoredRunId)
{
    internal static ReportRunResult NotRun => new(ExitCodes.InvalidInput, null, [], null);
}

/// <summary>
/// Where a report run tells people what happens: the CLI prints to the terminal (with a live progress
/// display), a teams run to one buffer per team. Lines of the history store and the alerts go to
/// <see cref="Out"/> and <see cref="Error"/> as they are.
/// </summary>
public interface IReportRunPrinter
{
    TextWriter Out { get; }

    TextWriter Error { get; }

    /// <summary>Runs <paramref name="collect"/> with the observer of its progress (a live display, or log lines).</summary>
    Task ShowProgressAsync(IReadOnlyList<SourcePlan> plans, Func<IRunObserver, Task> collect);
}

/// <summary>
/// The report use case: check the preparation, open the history store, collect (live or from facts
/// bundles), compute, add insights, write report.json and report.html, store the run, send the alerts,
/// and decide the exit code. The CLI's jobs are adapters around it.
/// </summary>
internal sealed class ReportRun(Preparation preparation, RunEnvironment environment, IReportRunPrinter printer, Serilog.ILogger logger)
{
    /// <summary>
    /// The pipeline of a teams run, shared by every team's report (one cache, one pace per credential);
    /// its owner prunes the cache once every team is done. Null: the run makes its own.
    /// </summary>
    public SourceHttpFactory? SharedHttp { get; init; }

    /// <summary>The live report: the sources collect, building on the facts stored by earlier runs.</summary>
    public Task<ReportRunResult> RunAsync(ReportOptions options, CancellationToken cancellationToken) =>
        RunAsync(options, noCache: options.NoCache, readsProvidedOkrs: true, async (store, http) =>
        {
            var windows = preparation.Windows();
            // --no-cache means a cold collection: neither cached answers nor stored facts are built on.
            var known = store is null || options.NoCache
                ? null
                : await KnownFacts.LoadAsync(store, preparation.Plans, windows.FetchWindow, environment.Clock.GetUtcNow(), logger, cancellationToken);
            return await CollectAsync(windows, known, http, cancellationToken);
        }, cancellationToken);

    /// <summary>
    /// The report from the facts <paramref name="collect"/> gathers once the output folder and the history
    /// store are known to be usable; <paramref name="noCache"/> keeps the HTTP pipeline off the answer cache.
    /// </summary>
    /// <param name="readsProvidedOkrs">The run reads the OKRs from <c>okrs.source</c> itself (not from bundles): the provider must then be usable.</param>
    public async Task<ReportRunResult> RunAsync(ReportOptions options, bool noCache, bool readsProvidedOkrs, Func<IHistoryStore?, SourceHttpFactory, Task<Collection>> collect, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(collect);
        if (!IsRunnable(readsProvidedOkrs))
        {
            return ReportRunResult.NotRun;
        }

        var outputDirectory = OutputDirectory(options);
        var (opened, store) = await OpenHistoryAsync(options, cancellationToken);
        if (!opened)
        {
            return ReportRunResult.NotRun;
        }

        await using var _ = store;
        using var owned = SharedHttp is null ? HttpFactory(noCache) : null;
        var http = SharedHttp ?? owned!;
        var collection = await collect(store, http);
        return await WriteAsync(collection, new RunContext(options, outputDirectory, store, http), cancellationToken);
    }

    /// <summary>Prints the catalog's warnings and the preparation's problems; false when an error means nothing may be fetched.</summary>
    /// <param name="readsProvidedOkrs">The run reads the OKRs from <c>okrs.source</c> itself: the provider must then be usable (PRODUCT.md section 7, one verdict).</param>
    public bool IsRunnable(bool readsProvidedOkrs)
    {
        RunOutput.PrintPluginWarnings(printer.Error, preparation.Catalog);

        if (RunOutput.PrintProblems(printer.Error, [.. preparation.Problems, .. readsProvidedOkrs ? ProvidedOkrs.Unreadable(preparation) : []]))
        {
            printer.Error.WriteLine("nothing was fetched: fix the errors above (okrhost validate lists them too)");
            return false;
        }

        return true;
    }

    /// <summary>The HTTP pipeline of the run's sources, insights and alerts, with the ETag cache unless <paramref name="noCache"/>.</summary>
    public SourceHttpFactory HttpFactory(bool noCache) =>
        new(preparation.Config.Http with { CacheDirectory = noCache ? null : HttpCacheLocation.Default(environment.GetVariable) }, logger, environment.Clock);

    /// <summary>
    /// Runs every planned source's collection (and the OKR provider's OKRs) for the windows' fetch window,
    /// building on the <paramref name="known"/> facts of earlier runs where there are some.
    /// </summary>
    public async Task<Collection> CollectAsync(ReportWindows windows, IReadOnlyDictionary<string, FactSet>? known, SourceHttpFactory http, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(http);
        logger.Information("Report period {Period}, previous {Previous}, facts fetched for {FetchWindow}", windows.Period, windows.Previous, windows.FetchWindow);

        IReadOnlyList<SourceRun> runs = [];
        OkrInput okrs = new(preparation.FileOkrs, preparation.OkrOrigin, []);
        await printer.ShowProgressAsync(preparation.Plans, async display =>
        {
            var observer = new FinalStateObserver(display, preparation.OkrProvider?.Id);
            var runner = new SourceRunner(http, logger, environment.Clock, observer);
            var collecting = runner.RunAsync(preparation.Plans, windows.FetchWindow, known, cancellationToken);
            var loadingOkrs = ProvidedOkrs.LoadAsync(preparation, runner, windows.FetchWindow, cancellationToken);
            runs = await collecting;
            (okrs, var okrRequests) = await loadingOkrs;
            if (observer.Release(okrRequests) is { } provider)
            {
                runs = runs.Select(r => r.Plan.Id == provider.Plan.Id ? provider : r).ToArray();
            }
        });

        cancellationToken.ThrowIfCancellationRequested();
        if (http != SharedHttp)
        {
            http.PruneCache(environment.Clock.GetUtcNow());
        }

        return new Collection(windows, runs, okrs);
    }

    /// <summary>One line per source: status, requests, time and, when it did not succeed, why.</summary>
    public void PrintRuns(IEnumerable<SourceRun> runs)
    {
        foreach (var run in runs)
        {
            printer.Out.WriteLine($"{run.Plan.Id,-10} {RunOutput.Describe(run.Status),-15} {run.Requests,6} requests {run.DurationMs,7} ms{(run.Error is null ? "" : "  " + run.Error)}");
        }
    }

    /// <summary>Names every failed source on stderr; exit code 3 when there is one, else 0.</summary>
    public int FailedExitCode(IEnumerable<SourceRun> runs)
    {
        var failed = runs.Where(r => r.Status == SourceStatus.Failed).ToArray();
        foreach (var run in failed)
        {
            printer.Error.WriteLine($"error: source {run.Plan.Id} failed: {run.Error}");
        }

        return failed.Length == 0 ? ExitCodes.Ok : ExitCodes.SourcesFailed;
    }

    /// <summary>The report's folder (<c>--out</c>, else report.output), checked to be writable before anything is fetched.</summary>
    private string OutputDirectory(ReportOptions options)
    {
        var outputDirectory = options.OutputDirectory is null
            ? preparation.Config.OutputDirectory
            : Path.GetFullPath(Path.Combine(environment.CurrentDirectory, options.OutputDirectory));
        ReportFiles.EnsureWritable(outputDirectory, options.OutputDirectory is null ? $"{preparation.Config.File}: $.report.output" : "--out");
        return outputDirectory;
    }

    /// <summary>Opens the history store before anything is fetched; false (with the reason printed) when it cannot be.</summary>
    private async Task<(bool Opened, IHistoryStore? Store)> OpenHistoryAsync(ReportOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await ReportHistory.OpenAsync(preparation.Config, preparation.Variables, environment.Redactor, environment.Clock, options.NoHistory, cancellationToken));
        }
        catch (HistoryStoreException ex)
        {
            printer.Error.WriteLine($"error: {ex.Message}");
            printer.Error.WriteLine("nothing was fetched: fix the history store, or run with --no-history");
            return (false, null);
        }
    }

    /// <summary>
    /// The stages after collection, in order: compute, analyze, score, insights, render, write, store,
    /// alert. Each takes the plain records earlier stages returned; what they share is the run's
    /// <see cref="RunContext"/> (options, output folder, history store, HTTP pipeline).
    /// </summary>
    private async Task<ReportRunResult> WriteAsync(Collection collection, RunContext context, CancellationToken cancellationToken)
    {
        ProvidedOkrs.Print(printer.Error, collection.Okrs);
        var (sources, pointInTime) = await ComputeAsync(collection, context, cancellationToken);
        var computation = ReportComputer.Analyze(collection.Windows, sources, preparation.Analyzers, preparation.AnalyzerSettings, pointInTime);
        var runs = computation.Sources.Select(s => s.Run).ToArray();
        var snapshot = Score(computation, collection.Okrs);
        snapshot = await AddInsightsAsync(snapshot, context, cancellationToken);
        var rendered = await ReportFiles.RenderAsync(snapshot, SectionComponents(), cancellationToken);
        await ReportFiles.WriteAsync(context.OutputDirectory, rendered, cancellationToken);
        PrintRuns(runs);
        printer.Out.WriteLine($"report written: {Path.Combine(context.OutputDirectory, ReportFiles.HtmlName)} and {ReportFiles.JsonName}");
        var saved = await StoreAsync(snapshot, runs, context, cancellationToken);
        if (snapshot.Narrative is { } narrative)
        {
            printer.Out.WriteLine(narrative.Text is null ? $"narrative: {narrative.Note}" : $"narrative: written by the {narrative.Model}, every number checked against the facts");
        }

        await AlertAsync(snapshot, saved, context, cancellationToken);
        return new ReportRunResult(ExitCode(runs, snapshot, context.Options, stored: context.Store is null || saved is not null), snapshot, runs, saved?.Id);
    }

    /// <summary>Compute: each source's numbers from its facts, with the stored readings of point-in-time metrics.</summary>
    private async Task<(IReadOnlyList<ComputedSource> Sources, IPointInTimeHistory PointInTime)> ComputeAsync(Collection collection, RunContext context, CancellationToken cancellationToken)
    {
        var pointInTimeIds = preparation.Plans.SelectMany(p => p.Metrics).Concat(preparation.Analyzers.SelectMany(a => a.Metrics))
            .Where(m => m.IsPointInTime).Select(m => m.Id).ToArray();
        var pointInTime = context.Store is null
            ? NoPointInTimeHistory.Instance
            : await StorePointInTimeHistory.LoadAsync(context.Store, collection.Windows.Period, pointInTimeIds, cancellationToken);
        return (ReportComputer.ComputeSources(collection.Windows, collection.Runs, pointInTime, preparation.Config.Http.SourceTimeout, environment.Clock, logger), pointInTime);
    }

    /// <summary>Score: the snapshot of every number and key result, secrets masked.</summary>
    private ReportSnapshot Score(ReportComputation computation, OkrInput okrs) =>
        SnapshotRedaction.Redact(
            DoraBenchmarks.Attach(
                ReportBuilder.Build(preparation.Config.Title, environment.Clock.GetUtcNow(), computation, okrs),
                preparation.AnalyzerSettings(DoraAnalyzer.AnalyzerId)),
            environment.Redactor);

    /// <summary>Insights: what changed against the last stored run (the current one is stored only after the files), and the narrative.</summary>
    private async Task<ReportSnapshot> AddInsightsAsync(ReportSnapshot snapshot, RunContext context, CancellationToken cancellationToken)
    {
        IRunHistory history = context.Store is null ? NoRunHistory.Instance : new StoreRunHistory(context.Store);
        // What the model wrote, or why it wrote nothing, is redacted like the rest before it is written.
        return SnapshotRedaction.Redact(
            await InsightsStage.AddAsync(snapshot, preparation.Config, preparation.Variables, context.Http, history, cancellationToken),
            environment.Redactor);
    }

    /// <summary>The sources whose plugins render their own section.</summary>
    private Dictionary<string, Type> SectionComponents() =>
        preparation.Plans.Where(p => p.SectionComponent is not null).ToDictionary(p => p.Id, p => p.SectionComponent!);

    /// <summary>Store: the run and its sources' facts; null when there is no store or it failed (then said why).</summary>
    private async Task<SavedRun?> StoreAsync(ReportSnapshot snapshot, IReadOnlyList<SourceRun> runs, RunContext context, CancellationToken cancellationToken) =>
        context.Store is null
            ? null
            : await ReportHistory.SaveAsync(context.Store, snapshot, CollectedFacts(runs), preparation.Config, Path.Combine(context.OutputDirectory, ReportFiles.JsonName), printer.Out, printer.Error, cancellationToken);

    /// <summary>Alert: recorded against the stored run; without a store every run alerts afresh.</summary>
    private Task AlertAsync(ReportSnapshot snapshot, SavedRun? saved, RunContext context, CancellationToken cancellationToken)
    {
        var alertLedger = context.Store is null ? null : new StoreRunHistory(context.Store) { RunId = saved?.Id };
        return InsightsStage.AlertAsync(snapshot, preparation.Config, preparation.Variables, context.Http, alertLedger, printer.Out, printer.Error, cancellationToken);
    }

    private int ExitCode(IReadOnlyList<SourceRun> runs, ReportSnapshot snapshot, ReportOptions options, bool stored)
    {
        // A run missing from history is a partial run, like a failed source: the files are there, CI should notice.
        if (FailedExitCode(runs) != ExitCodes.Ok || !stored)
        {
            return ExitCodes.SourcesFailed;
        }

        if (options.FailOn is { } threshold && InsightsStage.AtOrWorse(snapshot, threshold) is { Count: > 0 } gated)
        {
            printer.Error.WriteLine($"--fail-on {Rendering.ReportFormat.Slug(threshold)}: {gated.Count} key result(s) at {Rendering.ReportFormat.Slug(threshold)} or worse: "
                + string.Join("; ", gated.Select(kr => $"“{kr.Title}” is {Rendering.ReportFormat.Slug(kr.Status)}")));
            return ExitCodes.FailOnMet;
        }

        return ExitCodes.Ok;
    }

    /// <summary>Each ok source's facts as the store keeps them (PRODUCT.md section 9).</summary>
    private SourceFacts[] CollectedFacts(IReadOnlyList<SourceRun> runs)
    {
        var json = new FactJson(preparation.Plans.SelectMany(p => p.FactTypes));
        return runs.Where(r => r.Status == SourceStatus.Ok && r.Facts is not null)
            .Select(r => new SourceFacts(r.Plan.Id, r.Facts!.Window.From, r.Facts.Window.To, r.Facts.CollectedAt, SourceFacts.Compress(r.Facts, json)) { SettingsFingerprint = KnownFacts.Fingerprint(r.Plan) })
            .ToArray();
    }
}

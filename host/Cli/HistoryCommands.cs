using OkrHost.Contracts;
using System.CommandLine;
using System.Globalization;
using OkrHost.Analysis;
using OkrHost.Configuration;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history list | show | export | import | prune</c> (PRODUCT.md section 9).</summary>
internal static class HistoryCommands
{
    public static Command History(RunEnvironment environment)
    {
        return new Command("history", "Runs remembered in the history store: list, show, export, import, prune")
        {
            List(environment), Show(environment), Export(environment), Import(environment), Prune(environment),
        };
    }

    private static Command List(RunEnvironment environment)
    {
        var command = new Command("list", "One stored run a line: id, generatedAt, period from/to, sources ok");
        return WithStore(command, environment, createIfMissing: false, async (_, store, cancellationToken) =>
        {
            var runs = await store.ListRunsAsync(cancellationToken);
            foreach (var run in runs)
            {
                environment.Out.WriteLine($"{run.Id,5}  {Instant(run.GeneratedAt)}  {Period(run.PeriodFrom, run.PeriodTo)}  {run.SourcesOk}/{run.SourcesTotal} sources ok  {run.Origin}");
            }

            if (runs.Count == 0)
            {
                environment.Error.WriteLine($"no runs in {store.Description} yet");
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Show(RunEnvironment environment)
    {
        var id = new Argument<long>("run") { Description = "The run's id (okrhost history list)" };
        var json = new Option<bool>("--json") { Description = "Print the stored report.json snapshot instead" };
        var command = new Command("show", "A stored run: provenance, source statuses, metric values and key results") { id, json };
        return WithStore(command, environment, createIfMissing: false, async (parse, store, cancellationToken) =>
        {
            if (await store.GetRunAsync(parse.GetValue(id), cancellationToken) is not { } run)
            {
                environment.Error.WriteLine($"error: no run {parse.GetValue(id)} in {store.Description} (okrhost history list shows the ids)");
                return ExitCodes.InvalidInput;
            }

            if (parse.GetValue(json))
            {
                environment.Out.WriteLine(run.SnapshotJson);
                return ExitCodes.Ok;
            }

            var summary = run.Summary;
            var snapshot = run.Snapshot();
            var output = environment.Out;
            output.WriteLine($"run {summary.Id}: {snapshot.Title}");
            output.WriteLine($"  period     {Period(summary.PeriodFrom, summary.PeriodTo)} (end exclusive)");
            output.WriteLine($"  generated  {Instant(summary.GeneratedAt)} by okrhost {summary.ToolVersion} (contracts {summary.ContractsVersion}), {summary.Origin}, stored {Instant(summary.StoredAt)}");
            output.WriteLine($"  config     {(summary.ConfigFingerprint is { } fingerprint ? "sha256 " + fingerprint : "-")}");
            output.WriteLine($"  sources    {string.Join(", ", snapshot.Sources.Select(s => $"{s.Id} {RunOutput.Describe(s.Status)}"))}");
            output.WriteLine("metrics (value, previous):");
            foreach (var metric in snapshot.Metrics)
            {
                output.WriteLine($"  {metric.Id,-42} {Number(metric.Value),12} {Number(metric.Previous),12}");
            }

            output.WriteLine("key results (status, actual, progress):");
            foreach (var keyResult in await store.GetKeyResultsAsync(summary.Id, cancellationToken))
            {
                output.WriteLine($"  {EnumText.Of(keyResult.Status),-10} {Number(keyResult.Actual),10} {Number(keyResult.Progress * 100),6}%  {keyResult.Objective} / {keyResult.KeyResult}");
            }

            var checkIns = Insights.StoredCheckIn.Of(summary.Id, snapshot).ToArray();
            if (checkIns.Length > 0)
            {
                output.WriteLine("check-ins (owner's confidence, note):");
                foreach (var checkIn in checkIns)
                {
                    output.WriteLine($"  {checkIn.Confidence ?? "-",-10} {checkIn.Objective} / {checkIn.KeyResult}{(checkIn.Note is { } note ? $": {note}" : "")}");
                }
            }

            return ExitCodes.Ok;
        });
    }

    private static Command Export(RunEnvironment environment)
    {
        var format = new Option<string>("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var metric = new Option<string?>("--metric") { Description = "Only this metric id" };
        var command = new Command("export", "Every stored metric value, one row per run and metric, for a spreadsheet or BI tool") { format, metric };
        return WithStore(command, environment, createIfMissing: false, async (parse, store, cancellationToken) =>
        {
            var rows = await store.GetMetricValuesAsync(new MetricValueQuery { MetricId = parse.GetValue(metric) }, cancellationToken);
            environment.Out.Write(parse.GetValue(format) == "json" ? HistoryExport.Json(rows) : HistoryExport.Csv(rows));
            return ExitCodes.Ok;
        });
    }

    private static Command Import(RunEnvironment environment)
    {
        var files = new Argument<string[]>("report.json") { Description = "Snapshots written by okrhost report", Arity = ArgumentArity.OneOrMore };
        var command = new Command("import", "Store report.json snapshots as runs, to back-fill the quarter") { files };
        return WithStore(command, environment, createIfMissing: true, async (parse, store, cancellationToken) =>
        {
            var exitCode = ExitCodes.Ok;
            foreach (var file in parse.GetValue(files)!)
            {
                var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, file));
                if (await SnapshotFile.ReadAsync(path, file, environment.Error, cancellationToken) is not { } snapshot)
                {
                    exitCode = ExitCodes.InvalidInput;
                    continue;
                }

                var saved = await store.SaveRunAsync(new HistoryRun(snapshot, ReportHistory.Provenance("import", configFingerprint: null)), [], cancellationToken);
                environment.Out.WriteLine(saved.Created ? $"{file}: stored as run {saved.Id}" : $"{file}: already stored as run {saved.Id}");
            }

            return exitCode;
        });
    }

    private static Command Prune(RunEnvironment environment)
    {
        var keep = new Option<int?>("--keep") { Description = "Keep the newest N runs, delete the rest" };
        var before = new Option<string?>("--before") { Description = "Delete the runs generated before this date (YYYY-MM-DD, UTC) or instant" };
        var command = new Command("prune", "Delete old runs with their values, key results and facts") { keep, before };
        return WithStore(command, environment, createIfMissing: false, async (parse, store, cancellationToken) =>
        {
            PruneRule? rule = (parse.GetValue(keep), parse.GetValue(before)) switch
            {
                ({ } count, null) when count >= 0 => new KeepNewestRuns(count),
                (null, { } text) when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) =>
                    new RunsGeneratedBefore(instant),
                _ => null,
            };
            if (rule is null)
            {
                environment.Error.WriteLine("error: prune needs exactly one of --keep N (N ≥ 0) or --before DATE (YYYY-MM-DD)");
                return ExitCodes.InvalidInput;
            }

            var deleted = await store.PruneAsync(rule, cancellationToken);
            var left = (await store.ListRunsAsync(cancellationToken)).Count;
            environment.Out.WriteLine($"pruned {deleted} run{(deleted == 1 ? "" : "s")} from {store.Description}; {left} left");
            return ExitCodes.Ok;
        });
    }

    /// <summary><c>--store PATH</c>: a SQLite history file named directly (history subcommands, ask).</summary>
    internal static Option<string?> StoreOption() => new("--store") { Description = "A SQLite history file, instead of the store plugins.json names" };

    /// <summary>
    /// Adds <c>--config</c> and <c>--store</c> to a subcommand and runs it with the store they name.
    /// Every store problem is a message and exit 2, the connection string never in it.
    /// </summary>
    private static Command WithStore(Command command, RunEnvironment environment, bool createIfMissing, Func<ParseResult, IHistoryStore, CancellationToken, Task<int>> action)
    {
        var config = Commands.ConfigOption();
        var storePath = StoreOption();
        command.Add(config);
        command.Add(storePath);
        command.SetAction(async (parse, cancellationToken) =>
        {
            if (Settings(parse.GetValue(config), parse.GetValue(storePath), environment) is not var (settings, variable))
            {
                return ExitCodes.InvalidInput;
            }

            try
            {
                await using var store = await HistoryStores.OpenAsync(settings, variable, environment.Redactor, environment.Clock, createIfMissing, cancellationToken);
                return await action(parse, store!, cancellationToken);
            }
            catch (HistoryStoreException ex)
            {
                environment.Error.WriteLine($"error: {ex.Message}");
                return ExitCodes.InvalidInput;
            }
        });
        return command;
    }

    /// <summary>The store from <c>--store</c>, else from the config's <c>history</c>; null after printing why there is none.</summary>
    private static (HistorySettings, Func<string, string?>)? Settings(string? configOption, string? storeOption, RunEnvironment environment)
    {
        if (storeOption is not null)
        {
            if (configOption is not null)
            {
                environment.Error.WriteLine("error: use either --store or --config, not both");
                return null;
            }

            return (new SqliteHistory(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, storeOption))), environment.GetVariable);
        }

        var displayName = configOption ?? HostConfig.DefaultFileName;
        var problems = new List<Problem>();
        var config = HostConfigLoader.Load(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, displayName)), displayName, required: configOption is not null,
            AnalyzerCatalog.All.Select(a => a.Id).ToArray(), problems, environment.Clock);
        if (RunOutput.PrintProblems(environment.Error, problems))
        {
            return null;
        }

        if (config.History is NoHistory)
        {
            environment.Error.WriteLine($"error: {displayName}: $.history.enabled: history is off for this config (use --store PATH for a SQLite file)");
            return null;
        }

        return (config.History, name => config.Variable(environment.GetVariable, name));
    }

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Dates when the bounds are midnights (every named period), instants otherwise.</summary>
    private static string Period(DateTimeOffset from, DateTimeOffset to)
    {
        static string Bound(DateTimeOffset instant) => instant.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Instant(instant);
        return $"{Bound(from)} to {Bound(to)}";
    }

    private static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
}

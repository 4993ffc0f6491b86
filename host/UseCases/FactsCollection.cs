using OkrHost.Reporting;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>
/// <c>okrhost collect</c>: runs the sources as a report would (or shard i of N of their work) and writes
/// their facts as one bundle instead of a report (PRODUCT.md sections 8 and 11).
/// </summary>
internal sealed class FactsCollection(ReportRun run, Preparation preparation, RunEnvironment environment)
{
    /// <param name="output">The bundle's file, as <c>--out</c> names it.</param>
    /// <param name="shard">The part of each source's work this collection does, as the preparation planned it.</param>
    public async Task<int> RunAsync(string output, Shard? shard, bool noCache, CancellationToken cancellationToken)
    {
        if (!run.IsRunnable(readsProvidedOkrs: true))
        {
            return ExitCodes.InvalidInput;
        }

        var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, output));
        if (Directory.Exists(path))
        {
            throw new InvalidInputException($"--out: {path} is a folder; name the bundle's file, e.g. --out facts.json; nothing was fetched");
        }

        ReportFiles.EnsureWritable(Path.GetDirectoryName(path)!, "--out");
        var windows = preparation.Windows();
        using var http = run.HttpFactory(noCache);
        var collection = await run.CollectAsync(windows, null, http, cancellationToken);
        var bundle = new FactsBundle
        {
            ToolVersion = FactsBundleJson.ToolVersion,
            ContractsVersion = FactsBundleJson.ContractsVersion,
            CollectedAt = environment.Clock.GetUtcNow(),
            Period = BundleWindow.Of(windows.Period),
            Previous = BundleWindow.Of(windows.Previous),
            FetchWindow = BundleWindow.Of(windows.FetchWindow),
            TrendWeeks = windows.TrendWeekCount,
            Shard = shard is null ? null : new BundleShard(shard.Index, shard.Count),
            Sources = collection.Runs.Select(run => new BundleSource(run.Plan.Id, run.Status, run.Error, run.Requests, run.DurationMs, run.Facts)
            {
                PartitionSetting = run.Plan.ShardWork?.Setting,
                Partition = run.Plan.ShardWork?.Units,
                InShard = run.Plan.ShardWork is not { Collects: false },
            }).ToArray(),
            // Only a collection that was to run the OKR provider holds its OKRs (or why they could not be
            // read); one where --only or --shard left it out leaves them to another bundle.
            Okrs = preparation.OkrProvider is { Enabled: true }
                ? new BundleOkrs(collection.Okrs.Origin, collection.Okrs.Document, collection.Okrs.Problems)
                : null,
        };

        // Facts are the services' text: a plugin that echoed a token into one must not ship it in a bundle.
        var json = environment.Redactor.Redact(FactsReport.BundleJson(preparation).Serialize(bundle));
        cancellationToken.ThrowIfCancellationRequested();
        await AtomicFile.WriteAllTextAsync(path, json, CancellationToken.None);
        run.PrintRuns(collection.Runs);
        environment.Out.WriteLine($"facts written: {path}{(shard is null ? "" : $" (shard {shard})")}");
        return run.FailedExitCode(collection.Runs);
    }
}

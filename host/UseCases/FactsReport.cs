using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>
/// <c>okrhost report --facts FILE,…</c> and <c>okrhost merge FILE… </c>: the report computed from facts
/// bundles alone, with no network. Bundles of one source (shards, collections of adjacent windows) merge
/// by fact id; the report then goes through exactly the code a live run's does.
/// </summary>
internal sealed class FactsReport(ReportRun run, Preparation preparation, RunEnvironment environment, Serilog.ILogger logger)
{
    public async Task<ReportRunResult> RunAsync(FactsRequest request, ReportOptions options, CancellationToken cancellationToken)
    {
        if (request.Files.Count == 0)
        {
            throw new InvalidInputException("--facts: name at least one facts bundle written by okrhost collect");
        }

        // Nothing is fetched for the facts; the pipeline serves only the narrative and the alerts, when configured.
        return await run.RunAsync(options, noCache: true, readsProvidedOkrs: false, async (_, _) =>
        {
            var bundles = await ReadBundlesAsync(preparation, request.Files, environment, cancellationToken);
            CheckShards(bundles);
            if (!request.PeriodGiven)
            {
                // The bundles' own period, compared as their collection compared it.
                preparation.Period = CollectedPeriod(bundles);
                preparation.CalendarPrevious = bundles.Select(b => b.Bundle.Previous?.Period).Distinct().SingleOrDefault();
            }

            var windows = preparation.Windows();
            logger.Information("Report period {Period} computed from {Count} facts bundle(s)", windows.Period, bundles.Count);
            return new Collection(windows, Runs(preparation, bundles, windows), Okrs(preparation, bundles));
        }, cancellationToken);
    }

    private static async Task<List<(string Name, FactsBundle Bundle)>> ReadBundlesAsync(Preparation preparation, IReadOnlyList<string> files, RunEnvironment environment, CancellationToken cancellationToken)
    {
        var json = BundleJson(preparation);
        var bundles = new List<(string Name, FactsBundle Bundle)>();
        foreach (var file in files)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, file)), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidInputException($"{file}: cannot read the facts bundle: {ex.Message}");
            }

            try
            {
                bundles.Add((file, json.Deserialize(text, file)));
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidInputException(ex.Message);
            }
        }

        return bundles;
    }

    /// <summary>Bundle JSON knowing every installed plugin's fact kinds.</summary>
    internal static FactsBundleJson BundleJson(Preparation preparation) =>
        new(new FactJson(preparation.Catalog.Plugins.SelectMany(p => p.Plugin.FactTypes)), preparation.KnownMetrics.Keys.ToHashSet(StringComparer.Ordinal));

    /// <summary>Shards of one split must all be there: a missing one would silently leave its repositories out.</summary>
    private static void CheckShards(List<(string Name, FactsBundle Bundle)> bundles)
    {
        var sharded = bundles.Where(b => b.Bundle.Shard is not null).ToArray();
        if (sharded.Length == 0)
        {
            return;
        }

        var counts = sharded.Select(b => b.Bundle.Shard!.Count).Distinct().ToArray();
        if (counts.Length > 1)
        {
            throw new InvalidInputException($"the bundles come from different splits ({string.Join(", ", sharded.Select(b => $"{b.Name}: shard {b.Bundle.Shard!.Index}/{b.Bundle.Shard.Count}"))}); merge the shards of one split");
        }

        var missing = Enumerable.Range(1, counts[0]).Except(sharded.Select(b => b.Bundle.Shard!.Index)).ToArray();
        if (missing.Length > 0)
        {
            throw new InvalidInputException($"shard {string.Join(", ", missing.Select(i => $"{i}/{counts[0]}"))} missing: the merged report needs every shard's bundle");
        }
    }

    /// <summary>The period the bundles were collected for, when the command line names none.</summary>
    private static ReportPeriod CollectedPeriod(List<(string Name, FactsBundle Bundle)> bundles)
    {
        var periods = bundles.Select(b => b.Bundle.Period).Distinct().ToArray();
        return periods.Length == 1
            ? periods[0].Period
            : throw new InvalidInputException($"the bundles were collected for different periods ({string.Join(", ", periods.Select(p => p.ToString()))}); name one with --period or --from/--to");
    }

    /// <summary>Each planned source as the bundles saw it: ok with the merged facts only when every shard that had work on it is ok.</summary>
    private static SourceRun[] Runs(Preparation preparation, List<(string Name, FactsBundle Bundle)> bundles, ReportWindows windows)
    {
        var covered = bundles.Select(b => b.Bundle.FetchWindow.Period).Aggregate(Union);
        if (!new BundleWindow(covered.From, covered.To).Covers(windows.FetchWindow))
        {
            throw OutsideWindow(windows, covered, "the facts bundles");
        }

        return preparation.Plans.Select(plan =>
        {
            var entries = bundles.SelectMany(b => b.Bundle.Sources.Where(s => s.Id == plan.Id).Select(s => (b.Bundle, Source: s))).ToArray();
            if (entries.Length == 0)
            {
                return new SourceRun(plan, SourceStatus.Disabled, "not in the facts bundles", 0, 0, null);
            }

            var requests = entries.Sum(e => e.Source.Requests);
            var duration = entries.Max(e => e.Source.DurationMs);
            // A disabled entry did no work (another shard's, or left out by --only in a collection of some sources).
            var working = entries.Where(e => e.Source.InShard && e.Source.Status != SourceStatus.Disabled).ToArray();
            if (working.Length == 0)
            {
                return new SourceRun(plan, entries[0].Source.Status, entries[0].Source.Error, duration, requests, null);
            }

            var statuses = working.Select(e => e.Source.Status).Distinct().ToArray();
            if (statuses.Length > 1 || statuses[0] != SourceStatus.Ok)
            {
                var notOk = working.Where(e => e.Source.Status != SourceStatus.Ok).ToArray();
                // Part of the work failed or never ran: the facts are incomplete, so the source fails.
                var status = statuses.Length == 1 ? statuses[0] : SourceStatus.Failed;
                var error = string.Join("; ", notOk.Select(e => e.Bundle.Shard is { } shard ? $"shard {shard.Index}/{shard.Count}: {e.Source.Error}" : e.Source.Error));
                return new SourceRun(plan, status, error, duration, requests, null);
            }

            FactSet facts;
            try
            {
                facts = FactSet.Merge(working.Select(e => e.Source.Facts ?? throw new InvalidInputException($"source {plan.Id} is ok in a bundle but has no facts")));
            }
            catch (ArgumentException ex)
            {
                throw new InvalidInputException($"source {plan.Id}: {ex.Message}");
            }

            if (!BundleWindow.Of(facts.Window).Covers(windows.FetchWindow))
            {
                throw OutsideWindow(windows, facts.Window, $"the facts of {plan.Id}");
            }

            return new SourceRun(plan, SourceStatus.Ok, null, duration, requests, facts);
        }).ToArray();
    }

    private static ReportPeriod Union(ReportPeriod a, ReportPeriod b) =>
        new(a.From < b.From ? a.From : b.From, a.To > b.To ? a.To : b.To);

    private static InvalidInputException OutsideWindow(ReportWindows windows, ReportPeriod covered, string what) =>
        new($"the report for {windows.Period} needs facts for {windows.FetchWindow} (the period, the previous period and {windows.TrendWeekCount} trend weeks), " +
            $"but {what} cover {covered} only: choose a period inside that window (or fewer report.trendWeeks), or collect one that covers it");

    /// <summary>The OKRs: from the file as always, or, when a plugin provides them, from the bundle that ran it.</summary>
    private static OkrInput Okrs(Preparation preparation, List<(string Name, FactsBundle Bundle)> bundles)
    {
        if (preparation.OkrProvider is not { } provider)
        {
            return new OkrInput(preparation.FileOkrs, preparation.OkrOrigin, []);
        }

        var held = bundles.Select(b => b.Bundle.Okrs).OfType<BundleOkrs>().ToArray();
        return (held.FirstOrDefault(o => o.Document is not null) ?? held.FirstOrDefault()) is { } okrs
            ? new OkrInput(okrs.Document, okrs.Origin, okrs.Problems)
            : new OkrInput(null, preparation.OkrOrigin, [Problem.Error("$.okrs.source", $"the OKRs come from {provider.Plugin.DisplayName}, but no facts bundle holds them (collect with {provider.Id} enabled)")]);
    }
}

/// <summary>The bundles to compute from; <paramref name="PeriodGiven"/>: the command line named the period, else the bundles' own is used.</summary>
internal sealed record FactsRequest(IReadOnlyList<string> Files, bool PeriodGiven);

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Running;
using OkrHost.Sandbox;

namespace OkrHost.Testing;

/// <summary>
/// Collects one plugin against a sandbox the way successive report runs do, to check incremental
/// collection (<see cref="CollectContext.Known"/>): numbers equal to a cold collection's, and what it costs.
/// </summary>
/// <remarks>
/// The sandbox's organisation is fixed at its "now" N. <see cref="RunAsync"/> collects
/// <list type="bullet">
/// <item>cold at N for the 30 days ending N's day (the reference),</item>
/// <item>warm: the same period again at N + 5 min, building on the cold collection,</item>
/// <item>next week: first cold at N − 7 d for the period a week earlier (as last Monday's run), then
/// at N for the reference period, building on that earlier collection.</item>
/// </list>
/// Each collection's windows (the period, the previous period and 13 trend weeks) are computed and
/// compared with the reference's. A disk cache is shared by the runs of a scenario, as on a lead's
/// machine, so GitHub's conditional requests answer 304 where nothing changed.
/// </remarks>
public static class IncrementalCollection
{
    private static readonly TimeSpan WarmDelay = TimeSpan.FromMinutes(5);

    /// <summary>Runs the three scenarios for <paramref name="sourceId"/>; a new plugin instance per collection, as the host does.</summary>
    public static async Task<IncrementalOutcome> RunAsync(SandboxServer server, Func<ISourcePlugin> createPlugin, string sourceId, JsonObject settings, string? token, int trendWeeks = 13)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(createPlugin);
        var now = server.Org.Now;
        var windows = Windows(now, trendWeeks);
        using var warmCache = new TempFolder();
        using var nextCache = new TempFolder();

        var cold = await CountedCollectAsync(server, createPlugin(), sourceId, settings, token, windows, now, null, warmCache.Path);
        var warm = await CountedCollectAsync(server, createPlugin(), sourceId, settings, token, windows, now + WarmDelay, cold.Facts, warmCache.Path);
        var earlier = await CountedCollectAsync(server, createPlugin(), sourceId, settings, token, Windows(now.AddDays(-7), trendWeeks), now.AddDays(-7), null, nextCache.Path);
        var nextWeek = await CountedCollectAsync(server, createPlugin(), sourceId, settings, token, windows, now, earlier.Facts, nextCache.Path);

        var plugin = createPlugin();
        return new IncrementalOutcome(
            cold.Billable,
            warm.Billable,
            nextWeek.Billable,
            Differences(plugin, windows, cold.Facts, warm.Facts, "warm"),
            Differences(plugin, windows, cold.Facts, nextWeek.Facts, "next week"))
        {
            WarmRequests = warm.Requests,
            NextWeekRequests = nextWeek.Requests,
        };
    }

    /// <summary>The windows of a 30-day report ending at the start of <paramref name="now"/>'s day.</summary>
    public static ReportWindows Windows(DateTimeOffset now, int trendWeeks = 13) => new(TestSources.Last30Days(now), trendWeeks);

    /// <summary>
    /// One collection for <paramref name="windows"/> at <paramref name="now"/>, building on <paramref name="known"/>:
    /// the facts and the billable (non-304) requests it cost. Tests that change the sandbox's records
    /// between two collections use it directly.
    /// </summary>
    public static async Task<(FactSet Facts, long Billable)> CollectAsync(
        SandboxServer server, ISourcePlugin plugin, string sourceId, JsonObject settings, string? token, ReportWindows windows, DateTimeOffset now, FactSet? known, string cacheDirectory)
    {
        var (facts, billable, _) = await CountedCollectAsync(server, plugin, sourceId, settings, token, windows, now, known, cacheDirectory);
        return (facts, billable);
    }

    // Also every request, 304s included: they cost no rate limit, but time.
    private static async Task<(FactSet Facts, long Billable, long Requests)> CountedCollectAsync(
        SandboxServer server, ISourcePlugin plugin, string sourceId, JsonObject settings, string? token, ReportWindows windows, DateTimeOffset now, FactSet? known, string cacheDirectory)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(windows);
        using var factory = new SourceHttpFactory(TestSources.FastPolicy with { CacheDirectory = cacheDirectory }, Serilog.Core.Logger.None, TimeProvider.System);
        var context = new CollectContext
        {
            FetchWindow = windows.FetchWindow,
            Known = known,
            Settings = TestSources.Settings(plugin, sourceId, settings, token),
            Http = factory.ForSource(sourceId, CancellationToken.None),
            Logger = NullLogger.Instance,
            Progress = new Progress<SourceProgress>(),
            Clock = new FixedClock(now),
        };
        server.ResetStats();
        var facts = await plugin.CollectAsync(context, CancellationToken.None);
        var stats = server.Stats(sourceId);
        return (facts, stats.Requests - stats.NotModified, stats.Requests);
    }

    /// <summary>Every window whose computation differs from the reference's, with both as JSON.</summary>
    public static IReadOnlyList<string> Differences(ISourcePlugin plugin, ReportWindows windows, FactSet reference, FactSet candidate, string scenario)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(windows);
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        var differences = new List<string>();
        foreach (var (window, withSection) in new[] { (windows.Period, true), (windows.Previous, false) }.Concat(windows.TrendWeeks.Select(w => (w, false))))
        {
            var expected = Json(plugin.Compute(reference, new ComputeWindow(window, withSection)));
            var actual = Json(plugin.Compute(candidate, new ComputeWindow(window, withSection)));
            if (expected != actual)
            {
                differences.Add($"{scenario}, window {window}:\n  cold: {expected}\n  {scenario}: {actual}");
            }
        }

        return differences;
    }

    // When the data was read differs between runs by design (a reading's time); everything else must not.
    private static string Json(SourceComputation computation) =>
        JsonSerializer.Serialize(computation with { DataAsOf = null }, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = false });
}

/// <summary>
/// Billable (non-304) requests of the cold reference, the warm re-run and the next-week run, and every
/// window whose numbers differ from the cold reference's (empty when incremental collection is exact).
/// </summary>
public sealed record IncrementalOutcome(long Cold, long Warm, long NextWeek, IReadOnlyList<string> WarmDifferences, IReadOnlyList<string> NextWeekDifferences)
{
    /// <summary>Every request of the warm re-run, 304s included (they cost no rate limit, but time).</summary>
    public long WarmRequests { get; init; }

    /// <summary>Every request of the next-week run, 304s included.</summary>
    public long NextWeekRequests { get; init; }

    public double WarmRatio => Cold == 0 ? 0 : (double)Warm / Cold;

    public double NextWeekRatio => Cold == 0 ? 0 : (double)NextWeek / Cold;

    public override string ToString() =>
        $"billable requests: cold {Cold}, warm {Warm} ({WarmRatio:P1}; {WarmRequests} with 304s), next week {NextWeek} ({NextWeekRatio:P1}; {NextWeekRequests} with 304s)"
        + string.Concat(WarmDifferences.Concat(NextWeekDifferences).Select(d => "\n" + d));
}

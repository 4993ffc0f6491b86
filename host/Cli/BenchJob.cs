using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using OkrHost.Reporting;
using OkrHost.Sandbox;

namespace OkrHost.Cli;

/// <summary>
/// <c>okrhost bench</c>: the full report against the sandbox's <c>large</c> organisation with latency on
/// every request, run cold (empty cache) and then warm (cache kept, data unchanged), measured per
/// source against the fewest requests a perfect client would need.
/// </summary>
internal static class BenchJob
{
    public static async Task<int> RunAsync(SandboxProfile profile, TimeSpan latency, CliEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var sandboxStart = Stopwatch.StartNew();
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Profile = profile, Latency = latency }, cancellationToken);
        environment.Out.WriteLine($"sandbox: {profile} profile, {latency.TotalMilliseconds:0} ms latency per request, organisation generated in {sandboxStart.ElapsedMilliseconds} ms");
        var (sources, variables) = sandbox.DemoSources();
        var folder = Directory.CreateTempSubdirectory("okrhost-bench-");
        try
        {
            var configPath = Path.Combine(folder.FullName, "plugins.json");
            var config = new JsonObject
            {
                ["report"] = new JsonObject { ["title"] = $"Benchmark ({profile})", ["period"] = "last-30d", ["output"] = "out" },
                // As in the demo: the scorecard's OKRs come from the sandbox's Notion database, so
                // their requests are part of what is measured.
                ["okrs"] = await DemoJob.DemoOkrsAsync(folder.FullName, environment, cancellationToken),
                ["sources"] = sources,
            };
            var benchEnvironment = environment with
            {
                Out = TextWriter.Null,
                Interactive = false,
                GetVariable = name => name == "XDG_CACHE_HOME" ? Path.Combine(folder.FullName, "cache") : environment.GetVariable(name),
            };

            var exitCode = ExitCodes.Ok;
            foreach (var pass in new[] { "cold", "warm" })
            {
                sandbox.ResetStats();
                using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = configPath, ConfigText = config.ToJsonString(), Variables = variables }, benchEnvironment);
                var wall = Stopwatch.StartNew();
                var result = await ReportJob.Run(preparation, benchEnvironment, logger).RunAsync(new ReportOptions(null, NoCache: false), cancellationToken);
                wall.Stop();
                exitCode = Math.Max(exitCode, result.ExitCode);
                PrintTable(environment.Out, pass, result.Snapshot ?? throw new InvalidOperationException("the benchmark's own config was refused"), sandbox, wall.Elapsed);
            }

            environment.Out.WriteLine($"peak memory (working set) of the process: {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB");
            return exitCode;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static void PrintTable(TextWriter output, string pass, ReportSnapshot snapshot, SandboxServer sandbox, TimeSpan wall)
    {
        var period = new SandboxPeriod(snapshot.Period.From, snapshot.Period.To);
        output.WriteLine();
        output.WriteLine($"{pass} run: period {snapshot.Period.From:yyyy-MM-dd} to {snapshot.Period.To:yyyy-MM-dd} (previous from {snapshot.PreviousPeriod.From:yyyy-MM-dd})");
        // "x minimum" is requests over the fewest a perfect client needs; "req/s" the source's request rate.
        output.WriteLine($"{"source",-9} {"status",-15} {"wall ms",8} {"requests",9} {"304s",6} {"non-304",8} {"minimum",8} {"x minimum",9} {"req/s",7} {"MiB sent",9}");
        long requests = 0, notModified = 0, minimum = 0, bytes = 0;
        foreach (var source in snapshot.Sources)
        {
            var stats = sandbox.Stats(source.Id);
            var min = sandbox.Emulator(source.Id).MinimumRequests(period);
            requests += stats.Requests;
            notModified += stats.NotModified;
            minimum += min;
            bytes += stats.Bytes;
            output.WriteLine($"{source.Id,-9} {ReportJob.Describe(source.Status),-15} {source.DurationMs,8} {stats.Requests,9} {stats.NotModified,6} {stats.Requests - stats.NotModified,8} {min,8} {TimesMinimum(stats.Requests, min),9} {PerSecond(stats.Requests, source.DurationMs),7} {stats.Bytes / (1024.0 * 1024),9:0.00}");
        }

        output.WriteLine($"{"total",-9} {"",-15} {wall.TotalMilliseconds,8:0} {requests,9} {notModified,6} {requests - notModified,8} {minimum,8} {TimesMinimum(requests, minimum),9} {PerSecond(requests, (long)wall.TotalMilliseconds),7} {bytes / (1024.0 * 1024),9:0.00}");
    }

    private static string TimesMinimum(long requests, long minimum) =>
        minimum == 0 ? "-" : ((double)requests / minimum).ToString("0.00", CultureInfo.InvariantCulture) + "x";

    private static string PerSecond(long requests, long milliseconds) =>
        milliseconds <= 0 ? "-" : (requests * 1000.0 / milliseconds).ToString("0.0", CultureInfo.InvariantCulture);
}

using System.Diagnostics;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Reporting;
using Serilog.Extensions.Logging;

namespace OkrHost.Running;

/// <summary>What one source's run came to.</summary>
/// <summary>What one source's collection came to: its facts when ok.</summary>
public sealed record SourceRun(SourcePlan Plan, SourceStatus Status, string? Error, long DurationMs, long Requests, FactSet? Facts);

/// <summary>Watches a run, for the live progress display or plain log lines.</summary>
public interface IRunObserver
{
    void Started(SourcePlan plan);

    void Progress(SourcePlan plan, SourceProgress progress);

    void Finished(SourceRun run);
}

/// <summary>
/// Runs every runnable source concurrently. Each runs under its own time limit; a source that fails,
/// throws or hangs is recorded as <c>failed</c> with a reason and never stops the others.
/// </summary>
public sealed class SourceRunner(SourceHttpFactory http, Serilog.ILogger logger, TimeProvider clock, IRunObserver observer)
{
    /// <summary>Collects every runnable source's facts for <paramref name="fetchWindow"/>.</summary>
    public async Task<IReadOnlyList<SourceRun>> RunAsync(IReadOnlyList<SourcePlan> plans, ReportPeriod fetchWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var runs = plans.Select(plan => plan.Runnable
            ? RunOneAsync(plan, fetchWindow, cancellationToken)
            : Task.FromResult(Skipped(plan)));
        return await Task.WhenAll(runs);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the source's context, time limit and error handling. Used for
    /// collection and for loading OKRs from a plugin.
    /// </summary>
    public async Task<(T? Value, string? Error, long DurationMs, long Requests)> GuardAsync<T>(
        SourcePlan plan,
        ReportPeriod fetchWindow,
        Func<CollectContext, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(work);
        var sourceLogger = logger.ForContext("Source", plan.Id);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(http.Policy.SourceTimeout);
        var sourceHttp = http.ForSource(plan.Id, timeout.Token);
        using var loggerFactory = new SerilogLoggerFactory(sourceLogger);
        var context = new CollectContext
        {
            FetchWindow = fetchWindow,
            Settings = plan.Settings,
            Http = sourceHttp,
            Logger = loggerFactory.CreateLogger(plan.Plugin.Plugin.GetType().FullName ?? plan.Id),
            Progress = new SynchronousProgress(p => observer.Progress(plan, p)),
            Clock = clock,
        };

        var stopwatch = Stopwatch.StartNew();
        try
        {
            // WaitAsync: a plugin that ignores its token is abandoned at the time limit all the same.
            var value = await work(context, timeout.Token).WaitAsync(timeout.Token);
            return (value, null, stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default, $"{plan.Plugin.DisplayName} did not finish within {http.Policy.SourceTimeout.TotalSeconds:0} s (http.sourceTimeoutSeconds)", stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (SourceException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, ex.Message, stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (HttpRequestException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, $"{plan.Plugin.DisplayName}: network error: {ex.Message}", stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            sourceLogger.Debug(ex, "{Source} failed unexpectedly", plan.Id);
            return (default, $"{plan.Plugin.DisplayName}: unexpected error in the plugin: {ex.GetType().Name}: {ex.Message}", stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
    }

    private async Task<SourceRun> RunOneAsync(SourcePlan plan, ReportPeriod fetchWindow, CancellationToken cancellationToken)
    {
        observer.Started(plan);
        var (facts, error, duration, requests) = await GuardAsync(plan, fetchWindow, (context, token) => plan.Plugin.Plugin.CollectAsync(context, token), cancellationToken);
        var run = facts is null
            ? new SourceRun(plan, SourceStatus.Failed, error, duration, requests, null)
            : new SourceRun(plan, SourceStatus.Ok, null, duration, requests, facts);
        observer.Finished(run);
        return run;
    }

    private static SourceRun Skipped(SourcePlan plan) => plan.Enabled
        ? new SourceRun(plan, SourceStatus.NotConfigured, string.Join("; ", plan.Missing), 0, 0, null)
        : new SourceRun(plan, SourceStatus.Disabled, plan.DisabledReason, 0, 0, null);

    /// <summary>Reports on the caller's thread: Progress&lt;T&gt; would post to the thread pool and reorder lines.</summary>
    private sealed class SynchronousProgress(Action<SourceProgress> report) : IProgress<SourceProgress>
    {
        public void Report(SourceProgress value) => report(value);
    }
}

using System.Diagnostics;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Reporting;
using Serilog.Extensions.Logging;

namespace OkrHost.Running;

/// <summary>What one source's run came to.</summary>
public sealed record SourceRun(SourcePlan Plan, SourceStatus Status, string? Error, long DurationMs, long Requests, SourceResult? Result);

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
    public async Task<IReadOnlyList<SourceRun>> RunAsync(IReadOnlyList<SourcePlan> plans, ReportPeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var runs = plans.Select(plan => plan.Fault is not null ? Task.FromResult(new SourceRun(plan, SourceStatus.Failed, plan.Fault, 0, 0, null))
            : plan.Runnable ? RunOneAsync(plan, period, cancellationToken)
            : Task.FromResult(Skipped(plan)));
        return await Task.WhenAll(runs);
    }

    /// <summary>
    /// Runs <paramref name="work"/> with the source's context, time limit and error handling. Used for
    /// collection and for loading OKRs from a plugin.
    /// </summary>
    public async Task<(T? Value, string? Error, long DurationMs, long Requests)> GuardAsync<T>(
        SourcePlan plan,
        ReportPeriod period,
        Func<SourceContext, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(work);
        var sourceLogger = logger.ForContext("Source", plan.Id);
        // On the run's clock, so a test's fake clock decides when a source has hung.
        using var deadline = new CancellationTokenSource(http.Policy.SourceTimeout, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var sourceHttp = http.ForSource(plan.Id, timeout.Token, plan.Settings.BaseUrl);
        using var loggerFactory = new SerilogLoggerFactory(sourceLogger);
        var context = new SourceContext
        {
            Period = period,
            Settings = plan.Settings,
            Http = sourceHttp,
            Logger = loggerFactory.CreateLogger(plan.Plugin.Plugin.GetType().FullName ?? plan.Id),
            Progress = new SynchronousProgress(p => observer.Progress(plan, p)),
            Clock = clock,
        };

        var stopwatch = Stopwatch.StartNew();
        try
        {
            var value = await PluginCall.RunAsync(token => work(context, token), timeout.Token);
            return (value, null, stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default, $"{plan.Plugin.DisplayName} did not finish within {HumanTime.Describe(http.Policy.SourceTimeout)} (http.sourceTimeoutSeconds)", stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (SourceException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, SourceResultValidator.Truncate(ex.Message), stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (HttpRequestException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, SourceResultValidator.Truncate($"{plan.Plugin.DisplayName}: network error: {ex.Message}"), stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            sourceLogger.Debug(ex, "{Source} failed unexpectedly", plan.Id);
            return (default, SourceResultValidator.Truncate($"{plan.Plugin.DisplayName}: unexpected error in the plugin: {ex.GetType().Name}: {ex.Message}"), stopwatch.ElapsedMilliseconds, sourceHttp.Requests);
        }
    }

    private async Task<SourceRun> RunOneAsync(SourcePlan plan, ReportPeriod period, CancellationToken cancellationToken)
    {
        observer.Started(plan);
        var (result, error, duration, requests) = await GuardAsync(plan, period, (context, token) => plan.Plugin.Plugin.CollectAsync(context, token), cancellationToken);
        if (error is null)
        {
            var ignored = new List<string>();
            (result, var problem) = SourceResultValidator.Validate(plan.Id, plan.Plugin.Plugin.Metrics, result, ignored);
            error = problem is null ? null : $"{plan.Plugin.DisplayName}: {problem}";
            foreach (var id in ignored)
            {
                logger.Warning("{Source} returned undeclared metric {Metric}; ignored", plan.Id, id);
            }
        }

        var run = result is null
            ? new SourceRun(plan, SourceStatus.Failed, error, duration, requests, null)
            : new SourceRun(plan, SourceStatus.Ok, null, duration, requests, Complete(plan, result));
        observer.Finished(run);
        return run;
    }

    /// <summary>Every declared metric appears in an ok source's result: one the plugin left out is null.</summary>
    private SourceResult Complete(SourcePlan plan, SourceResult result)
    {
        foreach (var missing in plan.Plugin.Plugin.Metrics.Select(m => m.Id).Except(result.Metrics.Select(m => m.Id)).ToArray())
        {
            logger.Warning("{Source} returned no value for {Metric}; reported as null", plan.Id, missing);
            result.Metrics.Add(new MetricValue(missing, null, null));
        }

        return result;
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

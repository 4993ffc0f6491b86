using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Http;
using OkrHost.Reporting;
using Serilog.Extensions.Logging;

namespace OkrHost.Running;

/// <summary>What one source's collection came to: its facts when ok.</summary>
public sealed record SourceRun(SourcePlan Plan, SourceStatus Status, string? Error, long DurationMs, long Requests, FactSet? Facts);

/// <summary>What the doctor's probe of one source came to; <see cref="Error"/> null when it is ok.</summary>
/// <param name="Refusal">The last 401, 403 or 404 the service answered, if any.</param>
public sealed record ProbeRun(SourcePlan Plan, string? Error, System.Net.HttpStatusCode? Refusal, long Requests);

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
    /// <summary>
    /// Collects every runnable source's facts for <paramref name="fetchWindow"/>, each building on its
    /// <paramref name="known"/> facts when there are some (<see cref="CollectContext.Known"/>).
    /// </summary>
    public async Task<IReadOnlyList<SourceRun>> RunAsync(IReadOnlyList<SourcePlan> plans, ReportPeriod fetchWindow, IReadOnlyDictionary<string, FactSet>? known, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plans);
        var runs = plans.Select(plan => plan.Fault is not null ? Task.FromResult(new SourceRun(plan, SourceStatus.Failed, plan.Fault, 0, 0, null))
            : plan.Runnable ? RunOneAsync(plan, fetchWindow, known?.GetValueOrDefault(plan.Id), cancellationToken)
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
        var (value, error, durationMs, requests, _) = await GuardWithHttpAsync(plan, fetchWindow, null, work, cancellationToken);
        return (value, error, durationMs, requests);
    }

    /// <summary>
    /// <c>okrhost doctor</c>: runs the source's collection (and its OKR loading, when it provides the
    /// OKRs) in probe mode, so it ends as soon as the service has answered. Needs a probing
    /// <see cref="SourceHttpFactory"/>. Error null: the source is ok.
    /// </summary>
    public async Task<ProbeRun> ProbeAsync(SourcePlan plan, ReportPeriod fetchWindow, bool loadOkrs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var steps = new List<Func<CollectContext, CancellationToken, Task<bool>>>
        {
            async (context, token) => await plan.Source.CollectAsync(context, token) is not null,
        };
        if (loadOkrs && plan.OkrProvider is { } provider)
        {
            steps.Add(async (context, token) => await provider.LoadOkrsAsync(context, token) is not null);
        }

        long requests = 0;
        foreach (var step in steps)
        {
            var (_, error, _, stepRequests, stepHttp) = await GuardWithHttpAsync(plan, fetchWindow, null, step, cancellationToken);
            requests += stepRequests;
            if (error is not null)
            {
                return new ProbeRun(plan, error, stepHttp.Probe?.Refusal, requests);
            }
        }

        return new ProbeRun(plan, null, null, requests);
    }

    private async Task<(T? Value, string? Error, long DurationMs, long Requests, SourceHttp Http)> GuardWithHttpAsync<T>(
        SourcePlan plan,
        ReportPeriod fetchWindow,
        FactSet? known,
        Func<CollectContext, CancellationToken, Task<T>> work,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(work);
        var sourceLogger = logger.ForContext("Source", plan.Id);
        // On the run's clock, so a test's fake clock decides when a source has hung.
        using var deadline = new CancellationTokenSource(http.Policy.SourceTimeout, clock);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var sourceHttp = http.ForSource(plan.Id, timeout.Token, plan.Settings.BaseUrl, plan.Settings.Token);
        using var loggerFactory = new SerilogLoggerFactory(sourceLogger);
        var context = new CollectContext
        {
            FetchWindow = fetchWindow,
            Known = known,
            Settings = plan.Settings,
            Http = sourceHttp,
            Logger = loggerFactory.CreateLogger(plan.Source.GetType().FullName ?? plan.Id),
            Progress = new SynchronousProgress(p => observer.Progress(plan, p)),
            Clock = clock,
        };

        var started = clock.GetTimestamp();
        try
        {
            var value = await PluginCall.RunAsync(token => work(context, token), timeout.Token);
            return (value, null, Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
        catch (OperationCanceledException) when (sourceHttp.Probe is { Ended: true } && !cancellationToken.IsCancellationRequested)
        {
            // Whatever of the collection is still running meets its cancellation rather than the probe's end, one request at a time.
            await timeout.CancelAsync();
            return (default, null, Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return (default, $"{plan.Plugin.DisplayName} did not finish within {HumanTime.Describe(http.Policy.SourceTimeout)} (http.sourceTimeoutSeconds)", Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
        catch (SourceException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, SourceResultValidator.Truncate(ex.Message), Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
        catch (HttpRequestException ex)
        {
            sourceLogger.Debug(ex, "{Source} failed", plan.Id);
            return (default, SourceResultValidator.Truncate($"{plan.Plugin.DisplayName}: network error: {ex.Message}"), Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            sourceLogger.Debug(ex, "{Source} failed unexpectedly", plan.Id);
            return (default, SourceResultValidator.Truncate($"{plan.Plugin.DisplayName}: unexpected error in the plugin: {ex.GetType().Name}: {ex.Message}"), Elapsed(started), sourceHttp.Requests, sourceHttp);
        }
    }

    private long Elapsed(long started) => (long)clock.GetElapsedTime(started).TotalMilliseconds;

    private async Task<SourceRun> RunOneAsync(SourcePlan plan, ReportPeriod fetchWindow, FactSet? known, CancellationToken cancellationToken)
    {
        observer.Started(plan);
        var (collected, error, duration, requests, _) = await GuardWithHttpAsync(plan, fetchWindow, known, (context, token) => plan.Source.CollectAsync(context, token), cancellationToken);
        FactSet? facts = null;
        if (error is null)
        {
            (facts, var problem) = SourceResultValidator.ValidateFacts(collected);
            error = problem is null ? null : $"{plan.Plugin.DisplayName}: {problem}";
        }

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

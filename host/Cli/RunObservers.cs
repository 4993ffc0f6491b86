using System.Collections.Concurrent;
using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Running;
using Spectre.Console;

namespace OkrHost.Cli;

/// <summary>
/// Keeps every source's line ending on its final state: progress that arrives after a source finished
/// (a plugin's <c>Progress&lt;T&gt;</c> posts late) is dropped, and the OKR provider's "finished" is held
/// back until its OKRs are loaded too, then reported once with both request counts.
/// </summary>
internal sealed class FinalStateObserver(IRunObserver inner, string? okrProviderId) : IRunObserver
{
    private readonly ConcurrentDictionary<string, SourceRun> _finished = new(StringComparer.Ordinal);
    private SourceRun? _heldBack;

    public void Started(SourcePlan plan) => inner.Started(plan);

    public void Progress(SourcePlan plan, SourceProgress progress)
    {
        if (!_finished.ContainsKey(plan.Id))
        {
            inner.Progress(plan, progress);
        }
    }

    public void Finished(SourceRun run)
    {
        if (run.Plan.Id != okrProviderId)
        {
            _finished[run.Plan.Id] = run;
            inner.Finished(run);
        }
        else
        {
            // Progress of the OKR load still shows until Release.
            _heldBack = run;
        }
    }

    /// <summary>Reports the OKR provider's run, with the OKR requests added, if it ran; returns that run.</summary>
    public SourceRun? Release(long okrRequests)
    {
        if (_heldBack is not { } run)
        {
            return null;
        }

        var final = run with { Requests = run.Requests + okrRequests };
        _finished[final.Plan.Id] = final;
        inner.Finished(final);
        return final;
    }
}

/// <summary>Plain progress lines, for redirected output and CI.</summary>
internal sealed class LogRunObserver(Serilog.ILogger logger) : IRunObserver
{
    public void Started(SourcePlan plan) => logger.Information("{Source}: started", plan.Id);

    public void Progress(SourcePlan plan, SourceProgress progress) =>
        logger.Information("{Source}: {Stage}{Count}", plan.Id, progress.Stage, progress.Total is { } total ? $" ({progress.Completed ?? 0}/{total})" : "");

    public void Finished(SourceRun run)
    {
        if (run.Status == SourceStatus.Ok)
        {
            logger.Information("{Source}: ok, {Requests} requests in {Duration} ms", run.Plan.Id, run.Requests, run.DurationMs);
        }
        else
        {
            logger.Warning("{Source}: {Status}: {Error}", run.Plan.Id, run.Status, run.Error);
        }
    }
}

/// <summary>A live line per source on an interactive terminal.</summary>
internal sealed class LiveRunObserver(ProgressContext context, IEnumerable<SourcePlan> plans) : IRunObserver
{
    private readonly ConcurrentDictionary<string, ProgressTask> _tasks = new(
        plans.Where(p => p.Runnable).Select(p => KeyValuePair.Create(p.Id, context.AddTask(Markup.Escape(p.Plugin.DisplayName), autoStart: false).IsIndeterminate())));

    public void Started(SourcePlan plan) => _tasks[plan.Id].StartTask();

    public void Progress(SourcePlan plan, SourceProgress progress)
    {
        var task = _tasks[plan.Id];
        task.Description = Markup.Escape($"{plan.Plugin.DisplayName}: {progress.Stage}");
        if (progress.Total is > 0 and var total)
        {
            task.IsIndeterminate = false;
            task.MaxValue = total;
            task.Value = progress.Completed ?? 0;
        }
    }

    public void Finished(SourceRun run)
    {
        var task = _tasks[run.Plan.Id];
        task.Description = run.Status == SourceStatus.Ok
            ? $"[green]{Markup.Escape(run.Plan.Plugin.DisplayName)}[/]: ok, {run.Requests} requests"
            : $"[red]{Markup.Escape(run.Plan.Plugin.DisplayName)}[/]: failed";
        task.IsIndeterminate = false;
        task.Value = task.MaxValue;
        task.StopTask();
    }
}

using System.Collections.Concurrent;
using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Running;
using Spectre.Console;

namespace OkrHost.Cli;

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

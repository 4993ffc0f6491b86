using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>Plain progress lines, for redirected output and CI; <paramref name="team"/> names the team of a teams run.</summary>
internal sealed class LogRunObserver(Serilog.ILogger logger, string? team = null) : IRunObserver
{
    private string Name(SourcePlan plan) => team is null ? plan.Id : $"{team}/{plan.Id}";

    public void Started(SourcePlan plan) => logger.Information("{Source}: started", Name(plan));

    public void Progress(SourcePlan plan, SourceProgress progress) =>
        logger.Information("{Source}: {Stage}{Count}", Name(plan), progress.Stage, progress.Total is { } total ? $" ({progress.Completed ?? 0}/{total})" : "");

    public void Finished(SourceRun run)
    {
        if (run.Status == SourceStatus.Ok)
        {
            logger.Information("{Source}: ok, {Requests} requests in {Duration} ms", Name(run.Plan), run.Requests, run.DurationMs);
        }
        else
        {
            logger.Warning("{Source}: {Status}: {Error}", Name(run.Plan), run.Status, run.Error);
        }
    }
}

using System.CommandLine;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history list</c>: one stored run a line.</summary>
internal sealed class HistoryListCommand : HistoryStoreCommand
{
    public HistoryListCommand(CliContext context)
        : base("list", "One stored run a line: id, generatedAt, period from/to, sources ok", context)
    {
        AddWithStore();
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken)
    {
        var runs = await store.ListRunsAsync(cancellationToken);
        foreach (var run in runs)
        {
            Environment.Out.WriteLine($"{run.Id,5}  {Instant(run.GeneratedAt)}  {Period(run.PeriodFrom, run.PeriodTo)}  {run.SourcesOk}/{run.SourcesTotal} sources ok  {run.Origin}");
        }

        if (runs.Count == 0)
        {
            Environment.Error.WriteLine($"no runs in {store.Description} yet");
        }

        return ExitCodes.Ok;
    }
}

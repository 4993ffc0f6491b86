using System.CommandLine;
using System.Globalization;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history prune</c>: old runs deleted, by count or by date.</summary>
internal sealed class HistoryPruneCommand : HistoryStoreCommand
{
    private readonly Option<int?> _keep = new("--keep") { Description = "Keep the newest N runs, delete the rest" };
    private readonly Option<string?> _before = new("--before") { Description = "Delete the runs generated before this date (YYYY-MM-DD, UTC) or instant" };

    public HistoryPruneCommand(CliContext context)
        : base("prune", "Delete old runs with their values, key results and facts", context)
    {
        AddWithStore(_keep, _before);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken)
    {
        PruneRule? rule = (parse.GetValue(_keep), parse.GetValue(_before)) switch
        {
            ({ } count, null) when count >= 0 => new KeepNewestRuns(count),
            (null, { } text) when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant) =>
                new RunsGeneratedBefore(instant),
            _ => null,
        };
        if (rule is null)
        {
            Environment.Error.WriteLine("error: prune needs exactly one of --keep N (N ≥ 0) or --before DATE (YYYY-MM-DD)");
            return ExitCodes.InvalidInput;
        }

        var deleted = await store.PruneAsync(rule, cancellationToken);
        var left = (await store.ListRunsAsync(cancellationToken)).Count;
        Environment.Out.WriteLine($"pruned {deleted} run{(deleted == 1 ? "" : "s")} from {store.Description}; {left} left");
        return ExitCodes.Ok;
    }
}

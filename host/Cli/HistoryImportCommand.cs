using System.CommandLine;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history import FILE…</c>: report.json snapshots stored as runs.</summary>
internal sealed class HistoryImportCommand : HistoryStoreCommand
{
    private readonly Argument<string[]> _files = new("report.json") { Description = "Snapshots written by okrhost report", Arity = ArgumentArity.OneOrMore };

    public HistoryImportCommand(CliContext context)
        : base("import", "Store report.json snapshots as runs, to back-fill the quarter", context, createIfMissing: true)
    {
        AddWithStore(_files);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken)
    {
        var exitCode = ExitCodes.Ok;
        foreach (var file in parse.GetValue(_files)!)
        {
            var path = Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, file));
            if (await SnapshotFile.ReadAsync(path, file, Environment.Error, cancellationToken) is not { } snapshot)
            {
                exitCode = ExitCodes.InvalidInput;
                continue;
            }

            var saved = await HistoryAccess.ImportAsync(store, snapshot, cancellationToken);
            Environment.Out.WriteLine(saved.Created ? $"{file}: stored as run {saved.Id}" : $"{file}: already stored as run {saved.Id}");
        }

        return exitCode;
    }
}

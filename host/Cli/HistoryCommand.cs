using System.CommandLine;
using System.Globalization;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history list | show | export | import | prune</c> (PRODUCT.md section 9).</summary>
internal sealed class HistoryCommand : Command
{
    public HistoryCommand(CliContext context)
        : base("history", "Runs remembered in the history store: list, show, export, import, prune")
    {
        Add(new HistoryListCommand(context));
        Add(new HistoryShowCommand(context));
        Add(new HistoryExportCommand(context));
        Add(new HistoryImportCommand(context));
        Add(new HistoryPruneCommand(context));
    }
}

/// <summary>A history subcommand: takes <c>--config</c> and <c>--store</c> after its own options and works on the store they name.</summary>
internal abstract class HistoryStoreCommand : CliCommand
{
    private readonly Option<string?> _config = CommonOptions.Config();
    private readonly Option<string?> _store = CommonOptions.Store();
    private readonly bool _createIfMissing;

    protected HistoryStoreCommand(string name, string description, CliContext context, bool createIfMissing = false)
        : base(name, description, context)
    {
        _createIfMissing = createIfMissing;
    }

    /// <summary>Adds the subcommand's own options, then <c>--config</c> and <c>--store</c>, in the order help lists them.</summary>
    protected void AddWithStore(params Symbol[] symbols) => AddInOrder([.. symbols, _config, _store]);

    protected abstract Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken);

    protected sealed override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken) =>
        new HistoryAccess(Environment).WithStoreAsync(parse.GetValue(_config), parse.GetValue(_store), _createIfMissing, store => ExecuteAsync(parse, store, cancellationToken), cancellationToken);

    protected static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Dates when the bounds are midnights (every named period), instants otherwise.</summary>
    protected static string Period(DateTimeOffset from, DateTimeOffset to)
    {
        static string Bound(DateTimeOffset instant) => instant.UtcDateTime.TimeOfDay == TimeSpan.Zero
            ? instant.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : Instant(instant);
        return $"{Bound(from)} to {Bound(to)}";
    }

    protected static string Number(double? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "-";
}

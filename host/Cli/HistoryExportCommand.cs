using System.CommandLine;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history export</c>: every stored metric value, as CSV or JSON.</summary>
internal sealed class HistoryExportCommand : HistoryStoreCommand
{
    private readonly Option<string> _format = new("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
    private readonly Option<string?> _metric = new("--metric") { Description = "Only this metric id" };

    public HistoryExportCommand(CliContext context)
        : base("export", "Every stored metric value, one row per run and metric, for a spreadsheet or BI tool", context)
    {
        _format.AcceptOnlyFromAmong("csv", "json");
        AddWithStore(_format, _metric);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken)
    {
        var rows = await store.GetMetricValuesAsync(new MetricValueQuery { MetricId = parse.GetValue(_metric) }, cancellationToken);
        Environment.Out.Write(parse.GetValue(_format) == "json" ? HistoryExport.Json(rows) : HistoryExport.Csv(rows));
        return ExitCodes.Ok;
    }
}

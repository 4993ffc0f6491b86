using System.CommandLine;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost history show RUN</c>: a stored run's provenance, sources, metric values and key results.</summary>
internal sealed class HistoryShowCommand : HistoryStoreCommand
{
    private readonly Argument<long> _run = new("run") { Description = "The run's id (okrhost history list)" };
    private readonly Option<bool> _json = new("--json") { Description = "Print the stored report.json snapshot instead" };

    public HistoryShowCommand(CliContext context)
        : base("show", "A stored run: provenance, source statuses, metric values and key results", context)
    {
        AddWithStore(_run, _json);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, IHistoryStore store, CancellationToken cancellationToken)
    {
        if (await store.GetRunAsync(parse.GetValue(_run), cancellationToken) is not { } run)
        {
            Environment.Error.WriteLine($"error: no run {parse.GetValue(_run)} in {store.Description} (okrhost history list shows the ids)");
            return ExitCodes.InvalidInput;
        }

        var output = Environment.Out;
        if (parse.GetValue(_json))
        {
            output.WriteLine(run.SnapshotJson);
            return ExitCodes.Ok;
        }

        var summary = run.Summary;
        var snapshot = run.Snapshot();
        output.WriteLine($"run {summary.Id}: {snapshot.Title}");
        output.WriteLine($"  period     {Period(summary.PeriodFrom, summary.PeriodTo)} (end exclusive)");
        output.WriteLine($"  generated  {Instant(summary.GeneratedAt)} by okrhost {summary.ToolVersion} (contracts {summary.ContractsVersion}), {summary.Origin}, stored {Instant(summary.StoredAt)}");
        output.WriteLine($"  config     {(summary.ConfigFingerprint is { } fingerprint ? "sha256 " + fingerprint : "-")}");
        output.WriteLine($"  sources    {string.Join(", ", snapshot.Sources.Select(s => $"{s.Id} {RunOutput.Describe(s.Status)}"))}");
        output.WriteLine("metrics (value, previous):");
        foreach (var metric in snapshot.Metrics)
        {
            output.WriteLine($"  {metric.Id,-42} {Number(metric.Value),12} {Number(metric.Previous),12}");
        }

        output.WriteLine("key results (status, actual, progress):");
        foreach (var keyResult in await store.GetKeyResultsAsync(summary.Id, cancellationToken))
        {
            output.WriteLine($"  {EnumText.Of(keyResult.Status),-10} {Number(keyResult.Actual),10} {Number(keyResult.Progress * 100),6}%  {keyResult.Objective} / {keyResult.KeyResult}");
        }

        var checkIns = Insights.StoredCheckIn.Of(summary.Id, snapshot).ToArray();
        if (checkIns.Length > 0)
        {
            output.WriteLine("check-ins (owner's confidence, note):");
            foreach (var checkIn in checkIns)
            {
                output.WriteLine($"  {checkIn.Confidence ?? "-",-10} {checkIn.Objective} / {checkIn.KeyResult}{(checkIn.Note is { } note ? $": {note}" : "")}");
            }
        }

        return ExitCodes.Ok;
    }
}

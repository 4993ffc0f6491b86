using System.CommandLine;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost merge PART…</c>: the report of facts bundles, as <c>report --facts PART,…</c> writes it.</summary>
internal sealed class MergeCommand : CliCommand
{
    private readonly Argument<string[]> _parts = new("PART") { Description = "Facts bundles written by okrhost collect (every shard of a split)", Arity = ArgumentArity.OneOrMore };
    private readonly Option<string?> _config = CommonOptions.Config();
    private readonly Option<string?> _okrs = CommonOptions.Okrs();
    private readonly Option<string?> _out = CommonOptions.Out();
    private readonly PeriodOptions _period = new();
    private readonly Option<string?> _failOn = CommonOptions.FailOn();

    public MergeCommand(CliContext context)
        : base("merge", "Merge facts bundles (the shards of okrhost collect --shard) into the report one unsharded run writes; the same as report --facts PART,…", context)
    {
        AddInOrder(_parts, _config, _okrs, _out, _period.From, _period.To, _period.Period, _failOn);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var options = _period.Read(parse) with { ConfigPath = parse.GetValue(_config), OkrsPath = parse.GetValue(_okrs) };
        var reportOptions = new ReportOptions(parse.GetValue(_out), NoCache: true, CommonOptions.FailOnStatus(parse.GetValue(_failOn)));
        return ReportFromFactsAsync(options, new FactsRequest(parse.GetValue(_parts) ?? [], _period.Given(parse)), reportOptions, Logger(parse), cancellationToken);
    }
}

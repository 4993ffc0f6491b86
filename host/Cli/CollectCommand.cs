using System.CommandLine;
using OkrHost.Running;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost collect</c>: every enabled source's facts (or shard i of N of their work) as one bundle.</summary>
internal sealed class CollectCommand : CliCommand
{
    private readonly Option<string?> _config = CommonOptions.Config();
    private readonly Option<string> _out = new("--out") { Description = "The facts bundle to write (JSON)", Required = true };
    private readonly PeriodOptions _period = new();
    private readonly Option<string?> _only = CommonOptions.Only();
    private readonly Option<bool> _noCache = CommonOptions.NoCache();
    private readonly Option<string?> _shard = new("--shard") { Description = "Collect only shard i of N of each source's work, e.g. 2/3 (sources that cannot be split run in shard 1)" };
    private readonly Option<string?> _tokenEnvSuffix = new("--token-env-suffix") { Description = "Read each token from <tokenEnv><suffix> when it is set (GITHUB_TOKEN_2 for _2), so shards spend different quotas" };

    public CollectCommand(CliContext context)
        : base("collect", "Fetch every enabled source's facts and write them as one bundle, for okrhost report --facts or okrhost merge", context)
    {
        AddInOrder(_config, _out, _period.From, _period.To, _period.Period, _only, _noCache, _shard, _tokenEnvSuffix);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        Shard? shard = null;
        if (parse.GetValue(_shard) is { } text && !Shard.TryParse(text, out shard, out var error))
        {
            throw new InvalidInputException($"--shard: {error}");
        }

        var logger = Logger(parse);
        var options = _period.Read(parse) with
        {
            ConfigPath = parse.GetValue(_config),
            Only = CommonOptions.List(parse.GetValue(_only)),
            Shard = shard,
            TokenEnvSuffix = parse.GetValue(_tokenEnvSuffix),
            ConfigRequired = true,
        };
        using var preparation = Preparation.Prepare(options, Environment);
        var collection = new FactsCollection(TerminalPrinter.Run(preparation, Environment, logger), preparation, Environment);
        return await collection.RunAsync(parse.GetValue(_out)!, shard, parse.GetValue(_noCache), cancellationToken);
    }
}

using System.CommandLine;
using OkrHost.Reporting;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost report</c>: live, from facts bundles (<c>--facts</c>), on the demo (<c>--demo</c>), or one report per team (several <c>--config</c>).</summary>
internal sealed class ReportCommand : CliCommand
{
    /// <summary>Where a teams run's site goes without <c>--out</c>, relative to the current folder.</summary>
    public const string DefaultSite = "site";

    private readonly Option<string[]> _config = new("--config")
    {
        Description = "The config file (default: plugins.json in the current folder); several (teams/*/plugins.json) write one report per team and an index",
        AllowMultipleArgumentsPerToken = true,
    };

    private readonly Option<string?> _okrs = CommonOptions.Okrs();
    private readonly Option<string?> _out = CommonOptions.Out();
    private readonly PeriodOptions _period = new();
    private readonly Option<bool> _demo = new("--demo") { Description = "Run every built-in source against the bundled sandbox: no tokens, no network" };
    private readonly Option<string?> _only = CommonOptions.Only();
    private readonly Option<bool> _noCache = CommonOptions.NoCache();
    private readonly Option<bool> _noHistory = new("--no-history") { Description = "Do not store this run in the history store" };
    private readonly Option<string?> _failOn = CommonOptions.FailOn();
    private readonly Option<string?> _facts = new("--facts") { Description = "Compute the report from these facts bundles (okrhost collect), comma-separated, with no network" };

    public ReportCommand(CliContext context)
        : base("report", "Fetch metrics, score the OKRs and write report.html and report.json", context)
    {
        AddInOrder(_config, _okrs, _out, _period.From, _period.To, _period.Period, _demo, _only, _noCache, _noHistory, _failOn, _facts);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var logger = Logger(parse);
        var configs = ConfigPatterns.Expand(parse.GetValue(_config) ?? [], Environment.CurrentDirectory);
        var options = _period.Read(parse) with
        {
            ConfigPath = configs.Count == 1 ? configs[0] : null,
            OkrsPath = parse.GetValue(_okrs),
            Only = CommonOptions.List(parse.GetValue(_only)),
        };
        var reportOptions = new ReportOptions(parse.GetValue(_out), parse.GetValue(_noCache), CommonOptions.FailOnStatus(parse.GetValue(_failOn)))
        {
            NoHistory = parse.GetValue(_noHistory),
        };
        if (configs.Count > 1)
        {
            if (parse.GetValue(_demo) || parse.GetValue(_facts) is not null || options.OkrsPath is not null)
            {
                throw new InvalidInputException("several --config files make one report per team from each team's own config: they take neither --demo, --facts nor --okrs");
            }

            // No live display of several teams at once: progress goes out as plain lines naming team and source.
            return await TeamsAsync(configs, options, reportOptions, Logger(parse, Environment with { Interactive = false }), cancellationToken);
        }

        if (parse.GetValue(_facts) is { } files)
        {
            if (parse.GetValue(_demo) || options.Only is not null)
            {
                throw new InvalidInputException("--facts computes from bundles alone: it takes neither --demo nor --only");
            }

            return await ReportFromFactsAsync(options, new FactsRequest(CommonOptions.List(files) ?? [], _period.Given(parse)), reportOptions, logger, cancellationToken);
        }

        if (parse.GetValue(_demo))
        {
            return await new DemoReport(Environment, logger).RunAsync(options, reportOptions, cancellationToken);
        }

        using var preparation = Preparation.Prepare(options with { ConfigRequired = true }, Environment);
        return (await TerminalPrinter.Run(preparation, Environment, logger).RunAsync(reportOptions, cancellationToken)).ExitCode;
    }

    /// <summary>
    /// Several configs: one report per team and an index (PRODUCT.md section 11). Prints each team's
    /// lines together, prefixed with its name, once every team is done.
    /// </summary>
    private async Task<int> TeamsAsync(IReadOnlyList<string> configs, PrepareOptions options, ReportOptions reportOptions, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var teams = Team.FromConfigs(configs, Environment.CurrentDirectory);
        var site = Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, reportOptions.OutputDirectory ?? DefaultSite));
        logger.Information("{Count} teams: {Teams}", teams.Count, string.Join(", ", teams.Select(t => t.Name)));
        var result = await new TeamsRun(Environment, logger, team => new LogRunObserver(logger, team))
            .RunAsync(teams, options, reportOptions, site, cancellationToken);
        foreach (var outcome in result.Teams)
        {
            PrintTeamLines(Environment.Out, outcome.Team.Name, outcome.Out);
            PrintTeamLines(Environment.Error, outcome.Team.Name, outcome.Error);
        }

        Environment.Out.WriteLine($"index written: {Path.Combine(site, TeamsIndex.HtmlName)} and {TeamsIndex.JsonName} ({result.Teams.Count(t => t.Result.ExitCode == ExitCodes.Ok)} of {result.Teams.Count} teams ok)");
        return result.ExitCode;
    }

    private static void PrintTeamLines(TextWriter writer, string team, string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            writer.WriteLine($"[{team}] {line.TrimEnd('\r')}");
        }
    }
}

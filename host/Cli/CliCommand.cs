using System.CommandLine;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>
/// One <c>okrhost</c> command: its options are its fields and <see cref="ExecuteAsync"/> its handler,
/// the shape of Spectre.Console.Cli's <c>Command&lt;TSettings&gt;</c> on System.CommandLine. Checks
/// that need no I/O belong in the options' validators, so a bad command line fails before any work.
/// </summary>
internal abstract class CliCommand : Command
{
    protected CliCommand(string name, string description, CliContext context)
        : base(name, description)
    {
        Context = context;
        SetAction(ExecuteAsync);
    }

    protected CliContext Context { get; }

    protected RunEnvironment Environment => Context.Environment;

    /// <summary>Runs the command; returns its exit code (<see cref="ExitCodes"/>).</summary>
    protected abstract Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken);

    /// <summary>The command's log, at the level <c>--verbose</c> asks for.</summary>
    protected Serilog.ILogger Logger(ParseResult parse, RunEnvironment? environment = null) =>
        CliApp.CreateLogger(environment ?? Environment, parse.GetValue(Context.Verbose));

    /// <summary>The report computed from facts bundles (<c>merge</c>, <c>report --facts</c>).</summary>
    protected async Task<int> ReportFromFactsAsync(PrepareOptions options, FactsRequest facts, ReportOptions reportOptions, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        using var preparation = Preparation.Prepare(options, Environment);
        var report = new FactsReport(TerminalPrinter.Run(preparation, Environment, logger), preparation, Environment, logger);
        return (await report.RunAsync(facts, reportOptions, cancellationToken)).ExitCode;
    }

    /// <summary>Adds the options in the order help lists them.</summary>
    protected void AddInOrder(params Symbol[] symbols)
    {
        foreach (var symbol in symbols)
        {
            switch (symbol)
            {
                case Option option:
                    Options.Add(option);
                    break;
                case Argument argument:
                    Arguments.Add(argument);
                    break;
                default:
                    throw new ArgumentException($"{symbol.Name} is neither an option nor an argument", nameof(symbols));
            }
        }
    }
}

/// <summary>What every command is built with: the run's environment and the root's <c>--verbose</c>.</summary>
internal sealed record CliContext(RunEnvironment Environment, Option<bool> Verbose);

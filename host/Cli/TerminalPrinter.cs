using OkrHost.Contracts;
using OkrHost.Running;
using Spectre.Console;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>Prints a report run to the terminal: a live line per source when interactive, else log lines.</summary>
internal sealed class TerminalPrinter(RunEnvironment environment, Serilog.ILogger logger) : IReportRunPrinter
{
    /// <summary>The report use case printing to the terminal.</summary>
    public static ReportRun Run(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger) =>
        new(preparation, environment, new TerminalPrinter(environment, logger), logger);

    public TextWriter Out => environment.Out;

    public TextWriter Error => environment.Error;

    public async Task ShowProgressAsync(IReadOnlyList<SourcePlan> plans, Func<IRunObserver, Task> collect)
    {
        if (!environment.Interactive)
        {
            await collect(new LogRunObserver(logger));
            return;
        }

        // The error writer is the redacting wrapper of the terminal, which Spectre cannot recognise
        // as one; the environment already knows it is.
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(environment.Error),
            Ansi = AnsiSupport.Yes,
            Interactive = InteractionSupport.Yes,
        });
        await console.Progress().AutoClear(false).HideCompleted(false)
            .Columns(new SpinnerColumn(), new TaskDescriptionColumn { Alignment = Justify.Left }, new ElapsedTimeColumn())
            .StartAsync(context => collect(new LiveRunObserver(context, plans)));
    }
}

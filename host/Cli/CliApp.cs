using System.CommandLine;
using Serilog;
using Serilog.Events;

namespace OkrHost.Cli;

/// <summary>The <c>okrhost</c> command line (PRODUCT.md section 2).</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, CliEnvironment environment) => RunAsync(args, environment, parseOnly: false);

    /// <param name="parseOnly">
    /// Stop after parsing: 0 when the command line is valid, 2 with the errors when not. Checks command
    /// lines written elsewhere (the deploy recipes) against the real command tree without running them.
    /// </param>
    internal static async Task<int> RunAsync(string[] args, CliEnvironment environment, bool parseOnly)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var verbose = new Option<bool>("--verbose") { Description = "Log every request and show stack traces of unexpected errors", Recursive = true };
        // A RootCommand is named after the executable (OkrHost.dll); help and messages say the command's name.
        var root = new Command("okrhost", "okrhost: engineering OKRs scored against live metrics, as one self-contained HTML report")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            verbose,
            Commands.Report(environment, verbose),
            Commands.Render(environment, verbose),
            Commands.Plugins(environment),
            Commands.Validate(environment, verbose),
            Commands.Sandbox(environment),
            Commands.Bench(environment, verbose),
            Commands.Init(environment),
            Commands.Doctor(environment, verbose),
            HistoryCommands.History(environment),
        };

        var parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
            {
                environment.Error.WriteLine($"error: {error.Message}");
            }

            environment.Error.WriteLine("run 'okrhost --help' for usage");
            return ExitCodes.InvalidInput;
        }

        if (parseOnly)
        {
            return ExitCodes.Ok;
        }

        using var cancel = new CancellationTokenSource();
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { Output = environment.Out, Error = environment.Error }, cancel.Token);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            environment.Error.WriteLine($"error: unexpected failure: {ex.Message}");
            if (parsed.GetValue(verbose))
            {
                environment.Error.WriteLine(ex.ToString());
            }
            else
            {
                environment.Error.WriteLine("run again with --verbose for details");
            }

            return ExitCodes.Unexpected;
        }
    }

    /// <summary>Log lines go to standard error so standard output stays clean for summaries.</summary>
    internal static Serilog.ILogger CreateLogger(CliEnvironment environment, bool verbose)
    {
        // On a live terminal the progress display shows what plain lines would, so only warnings print.
        var level = verbose ? LogEventLevel.Debug : environment.Interactive ? LogEventLevel.Warning : LogEventLevel.Information;
        return new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .WriteTo.Sink(new TextWriterSink(environment.Error, "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}"))
            .CreateLogger();
    }
}

/// <summary>Writes log lines to the CLI's error writer (the process's stderr, or a test's capture).</summary>
internal sealed class TextWriterSink(TextWriter writer, string outputTemplate) : Serilog.Core.ILogEventSink
{
    private readonly Serilog.Formatting.Display.MessageTemplateTextFormatter _formatter = new(outputTemplate, System.Globalization.CultureInfo.InvariantCulture);
    private readonly Lock _lock = new();

    public void Emit(LogEvent logEvent)
    {
        lock (_lock)
        {
            _formatter.Format(logEvent, writer);
            writer.Flush();
        }
    }
}

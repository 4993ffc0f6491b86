using System.CommandLine;
using OkrHost.Security;
using Serilog;
using Serilog.Events;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>The <c>okrhost</c> command line (PRODUCT.md section 2).</summary>
public static class CliApp
{
    /// <summary>What an interrupted command prints; nothing it was writing has replaced the previous files.</summary>
    public const string InterruptedMessage = "interrupted; the previous report is kept";

    public static Task<int> RunAsync(string[] args, RunEnvironment environment) => RunAsync(args, environment, parseOnly: false);

    /// <param name="parseOnly">
    /// Stop after parsing: 0 when the command line is valid, 2 with the errors when not. Checks command
    /// lines written elsewhere (the deploy recipes) against the real command tree without running them.
    /// </param>
    internal static async Task<int> RunAsync(string[] args, RunEnvironment environment, bool parseOnly)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var global = new GlobalOptions();
        var parsed = BuildRoot(environment, global).Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var parseError in parsed.Errors)
            {
                environment.Error.WriteLine($"error: {parseError.Message}");
            }

            environment.Error.WriteLine("run 'okrhost --help' for usage");
            return ExitCodes.InvalidInput;
        }

        if (parseOnly)
        {
            return ExitCodes.Ok;
        }

        var verbose = parsed.GetValue(global.Verbose);
        var redactor = environment.Redactor;
        using var output = new RedactingTextWriter(environment.Out, redactor);
        using var error = new RedactingTextWriter(environment.Error, redactor);
        StreamWriter? logFile;
        try
        {
            logFile = parsed.GetValue(global.Log) is { } logPath ? OpenLog(Path.Combine(environment.CurrentDirectory, logPath)) : null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"error: --log {parsed.GetValue(global.Log)}: cannot write the log file: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        await using var logStream = logFile;
        await using var log = logFile is null ? null : new RedactingTextWriter(logFile, redactor);
        var guarded = environment with { Out = output, Error = error, LogFile = log };

        // Built again on the guarded environment: every command writes through the redactor.
        parsed = BuildRoot(guarded, global).Parse(args);
        try
        {
            var invocation = new InvocationConfiguration
            {
                Output = output,
                Error = error,
                // The host's handler below is the only one: no stack trace without --verbose.
                EnableDefaultExceptionHandler = false,
                // Interrupts arrive through RunEnvironment.Interrupted, in-process as well as from signals.
                ProcessTerminationTimeout = null,
            };
            return await parsed.InvokeAsync(invocation, environment.Interrupted);
        }
        catch (Exception) when (environment.Interrupted.IsCancellationRequested)
        {
            Report(guarded, InterruptedMessage);
            return ExitCodes.Interrupted;
        }
        catch (InvalidInputException ex)
        {
            Report(guarded, $"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // A path the user named cannot be read or written: theirs to fix, not a defect.
            Report(guarded, $"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
        catch (Exception ex)
        {
            Report(guarded, $"error: unexpected failure: {ex.GetType().Name}: {FirstLine(ex.Message)}");
            if (verbose)
            {
                Report(guarded, ex.ToString());
            }
            else
            {
                Report(guarded, "run again with --verbose for details" + (log is null ? "" : " (the stack trace then goes to the --log file too)"));
            }

            return ExitCodes.Unexpected;
        }
    }

    /// <summary>Log lines go to standard error so standard output stays clean for summaries, and to the --log file.</summary>
    internal static Serilog.ILogger CreateLogger(RunEnvironment environment, bool verbose)
    {
        // On a live terminal the progress display shows what plain lines would, so only warnings print.
        var level = verbose ? LogEventLevel.Debug : environment.Interactive ? LogEventLevel.Warning : LogEventLevel.Information;
        const string template = "{Timestamp:HH:mm:ss} {Level:u3} {Message:lj}{NewLine}{Exception}";
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Debug()
            .WriteTo.Sink(new TextWriterSink(environment.Error, verbose ? template : template.Replace("{Exception}", "", StringComparison.Ordinal)), level);
        if (environment.LogFile is { } file)
        {
            configuration = configuration.WriteTo.Sink(new TextWriterSink(file, template), verbose ? LogEventLevel.Debug : LogEventLevel.Information);
        }

        return configuration.CreateLogger();
    }

    // A RootCommand is named after the executable (OkrHost.dll); help and messages say the command's name.
    private static Command BuildRoot(RunEnvironment environment, GlobalOptions global)
    {
        var context = new CliContext(environment, global.Verbose);
        return new("okrhost", "okrhost: engineering OKRs scored against live metrics, as one self-contained HTML report")
        {
            new System.CommandLine.Help.HelpOption(),
            new VersionOption(),
            global.Verbose,
            global.Log,
            new ReportCommand(context),
            new CollectCommand(context),
            new MergeCommand(context),
            new RenderCommand(context),
            new PluginsCommand(context),
            new ValidateCommand(context),
            new SandboxCommand(context),
            new BenchCommand(context),
            new AskCommand(context),
            new InitCommand(context),
            new DoctorCommand(context),
            new HistoryCommand(context),
        };
    }

    private static StreamWriter OpenLog(string path)
    {
        if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        return new StreamWriter(path, append: true) { AutoFlush = true };
    }

    private static void Report(RunEnvironment environment, string text)
    {
        environment.Error.WriteLine(text);
        environment.LogFile?.WriteLine(text);
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    /// <summary>Options every command accepts.</summary>
    private sealed class GlobalOptions
    {
        public Option<bool> Verbose { get; } = new("--verbose") { Description = "Log every request and show stack traces of unexpected errors", Recursive = true };

        public Option<string?> Log { get; } = new("--log") { Description = "Also write log lines to FILE (with --verbose, the stack trace of an unexpected error too)", Recursive = true };
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

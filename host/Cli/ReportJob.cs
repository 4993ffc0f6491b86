using OkrHost.Contracts;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Running;
using Spectre.Console;

namespace OkrHost.Cli;

/// <summary>Options of <c>okrhost report</c> beyond what <see cref="Preparation"/> reads.</summary>
/// <param name="FailOn">Exit 4 when a key result is at this status or worse (<c>--fail-on</c>); null for no gate.</param>
public sealed record ReportOptions(string? OutputDirectory, bool NoCache, OkrStatus? FailOn = null)
{
    /// <summary><c>--no-history</c>: the run is not stored, whatever <c>history</c> says.</summary>
    public bool NoHistory { get; init; }
}

/// <summary>The main job: run the sources, score the OKRs, write report.json and report.html.</summary>
internal static class ReportJob
{
    public static async Task<int> RunAsync(Preparation preparation, ReportOptions options, CliEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken) =>
        (await Run(preparation, environment, logger).RunAsync(options, cancellationToken)).ExitCode;

    /// <summary>The report use case printing to the terminal.</summary>
    internal static ReportRun Run(Preparation preparation, CliEnvironment environment, Serilog.ILogger logger) =>
        new(preparation, environment, new TerminalPrinter(environment, logger), logger);

    internal static string Describe(SourceStatus status) => status switch
    {
        SourceStatus.Ok => "ok",
        SourceStatus.Failed => "failed",
        SourceStatus.NotConfigured => "not-configured",
        _ => "disabled",
    };
}

/// <summary>Prints a report run to the terminal: a live line per source when interactive, else log lines.</summary>
internal sealed class TerminalPrinter(CliEnvironment environment, Serilog.ILogger logger) : IReportRunPrinter
{
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

/// <summary>The process exit codes of PRODUCT.md section 2.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int InvalidInput = 2;
    public const int SourcesFailed = 3;
    public const int FailOnMet = 4;

    /// <summary>Ctrl+C or SIGTERM: nothing was written (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>Writes report.json and report.html side by side, each atomically.</summary>
public static class ReportFiles
{
    public const string JsonName = "report.json";
    public const string HtmlName = "report.html";

    public static async Task WriteAsync(string directory, ReportSnapshot snapshot, IReadOnlyDictionary<string, Type> sectionComponents, CancellationToken cancellationToken)
    {
        var html = await new HtmlReportRenderer().RenderAsync(snapshot, sectionComponents, cancellationToken);
        var json = SnapshotJson.Serialize(snapshot);

        // Past this point an interrupt waits: the two files are replaced together or not at all.
        cancellationToken.ThrowIfCancellationRequested();
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, JsonName), json, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, HtmlName), html, CancellationToken.None);
    }

    /// <summary>
    /// Checks, before anything is fetched, that the report can be written to <paramref name="directory"/>
    /// (creating it if needed); <paramref name="origin"/> says where the folder was named.
    /// </summary>
    /// <exception cref="InvalidInputException">The folder is a file, or cannot be created or written.</exception>
    public static void EnsureWritable(string directory, string origin)
    {
        if (File.Exists(directory))
        {
            throw new InvalidInputException($"{origin}: {directory} is a file, not a folder; nothing was fetched");
        }

        var probe = Path.Combine(directory, $".okrhost-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{origin}: cannot write the report to {directory} ({ex.Message}); nothing was fetched");
        }
    }
}

using OkrHost.Cli;
using OkrHost.UseCases;

namespace OkrHost.Testing;

/// <summary>What one in-process run of the okrhost command printed and returned.</summary>
public sealed record CliResult(int ExitCode, string Out, string Error)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Out}\n--- stderr\n{Error}";
}

/// <summary>
/// Runs the real <c>okrhost</c> command line in-process with a hermetic environment: only the
/// variables given are visible (never the machine's tokens), and the HTTP cache lives in the working
/// folder.
/// </summary>
public static class CliRunner
{
    public static Task<CliResult> RunAsync(string workingDirectory, string pluginsDirectory, IReadOnlyDictionary<string, string>? variables, params string[] args) =>
        RunAsync(workingDirectory, pluginsDirectory, variables, new CliRunOptions(), args);

    /// <summary>Parses a command line with the real command tree without running it: exit 0 valid, 2 not (errors on stderr).</summary>
    public static Task<CliResult> ParseAsync(params string[] args) =>
        RunAsync(Path.GetTempPath(), Path.GetTempPath(), null, new CliRunOptions(), parseOnly: true, args);

    /// <summary>As above, with a clock, an interrupt or an environment fault of the test's choosing.</summary>
    public static Task<CliResult> RunAsync(string workingDirectory, string pluginsDirectory, IReadOnlyDictionary<string, string>? variables, CliRunOptions options, params string[] args) =>
        RunAsync(workingDirectory, pluginsDirectory, variables, options, parseOnly: false, args);

    private static async Task<CliResult> RunAsync(string workingDirectory, string pluginsDirectory, IReadOnlyDictionary<string, string>? variables, CliRunOptions options, bool parseOnly, string[] args)
    {
        ArgumentNullException.ThrowIfNull(options);
        var all = new Dictionary<string, string>(variables ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            ["XDG_CACHE_HOME"] = Path.Combine(workingDirectory, ".cache"),
        };
        using var output = new StringWriter();
        using var error = new StringWriter();
        var environment = new RunEnvironment
        {
            Out = TextWriter.Synchronized(output),
            Error = TextWriter.Synchronized(error),
            GetVariable = options.GetVariable ?? (name => all.GetValueOrDefault(name)),
            CurrentDirectory = workingDirectory,
            PluginsDirectory = pluginsDirectory,
            SandboxDirectory = RepoPaths.HostSandbox,
            Interactive = false,
            Clock = options.Clock ?? TimeProvider.System,
            Interrupted = options.Interrupted,
        };
        var exitCode = await CliApp.RunAsync(args, environment, parseOnly);
        return new CliResult(exitCode, output.ToString(), error.ToString());
    }
}

/// <summary>What a test may change about the environment of an in-process run.</summary>
public sealed record CliRunOptions
{
    /// <summary>The run's clock (a fake one decides when a source has hung); the system clock when null.</summary>
    public TimeProvider? Clock { get; init; }

    /// <summary>Cancelling it is the Ctrl+C / SIGTERM of the run.</summary>
    public CancellationToken Interrupted { get; init; }

    /// <summary>Replaces the variable lookup (to make the environment itself fail).</summary>
    public Func<string, string?>? GetVariable { get; init; }
}

/// <summary>A temporary folder deleted with the test.</summary>
public sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("okrhost-test-").FullName;

    public string File(string name, string content)
    {
        var path = System.IO.Path.Combine(Path, name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a plugin load context; the OS temp cleaner will get it.
        }
    }
}

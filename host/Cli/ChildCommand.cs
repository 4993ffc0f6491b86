using System.Diagnostics;
using System.Reflection;

namespace OkrHost.Cli;

/// <summary>A program the bench runs as a child process: okrhost itself, git, dotnet.</summary>
internal sealed record ChildCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>
    /// What a child process ended with and printed, and the most memory it held: its peak resident set
    /// (Linux's VmHWM, a high-water mark the kernel keeps), read until it exits.
    /// </summary>
    public sealed record Result(int ExitCode, string Output, string Error, long PeakResidentBytes);

    /// <summary>
    /// How often the child's high-water mark is read. The mark only rises, so a reading misses only what
    /// the child adds in its last interval, while it writes its last lines and exits.
    /// </summary>
    private static readonly TimeSpan PeakSampling = TimeSpan.FromMilliseconds(5);

    /// <summary>
    /// This okrhost, whichever way it was started: the apphost or single-file executable runs as is;
    /// <c>dotnet OkrHost.dll</c> (a dotnet tool, <c>dotnet run</c> without an apphost) needs the assembly
    /// named again.
    /// </summary>
    public static ChildCommand Self()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        if (!string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new ChildCommand(process, []);
        }

        var assembly = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(assembly) || !string.Equals(Path.GetFileName(assembly), "OkrHost.dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("okrhost is hosted by another program here and cannot start itself as a child process; run it as okrhost or dotnet OkrHost.dll");
        }

        return new ChildCommand(process, [assembly]);
    }

    /// <summary>A program found on PATH.</summary>
    public static ChildCommand OnPath(string program) => new(program, []);

    /// <summary>Runs the command with <paramref name="arguments"/> in <paramref name="directory"/>, <paramref name="variables"/> added to this process's environment.</summary>
    public async Task<Result> RunAsync(IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string> variables, TimeProvider clock, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(FileName, [.. Prefix, .. arguments])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = directory,
        };
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {FileName}");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        using var exited = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var peak = SamplePeakAsync(process, clock, exited.Token);
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
        finally
        {
            await exited.CancelAsync();
        }

        return new Result(process.ExitCode, await output, await error, await peak);
    }

    private static async Task<long> SamplePeakAsync(Process process, TimeProvider clock, CancellationToken exited)
    {
        var peak = 0L;
        using var timer = new PeriodicTimer(PeakSampling, clock);
        try
        {
            do
            {
                process.Refresh();
                peak = Math.Max(peak, process.PeakWorkingSet64);
            }
            while (await timer.WaitForNextTickAsync(exited));
        }
        catch (Exception ex) when (ex is OperationCanceledException or InvalidOperationException)
        {
            // Exited: the last reading is the peak.
        }

        return peak;
    }
}

using System.Diagnostics;
using System.Reflection;

namespace OkrHost.Cli;

/// <summary>
/// This okrhost as a command a child process can run, whichever way it was started: the apphost or
/// single-file executable runs as is; <c>dotnet OkrHost.dll</c> (a dotnet tool, <c>dotnet run</c>
/// without an apphost) needs the assembly named again.
/// </summary>
internal sealed record SelfCommand(string FileName, IReadOnlyList<string> Prefix)
{
    /// <summary>What a child process ended with and printed.</summary>
    public sealed record Result(int ExitCode, string Output, string Error);

    public static SelfCommand Current()
    {
        var process = Environment.ProcessPath ?? throw new InvalidOperationException("the path of this process is unknown");
        if (!string.Equals(Path.GetFileNameWithoutExtension(process), "dotnet", StringComparison.OrdinalIgnoreCase))
        {
            return new SelfCommand(process, []);
        }

        var assembly = Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(assembly) || !string.Equals(Path.GetFileName(assembly), "OkrHost.dll", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException("okrhost is hosted by another program here and cannot start itself as a child process; run it as okrhost or dotnet OkrHost.dll");
        }

        return new SelfCommand(process, [assembly]);
    }

    /// <summary>Runs okrhost with <paramref name="arguments"/> in <paramref name="directory"/>, <paramref name="variables"/> added to this process's environment.</summary>
    public async Task<Result> RunAsync(IEnumerable<string> arguments, string directory, IReadOnlyDictionary<string, string> variables, CancellationToken cancellationToken)
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
        try
        {
            await process.WaitForExitAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await output, await error);
    }
}

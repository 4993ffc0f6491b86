using System.Diagnostics;

namespace OkrHost.Testing;

/// <summary>Runs a child process (dotnet, an installed tool) to completion and captures what it printed.</summary>
public static class ProcessRunner
{
    /// <summary>
    /// Runs <paramref name="fileName"/> with <paramref name="arguments"/>; <paramref name="variables"/> are
    /// set on top of this process's environment. A process still running after <paramref name="limit"/>
    /// is killed and reported, so a hung build fails the test instead of the whole run.
    /// </summary>
    public static async Task<CliResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null, IReadOnlyDictionary<string, string>? variables = null)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var (name, value) in variables ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{fileName} {string.Join(' ', start.ArgumentList)} took more than {limit}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Runs <c>dotnet</c> with a quiet CLI (no logo, no telemetry notice).</summary>
    public static Task<CliResult> DotnetAsync(IEnumerable<string> arguments, TimeSpan limit, string? workingDirectory = null, IReadOnlyDictionary<string, string>? variables = null) =>
        RunAsync("dotnet", arguments, limit, workingDirectory, new Dictionary<string, string>(variables ?? new Dictionary<string, string>())
        {
            ["DOTNET_NOLOGO"] = "1",
            ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1",
        });
}

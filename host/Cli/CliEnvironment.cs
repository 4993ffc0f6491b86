namespace OkrHost.Cli;

/// <summary>
/// What the CLI reads from and writes to outside its arguments, so tests can run the whole command
/// in-process with their own environment and capture its output.
/// </summary>
public sealed record CliEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required Func<string, string?> GetVariable { get; init; }
    public required string CurrentDirectory { get; init; }

    /// <summary>Folder scanned for plugins; defaults to <c>plugins/</c> beside OkrHost.dll.</summary>
    public required string PluginsDirectory { get; init; }

    /// <summary>True when a live progress display may be drawn (interactive terminal, CI unset).</summary>
    public bool Interactive { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    public static CliEnvironment FromProcess() => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        GetVariable = Environment.GetEnvironmentVariable,
        CurrentDirectory = Environment.CurrentDirectory,
        PluginsDirectory = Path.Combine(AppContext.BaseDirectory, "plugins"),
        Interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
    };
}

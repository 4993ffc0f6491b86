using System.Runtime.InteropServices;
using OkrHost.Security;

namespace OkrHost.UseCases;

/// <summary>
/// What a command reads from and writes to outside its arguments, so tests can run the whole command
/// in-process with their own environment and capture its output.
/// </summary>
public sealed record RunEnvironment
{
    public required TextWriter Out { get; init; }
    public required TextWriter Error { get; init; }
    public required Func<string, string?> GetVariable { get; init; }
    public required string CurrentDirectory { get; init; }

    /// <summary>Folder scanned for plugins; defaults to <c>plugins/</c> beside OkrHost.dll.</summary>
    public required string PluginsDirectory { get; init; }

    /// <summary>Folder the sandbox is loaded from; <c>sandbox/</c> beside OkrHost.dll.</summary>
    public required string SandboxDirectory { get; init; }

    /// <summary>True when a live progress display may be drawn (interactive terminal, CI unset).</summary>
    public bool Interactive { get; init; }

    /// <summary>The run's one clock: every "now", timeout and wait reads it (the system's, from <c>Program</c>).</summary>
    public required TimeProvider Clock { get; init; }

    /// <summary>
    /// Masks secrets in everything the run prints, logs, renders or stores. Every command feeds it the
    /// secrets it reads (tokens, URL user-info, connection strings); the CLI routes
    /// <see cref="Out"/>, <see cref="Error"/> and <see cref="LogFile"/> through it.
    /// </summary>
    public Redactor Redactor { get; init; } = new();

    /// <summary>The <c>--log FILE</c> writer: log lines and, with <c>--verbose</c>, the stack trace of a defect.</summary>
    public TextWriter? LogFile { get; init; }

    /// <summary>Cancelled on Ctrl+C or SIGTERM: the command stops, writes nothing and exits 130.</summary>
    public CancellationToken Interrupted { get; init; }

    /// <summary>The process's own streams, variables and signals, on <paramref name="clock"/>.</summary>
    public static RunEnvironment FromProcess(TimeProvider clock) => new()
    {
        Clock = clock,
        Out = Console.Out,
        Error = Console.Error,
        GetVariable = Environment.GetEnvironmentVariable,
        CurrentDirectory = Environment.CurrentDirectory,
        PluginsDirectory = Path.Combine(AppContext.BaseDirectory, "plugins"),
        SandboxDirectory = Path.Combine(AppContext.BaseDirectory, "sandbox"),
        Interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected
            && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")),
        Interrupted = ProcessSignals.Interrupted,
    };

    /// <summary>Turns SIGINT and SIGTERM into a cancellation instead of an abrupt exit.</summary>
    private static class ProcessSignals
    {
        private static readonly CancellationTokenSource Source = new();

        // Kept referenced: a collected registration stops handling the signal.
        private static readonly PosixSignalRegistration[] Registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle),
        ];

        public static CancellationToken Interrupted => Registrations.Length > 0 ? Source.Token : default;

        private static void Handle(PosixSignalContext context)
        {
            context.Cancel = true;
            Source.Cancel();
        }
    }
}

using System.Text.Json.Nodes;

namespace OkrHost.Sandbox;

/// <summary>
/// The sandbox's entry, found by the host in the sandbox assembly it loads (one public implementation)
/// and shared with it by type: the one way in that the host compiles against.
/// </summary>
public interface ISandboxLauncher
{
    /// <summary>Starts the emulators and returns once they listen.</summary>
    /// <exception cref="FormatException"><see cref="SandboxStart.Faults"/> cannot be read.</exception>
    /// <exception cref="IOException">The port cannot be listened on.</exception>
    Task<IRunningSandbox> StartAsync(SandboxStart start, CancellationToken cancellationToken);
}

/// <summary>How the host starts the sandbox; everything is deterministic for a given seed and <see cref="Now"/>.</summary>
public sealed record SandboxStart
{
    public int Seed { get; init; } = 42;

    public SandboxProfile Profile { get; init; } = SandboxProfile.Demo;

    /// <summary>The organisation's "now"; null: the current hour.</summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Faults to inject, as <c>okrhost sandbox --faults</c> takes them; null for none.</summary>
    public string? Faults { get; init; }
}

/// <summary>What the host reads from a running sandbox: where it listens, how to aim sources at it, what it saw.</summary>
public interface IRunningSandbox : IAsyncDisposable
{
    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    Uri RootUrl { get; }

    /// <summary>The scripted model's OpenAI-compatible base URL.</summary>
    Uri ModelBaseUrl { get; }

    /// <summary>The scripted model's name and the key it accepts.</summary>
    (string Name, string ApiKey) Model { get; }

    SandboxProfile Profile { get; }

    int Seed { get; }

    /// <summary>The organisation's "now".</summary>
    DateTimeOffset Now { get; }

    /// <summary>
    /// A plugins.json <c>sources</c> object pointing every built-in plugin at this sandbox, and the
    /// environment variables holding the tokens each one names in <c>tokenEnv</c>.
    /// </summary>
    (JsonObject Sources, IReadOnlyDictionary<string, string> Environment) DemoSources();

    /// <summary>The messages the sandbox's Slack received, in order.</summary>
    IReadOnlyList<(string Channel, string? Text)> SlackPosts();

    /// <summary>Counters of one service since start or the last <see cref="ResetStats"/>.</summary>
    ServiceStatsSnapshot Stats(string serviceId);

    /// <summary>Zeroes every counter (between a cold and a warm benchmark run).</summary>
    void ResetStats();

    /// <summary>The fewest requests any client can spend on one service's data for the period from <paramref name="from"/> to <paramref name="to"/>.</summary>
    long MinimumRequests(string serviceId, DateTimeOffset from, DateTimeOffset to);
}

/// <summary>Size of the simulated organisation.</summary>
public enum SandboxProfile
{
    /// <summary>Small and fast: the README's demo and the tests.</summary>
    Demo,

    /// <summary>
    /// For the benchmark: about 40 repositories and 4,000 deployments, 30,000 Linear issues, 3,000
    /// channels with 150 war rooms, 10,000 annotations and 300 key results.
    /// </summary>
    Large,
}

/// <summary>Counters of one service at one moment.</summary>
/// <param name="Requests">Requests received, every attempt counted.</param>
/// <param name="NotModified">Of those, answered 304 Not Modified.</param>
/// <param name="Bytes">Response body bytes sent.</param>
public sealed record ServiceStatsSnapshot(long Requests, long NotModified, long Bytes);

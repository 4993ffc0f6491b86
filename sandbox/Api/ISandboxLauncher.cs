using System.Text.Json.Nodes;

namespace OkrHost.Sandbox;

/// <summary>
/// The sandbox's entry, found by the host in the sandbox assembly it loads (one public implementation)
/// and shared with it by type: the one way in that the host compiles against.
/// </summary>
public interface ISandboxLauncher
{
    /// <summary>Starts the emulators and returns once they listen.</summary>
    /// <exception cref="IOException">The port cannot be listened on.</exception>
    Task<IRunningSandbox> StartAsync(SandboxOptions options, CancellationToken cancellationToken);
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

/// <summary>Counters of one service at one moment.</summary>
/// <param name="Requests">Requests received, every attempt counted.</param>
/// <param name="NotModified">Of those, answered 304 Not Modified.</param>
/// <param name="Bytes">Response body bytes sent.</param>
public sealed record ServiceStatsSnapshot(long Requests, long NotModified, long Bytes)
{
    /// <summary>Points charged against a query budget (GitHub's GraphQL); 0 for services without one.</summary>
    public long Points { get; init; }
}

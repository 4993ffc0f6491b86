namespace OkrHost.Sandbox;

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

/// <summary>How the sandbox is started. Everything is deterministic for a given seed and <see cref="Now"/>.</summary>
public sealed record SandboxOptions
{
    /// <summary>Seed of every random choice in the organisation and in fault injection.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Size of the organisation.</summary>
    public SandboxProfile Profile { get; init; } = SandboxProfile.Demo;

    /// <summary>
    /// The sandbox's "now": the organisation's history covers the six months before it. Defaults to the
    /// current hour, so a demo is always current; tests pin it.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Added to every answer, to make request counts matter as they do against real services.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Faults to inject (see <see cref="FaultSpec"/>).</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];
}

/// <summary>The kinds of fault the sandbox can inject.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c>.</summary>
    RateLimit,
    /// <summary>HTTP 500/502/503.</summary>
    ServerError,
    /// <summary>The connection is dropped without an answer.</summary>
    Drop,
    /// <summary>The answer comes later than any sensible client timeout.</summary>
    Slow,
    /// <summary>A 200 whose body is not valid JSON.</summary>
    Malformed,
    /// <summary>The service's own answer to a bad token.</summary>
    AuthFailure,
    /// <summary>Every request fails with 503.</summary>
    Outage,
}

/// <summary>
/// One fault rule: for requests to <see cref="Service"/> (null: all), inject <see cref="Kind"/> on a
/// deterministic <see cref="Rate"/> share of requests, at most <see cref="Count"/> times.
/// </summary>
public sealed record FaultSpec(FaultKind Kind, string? Service = null, double Rate = 1.0, int Count = int.MaxValue);

namespace OkrHost.Http;

/// <summary>
/// How the host's HTTP pipeline behaves for every source. Read from the optional <c>http</c> object of
/// plugins.json; the defaults suit the real services.
/// </summary>
public sealed record HttpPolicy
{
    /// <summary>Retries after the first attempt on 5xx, timeouts and dropped connections. Default 4.</summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>First backoff delay; later ones grow exponentially, with jitter. Default 500 ms.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Time one attempt may take. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest wait for a rate-limit reset before the source fails with that reason. Default 2 min.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Time a whole source may take before it fails as hung. Default 5 min.</summary>
    public TimeSpan SourceTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Folder of the conditional-request cache; null disables it (<c>--no-cache</c>).</summary>
    public string? CacheDirectory { get; init; }
}

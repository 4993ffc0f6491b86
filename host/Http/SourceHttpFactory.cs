using System.Net;

namespace OkrHost.Http;

/// <summary>
/// Owns the connection pool and hands each source its own <see cref="SourceHttp"/>, whose requests go
/// through the host's pipeline (headers, token guard, logging, ETag cache, pacing, retries, counting).
/// </summary>
public sealed class SourceHttpFactory : IDisposable
{
    private readonly SocketsHttpHandler _transport = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

    /// <summary>Creates the factory; throws <see cref="ArgumentException"/> when <paramref name="policy"/> is invalid.</summary>
    /// <param name="policy">Retries, waits, timeouts and the cache.</param>
    /// <param name="logger">Where requests are logged.</param>
    /// <param name="clock">The run's clock: retry delays, rate-limit waits, pacing and attempt timeouts run on it (a test's fake clock); the system clock when null.</param>
    public SourceHttpFactory(HttpPolicy policy, Serilog.ILogger logger, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(logger);
        policy.EnsureValid();
        Policy = policy;
        Logger = logger;
        Clock = clock ?? TimeProvider.System;
        Cache = policy.CacheDirectory is null ? null : new HttpResponseCache(policy.CacheDirectory, logger);
    }

    public HttpPolicy Policy { get; }

    public TimeProvider Clock { get; }

    /// <summary>True for <c>okrhost doctor</c>: every source's requests go through a <see cref="Http.Probe"/>.</summary>
    public bool Probing { get; init; }

    public Serilog.ILogger Logger { get; }

    /// <summary>The HTTP plumbing of one source for one run.</summary>
    /// <param name="sourceId">The source.</param>
    /// <param name="sourceCancellation">Cancelled when the source's time is up.</param>
    /// <param name="baseUrl">The source's configured <c>baseUrl</c>: its token goes to that origin only.</param>
    public SourceHttp ForSource(string sourceId, CancellationToken sourceCancellation, Uri? baseUrl = null) => new(this, sourceId, sourceCancellation, baseUrl);

    /// <summary>Keeps the cache within <see cref="HttpPolicy.CacheMaxBytes"/> and <see cref="HttpPolicy.CacheMaxAge"/>; call once a run is done.</summary>
    public void PruneCache(DateTimeOffset now) => Cache?.Prune(Policy.CacheMaxBytes, Policy.CacheMaxAge, now);

    internal HttpMessageHandler Transport => _transport;

    internal HttpResponseCache? Cache { get; }

    public void Dispose() => _transport.Dispose();
}

using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;

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
    /// <param name="clock">The run's clock: retry delays, rate-limit waits, pacing, attempt timeouts and cache ages run on it (a test's fake clock).</param>
    public SourceHttpFactory(HttpPolicy policy, Serilog.ILogger logger, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(logger);
        ArgumentNullException.ThrowIfNull(clock);
        policy.EnsureValid();
        Policy = policy;
        Logger = logger;
        Clock = clock;
        Cache = policy.CacheDirectory is null ? null : new HttpResponseCache(policy.CacheDirectory, logger, clock);
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
    /// <param name="token">
    /// The source's credential: sources of several reports (a teams run) that use one credential on one
    /// service share its concurrency and pace, since the service counts them together.
    /// </param>
    public SourceHttp ForSource(string sourceId, CancellationToken sourceCancellation, Uri? baseUrl = null, string? token = null) =>
        new(this, sourceId, sourceCancellation, baseUrl, token is null ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(token))));

    /// <summary>Keeps the cache within <see cref="HttpPolicy.CacheMaxBytes"/> and <see cref="HttpPolicy.CacheMaxAge"/>; call once a run is done.</summary>
    public void PruneCache(DateTimeOffset now) => Cache?.Prune(Policy.CacheMaxBytes, Policy.CacheMaxAge, now);

    internal HttpMessageHandler Transport => _transport;

    /// <summary>
    /// One gate per source, service origin, credential and limits. Clients with the same limits share
    /// one, so a plugin that opens several clients to its service still stays within its concurrency and pace.
    /// </summary>
    internal RequestGate Gate(string sourceId, Uri? service, string credential, int maxConcurrent, double? perSecond) =>
        _gates.GetOrAdd((sourceId, service?.GetLeftPart(UriPartial.Authority) ?? "", credential, maxConcurrent, perSecond), key => new RequestGate(key.MaxConcurrent, key.PerSecond, Clock));

    private readonly ConcurrentDictionary<(string SourceId, string Origin, string Credential, int MaxConcurrent, double? PerSecond), RequestGate> _gates = new();

    internal HttpResponseCache? Cache { get; }

    public void Dispose() => _transport.Dispose();
}

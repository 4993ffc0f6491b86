using System.Net.Http.Headers;

namespace OkrHost.Contracts;

/// <summary>
/// HTTP clients whose plumbing the host owns. Everything a plugin sends through them is counted into
/// the source's <c>requests</c>, logged without secrets, retried on 5xx, timeouts and dropped
/// connections with jittered backoff, held back on 429 and 403 rate-limit answers until
/// <c>Retry-After</c> or the rate-limit reset (capped), answered from the on-disk ETag cache when the
/// server says 304, cancelled when the source's time is up, and refused when it would send a token over
/// plain http to anything but a loopback address.
/// </summary>
public interface ISourceHttp
{
    /// <summary>A client for one service. Dispose it when done; the connection pool is the host's.</summary>
    HttpClient CreateClient(SourceHttpOptions options);

    /// <summary>
    /// The same pipeline as a handler, for libraries that build their own client (Octokit's
    /// <c>HttpClientAdapter</c>). <see cref="SourceHttpOptions.BaseAddress"/> is ignored here.
    /// </summary>
    HttpMessageHandler CreateHandler(SourceHttpOptions options);
}

/// <summary>Per-service options of a <see cref="ISourceHttp"/> client.</summary>
public sealed class SourceHttpOptions
{
    /// <summary>Base address of the service's API; end it with '/' so relative paths append.</summary>
    public Uri? BaseAddress { get; init; }

    /// <summary>
    /// Authorization header sent with every request, e.g. <c>new("Bearer", token)</c>. The host redacts
    /// it from logs and refuses to send it over plain http except to loopback.
    /// </summary>
    public AuthenticationHeaderValue? Authorization { get; init; }

    /// <summary>Other headers sent with every request (e.g. <c>Notion-Version</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether GETs are made conditional against the host's on-disk ETag cache (default true). A 304 is
    /// then answered to the plugin as the cached 200, so plugin code never sees the difference.
    /// </summary>
    public bool ConditionalCache { get; init; } = true;

    /// <summary>
    /// Upper bound on requests started per second for services with a published average rate
    /// (Notion: about 3). <c>null</c> (default) for no pacing.
    /// </summary>
    public double? MaxRequestsPerSecond { get; init; }

    /// <summary>
    /// Upper bound on requests in flight at once for this client (default 8), to stay well within
    /// services' concurrency limits.
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 8;

    /// <summary>
    /// Recognises rate-limit answers the host cannot tell from the status alone (Linear answers HTTP 400
    /// with a GraphQL error coded <c>RATELIMITED</c>; GitHub's GraphQL answers HTTP 200 with a
    /// <c>RATE_LIMITED</c> error). Consulted for every answer, so return quickly for the usual ones.
    /// </summary>
    public RateLimitDetector? RateLimitDetector { get; init; }
}

/// <summary>
/// Tells whether an answer is a rate limit (see <see cref="SourceHttpOptions.RateLimitDetector"/>). The
/// content is buffered: read it with <c>ReadAsStringAsync</c> (a stream-based reader would close the
/// buffer before the plugin sees the answer).
/// </summary>
/// <param name="response">An answer, of any status.</param>
/// <param name="clock">The clock the host waits on: a reset time the service gives is measured against its <see cref="TimeProvider.GetUtcNow"/>.</param>
/// <param name="cancellationToken">Cancels reading the answer.</param>
/// <returns>
/// The time to wait; <see cref="TimeSpan.Zero"/> for "rate limited, work the wait out from the headers or
/// back off"; <c>null</c> when the answer is not a rate limit.
/// </returns>
public delegate ValueTask<TimeSpan?> RateLimitDetector(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken);

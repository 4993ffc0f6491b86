using System.Threading.RateLimiting;

namespace OkrHost.Http;

/// <summary>
/// Bounds the requests of one source's credential that are in flight at once, paces their starts for
/// services that publish an average rate (Notion: about 3 a second), and holds them back while the
/// service has said the credential is rate limited.
/// </summary>
internal sealed class RequestGate(int maxConcurrent, double? maxPerSecond, TimeProvider clock)
{
    private readonly ConcurrencyLimiter _concurrency = new(new ConcurrencyLimiterOptions
    {
        PermitLimit = maxConcurrent,
        QueueLimit = int.MaxValue,
        QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
    });

    private readonly TimeSpan _interval = maxPerSecond is { } rate ? TimeSpan.FromSeconds(1 / rate) : TimeSpan.Zero;
    private readonly Lock _paceLock = new();
    private DateTimeOffset _nextStart = DateTimeOffset.MinValue;
    private DateTimeOffset _heldUntil = DateTimeOffset.MinValue;

    /// <summary>Waits for a slot; dispose the lease when the request is done.</summary>
    public async ValueTask<RateLimitLease> EnterAsync(CancellationToken cancellationToken)
    {
        var lease = await _concurrency.AcquireAsync(1, cancellationToken).ConfigureAwait(false);
        try
        {
            await PaceAsync(cancellationToken).ConfigureAwait(false);
            return lease;
        }
        catch
        {
            lease.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A rate limit answered to one request: requests of the same credential that have not started yet
    /// wait it out too, rather than each spending a request to learn the same thing.
    /// </summary>
    public void HoldFor(TimeSpan wait)
    {
        var until = clock.GetUtcNow() + wait;
        lock (_paceLock)
        {
            _heldUntil = until > _heldUntil ? until : _heldUntil;
        }
    }

    // Evenly spaced start times rather than a token bucket: no timer to dispose, and no burst that a
    // service counting over a short window would punish.
    private Task PaceAsync(CancellationToken cancellationToken)
    {
        DateTimeOffset start;
        var now = clock.GetUtcNow();
        lock (_paceLock)
        {
            start = new[] { now, _nextStart, _heldUntil }.Max();
            if (_interval > TimeSpan.Zero)
            {
                _nextStart = start + _interval;
            }
        }

        var wait = start - now;
        return wait > TimeSpan.Zero ? Task.Delay(wait, clock, cancellationToken) : Task.CompletedTask;
    }
}

/// <summary>Holds each request at the source's <see cref="RequestGate"/> until it may go.</summary>
internal sealed class RequestGateHandler(RequestGate gate) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await gate.EnterAsync(cancellationToken).ConfigureAwait(false);
        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
    }
}

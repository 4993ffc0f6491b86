using System.Threading.RateLimiting;

namespace OkrHost.Http;

/// <summary>
/// Bounds the requests of one source that are in flight at once, and paces their starts for services
/// that publish an average rate (Notion: about 3 a second).
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

    // Evenly spaced start times rather than a token bucket: no timer to dispose, and no burst that a
    // service counting over a short window would punish.
    private Task PaceAsync(CancellationToken cancellationToken)
    {
        if (_interval == TimeSpan.Zero)
        {
            return Task.CompletedTask;
        }

        DateTimeOffset start;
        var now = clock.GetUtcNow();
        lock (_paceLock)
        {
            start = _nextStart > now ? _nextStart : now;
            _nextStart = start + _interval;
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

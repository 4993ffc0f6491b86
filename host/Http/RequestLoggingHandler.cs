using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>
/// One Debug line per request: method, redacted URL, status, elapsed time and the attempts it took.
/// Retries and rate-limit waits are logged as Warnings where they happen (<see cref="ResilienceHandler"/>).
/// Headers are never logged, so neither is the token.
/// </summary>
internal sealed class RequestLoggingHandler(Serilog.ILogger logger, TimeProvider clock) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var started = clock.GetTimestamp();
        var url = RedactedUrl.For(request.RequestUri);
        try
        {
            var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            request.Options.TryGetValue(PipelineNotes.Attempts, out var attempts);
            request.Options.TryGetValue(PipelineNotes.FromCache, out var fromCache);
            logger.Debug(
                "{Method} {Url} answered {Status}{CacheNote} in {ElapsedMs} ms after {Attempts} attempt(s)",
                request.Method.Method,
                url,
                (int)response.StatusCode,
                fromCache ? " (from cache after 304)" : "",
                ElapsedMs(started),
                attempts);
            return response;
        }
        catch (SourceException ex)
        {
            logger.Warning("{Method} {Url} failed after {ElapsedMs} ms: {Problem}", request.Method.Method, url, ElapsedMs(started), ex.Message);
            throw;
        }
        catch (OperationCanceledException)
        {
            logger.Debug("{Method} {Url} cancelled after {ElapsedMs} ms", request.Method.Method, url, ElapsedMs(started));
            throw;
        }
    }

    private long ElapsedMs(long started) => (long)clock.GetElapsedTime(started).TotalMilliseconds;
}

using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>
/// Adds the source's Authorization and other headers, refuses to send a token where it could be read on
/// the wire, and ties the request to the source's cancellation (libraries such as Octokit often call
/// without a token, yet must stop when the source's time is up). The token goes to one origin only
/// (scheme, host and port): the source's base address, or, when the plugin names none, the origin of
/// its first request. A request anywhere else — a redirect followed by the plugin's library, a link in
/// an answer — goes without the source's headers, even an Authorization the library copied over itself.
/// </summary>
internal sealed class SourceHeadersHandler(SourceHttpOptions options, Uri? tokenOrigin, CancellationToken sourceCancellation, Serilog.ILogger logger) : DelegatingHandler
{
    private Uri? _tokenOrigin = tokenOrigin;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri is { IsAbsoluteUri: true } uri)
        {
            var origin = Interlocked.CompareExchange(ref _tokenOrigin, uri, null) ?? uri;
            if (SameOrigin(uri, origin))
            {
                AddSourceHeaders(request);
            }
            else if (request.Headers.Authorization is not null || options.Authorization is not null)
            {
                logger.Warning(
                    "{Method} {Url}: sent without the token, which goes only to {TokenOrigin}",
                    request.Method.Method,
                    RedactedUrl.For(uri),
                    origin.GetComponents(UriComponents.SchemeAndServer, UriFormat.UriEscaped));
                request.Headers.Authorization = null;
            }
        }

        TokenGuard.EnsureSafe(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sourceCancellation);
        return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
    }

    private void AddSourceHeaders(HttpRequestMessage request)
    {
        if (options.Authorization is not null)
        {
            request.Headers.Authorization ??= options.Authorization;
        }

        foreach (var (name, value) in options.Headers)
        {
            if (!request.Headers.Contains(name))
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        Uri.Compare(a, b, UriComponents.Scheme | UriComponents.Host | UriComponents.StrongPort, UriFormat.SafeUnescaped, StringComparison.OrdinalIgnoreCase) == 0;
}

/// <summary>Counts every attempt that goes on the wire, whatever comes back.</summary>
internal sealed class AttemptCountingHandler(SourceHttp owner) : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        owner.CountRequest();
        return base.SendAsync(request, cancellationToken);
    }
}

/// <summary>Lets many pipelines share the factory's pooled transport without disposing it.</summary>
internal sealed class SharedTransportHandler(HttpMessageHandler transport) : DelegatingHandler(transport)
{
    protected override void Dispose(bool disposing)
    {
    }
}

/// <summary>What inner handlers tell outer ones about a request, for the log line.</summary>
internal static class PipelineNotes
{
    /// <summary>Attempts sent on the wire for the request.</summary>
    public static readonly HttpRequestOptionsKey<int> Attempts = new("OkrHost.Attempts");

    /// <summary>The answer came from the ETag cache after a 304.</summary>
    public static readonly HttpRequestOptionsKey<bool> FromCache = new("OkrHost.FromCache");
}

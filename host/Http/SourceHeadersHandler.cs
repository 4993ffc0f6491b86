using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>
/// Adds the source's Authorization and other headers, refuses to send a token where it could be read on
/// the wire, and ties the request to the source's cancellation (libraries such as Octokit often call
/// without a token, yet must stop when the source's time is up).
/// </summary>
internal sealed class SourceHeadersHandler(SourceHttpOptions options, CancellationToken sourceCancellation) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
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

        TokenGuard.EnsureSafe(request);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, sourceCancellation);
        return await base.SendAsync(request, linked.Token).ConfigureAwait(false);
    }
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

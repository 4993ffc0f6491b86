using System.Net;
using System.Net.Http.Headers;
using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>
/// Owns the connection pool and hands each source its own <see cref="SourceHttp"/>, whose requests are
/// counted, guarded and bound to the source's cancellation.
/// </summary>
public sealed class SourceHttpFactory : IDisposable
{
    private readonly SocketsHttpHandler _transport = new()
    {
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        AutomaticDecompression = DecompressionMethods.All,
        AllowAutoRedirect = false,
    };

    public SourceHttpFactory(HttpPolicy policy, Serilog.ILogger logger)
    {
        Policy = policy;
        Logger = logger;
    }

    public HttpPolicy Policy { get; }

    public Serilog.ILogger Logger { get; }

    /// <summary>The HTTP plumbing of one source for one run.</summary>
    public SourceHttp ForSource(string sourceId, CancellationToken sourceCancellation) => new(this, sourceId, sourceCancellation);

    internal HttpMessageHandler Transport => _transport;

    public void Dispose() => _transport.Dispose();
}

/// <summary>One source's view of the host's HTTP pipeline; counts its requests.</summary>
public sealed class SourceHttp : ISourceHttp
{
    private readonly SourceHttpFactory _factory;
    private long _requests;

    internal SourceHttp(SourceHttpFactory factory, string sourceId, CancellationToken sourceCancellation)
    {
        _factory = factory;
        SourceId = sourceId;
        SourceCancellation = sourceCancellation;
    }

    public string SourceId { get; }

    public CancellationToken SourceCancellation { get; }

    /// <summary>Requests sent over the wire by this source, every attempt counted.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    public HttpClient CreateClient(SourceHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new HttpClient(CreateHandler(options), disposeHandler: true)
        {
            BaseAddress = options.BaseAddress,
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public HttpMessageHandler CreateHandler(SourceHttpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return new SourcePipelineHandler(this, options) { InnerHandler = new NonDisposingHandler(_factory.Transport) };
    }

    /// <summary>Adds the source's headers, refuses tokens over plain http, counts and binds cancellation.</summary>
    private sealed class SourcePipelineHandler(SourceHttp owner, SourceHttpOptions options) : DelegatingHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (options.Authorization is not null)
            {
                request.Headers.Authorization ??= options.Authorization;
            }

            foreach (var (name, value) in options.Headers)
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }

            TokenGuard.EnsureSafe(request);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, owner.SourceCancellation);
            owner.CountRequest();
            return await base.SendAsync(request, linked.Token);
        }
    }

    /// <summary>Lets many pipelines share the one pooled transport without disposing it.</summary>
    private sealed class NonDisposingHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override void Dispose(bool disposing)
        {
        }
    }
}

/// <summary>Refuses to send a credential where it could be read on the wire.</summary>
public static class TokenGuard
{
    public static void EnsureSafe(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is null || request.RequestUri is not { } uri)
        {
            return;
        }

        if (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)
        {
            return;
        }

        throw new SourceException(
            $"refusing to send a token over plain http to {uri.Host}: use an https:// baseUrl (plain http is allowed only for loopback addresses)");
    }
}

/// <summary>Convenience for plugins' tests and the host: an Authorization header.</summary>
public static class Authorization
{
    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

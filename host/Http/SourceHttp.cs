using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>One source's view of the host's HTTP pipeline; counts its requests.</summary>
public sealed class SourceHttp : ISourceHttp
{
    private readonly SourceHttpFactory _factory;
    private readonly Serilog.ILogger _logger;
    private long _requests;

    private readonly Uri? _configuredBase;

    /// <summary>Hash of the source's token: which rate limit its requests count against.</summary>
    private readonly string _credential;

    internal SourceHttp(SourceHttpFactory factory, string sourceId, CancellationToken sourceCancellation, Uri? baseUrl, string credential)
    {
        _credential = credential;
        _configuredBase = baseUrl is { IsAbsoluteUri: true } ? baseUrl : null;
        ArgumentException.ThrowIfNullOrWhiteSpace(sourceId);
        _factory = factory;
        SourceId = sourceId;
        SourceCancellation = sourceCancellation;
        _logger = factory.Logger.ForContext("SourceId", sourceId);
        Probe = factory.Probing ? new Probe() : null;
    }

    /// <summary>The doctor's probe of this source, when the factory is probing.</summary>
    public Probe? Probe { get; }

    public string SourceId { get; }

    public CancellationToken SourceCancellation { get; }

    /// <summary>Requests sent over the wire by this source, every attempt counted (304s included).</summary>
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
        if (options.MaxConcurrentRequests < 1)
        {
            throw new ArgumentException($"MaxConcurrentRequests must be at least 1, not {options.MaxConcurrentRequests}", nameof(options));
        }

        if (options.MaxRequestsPerSecond is { } perSecond && !(perSecond > 0 && double.IsFinite(perSecond)))
        {
            throw new ArgumentException($"MaxRequestsPerSecond must be a positive number, not {perSecond}", nameof(options));
        }

        var gate = _factory.Gate(SourceId, options.BaseAddress ?? _configuredBase, _credential, options.MaxConcurrentRequests, options.MaxRequestsPerSecond);

        // Outer to inner; see each handler for its concern.
        DelegatingHandler[] chain =
        [
            .. Probe is { } probe ? [new ProbeHandler(probe)] : Array.Empty<DelegatingHandler>(),
            new SourceHeadersHandler(options, options.BaseAddress ?? _configuredBase, SourceCancellation, _logger),
            new RequestLoggingHandler(_logger, _factory.Clock),
            .. _factory.Cache is { } cache && options.ConditionalCache ? [new ConditionalCacheHandler(cache, SourceId)] : Array.Empty<DelegatingHandler>(),
            new RequestGateHandler(gate),
            new ResilienceHandler(_factory.Policy, options.RateLimitDetector, _logger, gate, _factory.Clock),
            new AttemptCountingHandler(this),
            new SharedTransportHandler(_factory.Transport),
        ];
        for (var i = 0; i < chain.Length - 1; i++)
        {
            chain[i].InnerHandler = chain[i + 1];
        }

        return chain[0];
    }
}

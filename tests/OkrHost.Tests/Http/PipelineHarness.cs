using System.Net.Http.Headers;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Testing;
using Serilog.Core;

namespace OkrHost.Tests.Http;

/// <summary>The host's real pipeline for one source, with a log collector and fast delays.</summary>
public sealed class PipelineHarness : IDisposable
{
    /// <summary>The team's fast test policy, with rate-limit margins and backoff short enough for tests.</summary>
    public static readonly HttpPolicy TestPolicy = TestSources.FastPolicy with
    {
        RateLimitMargin = TimeSpan.FromMilliseconds(50),
        RateLimitBackoff = TimeSpan.FromMilliseconds(200),
    };

    private readonly Logger _logger;

    /// <param name="policy">The pipeline's policy; <see cref="TestPolicy"/> when null.</param>
    /// <param name="clock">The run's clock (a fake one in tests of waits); the system clock when null.</param>
    public PipelineHarness(HttpPolicy? policy = null, TimeProvider? clock = null)
    {
        _logger = Logs.CreateLogger();
        Factory = new SourceHttpFactory(policy ?? TestPolicy, _logger, clock ?? TimeProvider.System);
        Http = Factory.ForSource("test", SourceCancellation.Token);
    }

    public CollectingSink Logs { get; } = new();

    public CancellationTokenSource SourceCancellation { get; } = new();

    public SourceHttpFactory Factory { get; }

    public SourceHttp Http { get; }

    public HttpClient Client(
        Uri baseUrl,
        string? token = null,
        int maxConcurrentRequests = 8,
        double? maxRequestsPerSecond = null,
        RateLimitDetector? rateLimitDetector = null) =>
        Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = baseUrl,
            Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token),
            MaxConcurrentRequests = maxConcurrentRequests,
            MaxRequestsPerSecond = maxRequestsPerSecond,
            RateLimitDetector = rateLimitDetector,
        });

    public void Dispose()
    {
        Factory.Dispose();
        _logger.Dispose();
        SourceCancellation.Dispose();
    }
}

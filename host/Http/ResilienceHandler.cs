using OkrHost.Contracts;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace OkrHost.Http;

/// <summary>
/// Retries with Polly: rate limits wait for <c>Retry-After</c> or the reset (their own budget, capped by
/// <see cref="HttpPolicy.MaxRateLimitWait"/>); 5xx, dropped connections and attempt timeouts back off
/// exponentially with jitter. Every answer is buffered inside its attempt, so the attempt timeout covers
/// the body and a connection dropped mid-body is retried too. When the budget runs out the request
/// fails with a <see cref="SourceException"/> naming host, path and the last problem; other 4xx go to
/// the plugin untouched.
/// </summary>
internal sealed class ResilienceHandler : DelegatingHandler
{
    private static readonly ResiliencePropertyKey<HttpRequestMessage> RequestKey = new("OkrHost.Request");
    private static readonly ResiliencePropertyKey<int> AttemptKey = new("OkrHost.Attempt");
    private static readonly ResiliencePropertyKey<AttemptVerdict> VerdictKey = new("OkrHost.Verdict");
    private static readonly ResiliencePropertyKey<TimeSpan> RateLimitWaitKey = new("OkrHost.RateLimitWait");

    private readonly HttpPolicy _policy;
    private readonly AttemptClassifier _classifier;
    private readonly Serilog.ILogger _logger;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly RequestGate _gate;

    /// <param name="gate">The gate of the request's credential, held while the service rate-limits it.</param>
    public ResilienceHandler(
        HttpPolicy policy,
        RateLimitDetector? rateLimitDetector,
        Serilog.ILogger logger,
        RequestGate gate,
        TimeProvider clock)
    {
        _gate = gate;
        _policy = policy;
        _logger = logger;
        _classifier = new AttemptClassifier(rateLimitDetector, policy.RateLimitMargin, clock);
        _pipeline = BuildPipeline(clock);
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Content is not null)
        {
            // So a POST body (GraphQL, Notion queries) can be sent again on retry.
            await request.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        var context = ResilienceContextPool.Shared.Get(cancellationToken);
        context.Properties.Set(RequestKey, request);
        try
        {
            HttpResponseMessage response;
            try
            {
                response = await _pipeline.ExecuteAsync(
                    static (ctx, self) => self.SendAttemptAsync(ctx),
                    context,
                    this).ConfigureAwait(false);
            }
            catch (Exception ex) when (IsTransientException(ex) && !cancellationToken.IsCancellationRequested)
            {
                throw new SourceException($"{RedactedUrl.HostAndPath(request.RequestUri)}: {Describe(ex)} after {Attempts(context)}", ex)
                {
                    TimedOut = ex is TimeoutRejectedException,
                };
            }
            finally
            {
                request.Options.Set(PipelineNotes.Attempts, context.Properties.GetValue(AttemptKey, 0));
            }

            var verdict = context.Properties.GetValue(VerdictKey, AttemptVerdict.Answer);
            if (verdict.Kind == AttemptKind.Answer)
            {
                return response;
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            throw verdict.Kind == AttemptKind.ServerError
                ? new SourceException($"{RedactedUrl.HostAndPath(request.RequestUri)}: HTTP {status} after {Attempts(context)}") { StatusCode = status }
                : RateLimitFailure(request, context);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<HttpResponseMessage> SendAttemptAsync(ResilienceContext context)
    {
        var request = context.Properties.GetValue(RequestKey, null!);
        context.Properties.Set(AttemptKey, context.Properties.GetValue(AttemptKey, 0) + 1);
        context.Properties.Set(VerdictKey, AttemptVerdict.Answer);
        var response = await base.SendAsync(request, context.CancellationToken).ConfigureAwait(false);
        try
        {
            await LoadCappedAsync(request, response, context.CancellationToken).ConfigureAwait(false);
            context.Properties.Set(VerdictKey, await _classifier.ClassifyAsync(response, context.CancellationToken).ConfigureAwait(false));
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Buffers the body, failing the source (not retrying) when it exceeds http.maxResponseMegabytes.</summary>
    private async Task LoadCappedAsync(HttpRequestMessage request, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var cap = _policy.MaxResponseMegabytes * 1024L * 1024L;
        SourceException TooLarge(string? size) => new(
            $"{RedactedUrl.HostAndPath(request.RequestUri)}: the answer is {(size is null ? "" : size + ", ")}more than the {_policy.MaxResponseMegabytes} MB allowed (http.maxResponseMegabytes)");

        if (response.Content.Headers.ContentLength is > 0 and var length && length > cap)
        {
            throw TooLarge($"{length / (1024.0 * 1024.0):0.#} MB");
        }

        try
        {
            await response.Content.LoadIntoBufferAsync(cap, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex) when (ex.HttpRequestError == HttpRequestError.ConfigurationLimitExceeded)
        {
            throw TooLarge(null);
        }
    }

    private ResiliencePipeline<HttpResponseMessage> BuildPipeline(TimeProvider clock)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock };
        if (_policy.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "errors",
                MaxRetryAttempts = _policy.MaxRetries,
                Delay = _policy.RetryBaseDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is { } ex
                        ? IsTransientException(ex)
                        : args.Context.Properties.GetValue(VerdictKey, AttemptVerdict.Answer).Kind == AttemptKind.ServerError),
                OnRetry = args =>
                {
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    _logger.Warning(
                        "{Method} {Url}: {Problem} on attempt {Attempt}; retry {Retry} of {MaxRetries} in {DelayMs} ms",
                        request.Method.Method,
                        RedactedUrl.For(request.RequestUri),
                        args.Outcome.Exception is { } ex ? Describe(ex) : $"HTTP {(int)args.Outcome.Result!.StatusCode}",
                        args.Context.Properties.GetValue(AttemptKey, 0),
                        args.AttemptNumber + 1,
                        _policy.MaxRetries,
                        (long)args.RetryDelay.TotalMilliseconds);
                    return default;
                },
            });
        }

        if (_policy.MaxRateLimitWaits > 0)
        {
            builder.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "rate-limit",
                MaxRetryAttempts = _policy.MaxRateLimitWaits,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Outcome.Exception is null
                    && NextRateLimitWait(args.Context, args.AttemptNumber) is var wait
                    && wait <= _policy.MaxRateLimitWait),
                DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(args.Context.Properties.GetValue(RateLimitWaitKey, TimeSpan.Zero)),
                OnRetry = args =>
                {
                    _gate.HoldFor(args.RetryDelay);
                    var request = args.Context.Properties.GetValue(RequestKey, null!);
                    _logger.Warning(
                        "{Host} rate limit on {Method} {Url} (attempt {Attempt}): waiting {WaitMs} ms, wait {Wait} of {MaxWaits}",
                        request.RequestUri?.Host,
                        request.Method.Method,
                        RedactedUrl.For(request.RequestUri),
                        args.Context.Properties.GetValue(AttemptKey, 0),
                        (long)args.RetryDelay.TotalMilliseconds,
                        args.AttemptNumber + 1,
                        _policy.MaxRateLimitWaits);
                    return default;
                },
            });
        }

        builder.AddTimeout(_policy.AttemptTimeout);
        return builder.Build();
    }

    /// <summary>
    /// The wait before the next try when the last answer was a rate limit, else <see cref="TimeSpan.MaxValue"/>;
    /// remembered for the delay and the failure message.
    /// </summary>
    private TimeSpan NextRateLimitWait(ResilienceContext context, int waitsSoFar)
    {
        var verdict = context.Properties.GetValue(VerdictKey, AttemptVerdict.Answer);
        if (verdict.Kind != AttemptKind.RateLimited)
        {
            return TimeSpan.MaxValue;
        }

        var wait = verdict.Wait ?? Backoff(waitsSoFar);
        context.Properties.Set(RateLimitWaitKey, wait);
        return wait;
    }

    private TimeSpan Backoff(int waitsSoFar) =>
        TimeSpan.FromTicks((long)Math.Min(_policy.RateLimitBackoff.Ticks * Math.Pow(2, waitsSoFar), TimeSpan.MaxValue.Ticks / 2.0));

    private SourceException RateLimitFailure(HttpRequestMessage request, ResilienceContext context)
    {
        var host = request.RequestUri?.Host ?? "(no host)";
        var verdict = context.Properties.GetValue(VerdictKey, AttemptVerdict.Answer);

        // With no wait budget at all (http.maxRateLimitWaits 0) nothing has computed the wait yet.
        var wait = context.Properties.TryGetValue(RateLimitWaitKey, out var computed) ? computed : verdict.Wait ?? Backoff(0);
        if (wait > _policy.MaxRateLimitWait)
        {
            var what = verdict.Wait is null ? $"the service asks to back off for {HumanTime.Describe(wait)}" : $"the limit resets in {HumanTime.Describe(wait)}";
            return new SourceException(
                $"{host} rate limit: {what}, longer than the {HumanTime.Describe(_policy.MaxRateLimitWait)} the run may wait (http.maxRateLimitWaitSeconds)");
        }

        return new SourceException(
            $"{host} rate limit: still limited after {_policy.MaxRateLimitWaits} wait(s) (http.maxRateLimitWaits) on {RedactedUrl.HostAndPath(request.RequestUri)}");
    }

    private static bool IsTransientException(Exception ex) => ex is HttpRequestException or IOException or TimeoutRejectedException;

    private string Describe(Exception ex) => ex switch
    {
        TimeoutRejectedException => $"no answer within {HumanTime.Describe(_policy.AttemptTimeout)} (http.attemptTimeoutSeconds)",
        _ => $"connection failed ({(ex.InnerException ?? ex).Message.TrimEnd('.')})",
    };

    private static string Attempts(ResilienceContext context) =>
        context.Properties.GetValue(AttemptKey, 0) is var n && n == 1 ? "1 attempt" : $"{n} attempts";
}

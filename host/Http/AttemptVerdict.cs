using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>How the pipeline reads one attempt's answer.</summary>
internal enum AttemptKind
{
    /// <summary>An answer for the plugin, whatever its status (other 4xx included).</summary>
    Answer,

    /// <summary>A 5xx: worth retrying with backoff.</summary>
    ServerError,

    /// <summary>A rate limit: wait, then try again.</summary>
    RateLimited,
}

/// <param name="Kind">What the answer means.</param>
/// <param name="Wait">
/// For a rate limit, the wait the service asked for (<c>Retry-After</c>, the reset time, the plugin's
/// detector); null when it said nothing, so the host backs off on its own.
/// </param>
internal sealed record AttemptVerdict(AttemptKind Kind, TimeSpan? Wait = null)
{
    public static readonly AttemptVerdict Answer = new(AttemptKind.Answer);
}

/// <summary>
/// Tells rate limits and server errors from answers for the plugin: 429; 403 that GitHub uses for its
/// primary and secondary limits (<c>x-ratelimit-remaining: 0</c>, <c>retry-after</c>, or a body about a
/// rate limit); and whatever the plugin's detector recognises (Linear's HTTP 400 <c>RATELIMITED</c>).
/// </summary>
internal sealed class AttemptClassifier(
    RateLimitDetector? detector,
    TimeSpan margin,
    TimeProvider clock)
{
    /// <summary>Classifies a buffered answer.</summary>
    public async ValueTask<AttemptVerdict> ClassifyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        if (status < 400 && detector is null)
        {
            return AttemptVerdict.Answer;
        }

        // GitHub's GraphQL answers its primary limit with HTTP 200 and a RATE_LIMITED error: only the detector knows.
        if (detector is not null && await detector(response, clock, cancellationToken).ConfigureAwait(false) is { } detected)
        {
            // TimeSpan.Zero: "it is a rate limit, but read the wait from the headers".
            return new AttemptVerdict(AttemptKind.RateLimited, detected > TimeSpan.Zero ? detected : WaitFromHeaders(response));
        }

        if (status < 400)
        {
            return AttemptVerdict.Answer;
        }

        if (status == 429 || (status == 403 && await IsRateLimitForbiddenAsync(response, cancellationToken).ConfigureAwait(false)))
        {
            return new AttemptVerdict(AttemptKind.RateLimited, WaitFromHeaders(response));
        }

        return status >= 500 ? new AttemptVerdict(AttemptKind.ServerError) : AttemptVerdict.Answer;
    }

    /// <summary><c>Retry-After</c> (seconds or HTTP date), else the reset time when nothing remains, plus the margin.</summary>
    internal TimeSpan? WaitFromHeaders(HttpResponseMessage response)
    {
        var now = clock.GetUtcNow();
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : (TimeSpan?)null);
            if (wait is { } known)
            {
                return Clamp(known) + margin;
            }
        }

        var remaining = Header(response, "x-ratelimit-remaining");
        if ((remaining is null || remaining == "0")
            && long.TryParse(Header(response, "x-ratelimit-reset"), NumberStyles.None, CultureInfo.InvariantCulture, out var resetEpochSeconds))
        {
            return Clamp(DateTimeOffset.FromUnixTimeSeconds(resetEpochSeconds) - now) + margin;
        }

        return null;
    }

    private static async ValueTask<bool> IsRateLimitForbiddenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (Header(response, "x-ratelimit-remaining") == "0" || response.Headers.RetryAfter is not null)
        {
            return true;
        }

        // GitHub's secondary limits say so only in the message: "You have exceeded a secondary rate limit…".
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return body.Contains("rate limit", StringComparison.OrdinalIgnoreCase);
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault()?.Trim() : null;

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
}

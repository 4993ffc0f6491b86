using System.Net;
using System.Net.Http.Headers;
using OkrHost.Http;
using OkrHost.Testing;

namespace OkrHost.Tests.Http;

public sealed class AttemptClassifierTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Margin = TimeSpan.FromSeconds(1);
    private readonly AttemptClassifier _classifier = new(null, Margin, new FixedClock(Now));

    [Fact]
    public async Task Retry_after_as_an_http_date_is_the_time_until_that_date_plus_the_margin()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(Now.AddSeconds(90));

        var verdict = await _classifier.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(new AttemptVerdict(AttemptKind.RateLimited, TimeSpan.FromSeconds(91)), verdict);
    }

    [Fact]
    public async Task Retry_after_wins_over_the_reset_time()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(5));
        response.Headers.Add("x-ratelimit-remaining", "0");
        response.Headers.Add("x-ratelimit-reset", Now.AddMinutes(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var verdict = await _classifier.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(new AttemptVerdict(AttemptKind.RateLimited, TimeSpan.FromSeconds(6)), verdict);
    }

    [Fact]
    public async Task A_reset_already_past_waits_only_the_margin()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.Forbidden);
        response.Headers.Add("x-ratelimit-remaining", "0");
        response.Headers.Add("x-ratelimit-reset", Now.AddSeconds(-30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture));

        var verdict = await _classifier.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(new AttemptVerdict(AttemptKind.RateLimited, Margin), verdict);
    }

    [Fact]
    public async Task A_429_without_any_hint_leaves_the_wait_to_the_backoff()
    {
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests) { Content = new StringContent("") };

        var verdict = await _classifier.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(new AttemptVerdict(AttemptKind.RateLimited, null), verdict);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, false)]
    [InlineData(HttpStatusCode.NotModified, false)]
    [InlineData(HttpStatusCode.BadRequest, false)]
    [InlineData(HttpStatusCode.Unauthorized, false)]
    [InlineData(HttpStatusCode.Forbidden, false)]
    [InlineData(HttpStatusCode.InternalServerError, true)]
    [InlineData(HttpStatusCode.GatewayTimeout, true)]
    public async Task Statuses_without_rate_limit_signs_are_answers_or_server_errors(HttpStatusCode status, bool serverError)
    {
        using var response = new HttpResponseMessage(status) { Content = new StringContent("""{"message":"nope"}""") };

        var verdict = await _classifier.ClassifyAsync(response, CancellationToken.None);

        Assert.Equal(serverError ? AttemptKind.ServerError : AttemptKind.Answer, verdict.Kind);
    }
}

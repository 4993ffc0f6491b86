using System.Globalization;
using System.Net;
using Microsoft.Extensions.Time.Testing;
using OkrHost.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

public sealed class RateLimitTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(5);

    private readonly WireMockServer _server = WireMockServer.Start();

    // The pipeline waits on this clock: the tests move it instead of waiting.
    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private readonly PipelineHarness _harness;

    public RateLimitTests() => _harness = new PipelineHarness(clock: _clock);

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task A_429_with_retry_after_is_waited_out_and_the_plugin_sees_the_200()
    {
        _server.GivenSequence("/items", "GET", Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1"), Ok("items"));
        using var client = _harness.Client(_server.LoopbackUrl());

        var sending = client.GetAsync("items");
        var waited = await FakeClockDriver.AdvanceUntilDoneAsync(_clock, sending, Patience);

        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("items", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _harness.Http.Requests);
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"waited only {waited} on the clock");
        Assert.Contains(_harness.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning && e.RenderMessage().Contains("rate limit", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_github_403_with_nothing_remaining_waits_for_the_reset_then_succeeds()
    {
        var reset = _clock.GetUtcNow().AddSeconds(2).ToUnixTimeSeconds();
        _server.GivenSequence(
            "/repos/acme/api/deployments",
            "GET",
            Response.Create().WithStatusCode(403)
                .WithHeader("x-ratelimit-remaining", "0")
                .WithHeader("x-ratelimit-reset", reset.ToString(CultureInfo.InvariantCulture))
                .WithBody("""{"message":"API rate limit exceeded for user ID 1."}"""),
            Ok("[]"));
        using var client = _harness.Client(_server.LoopbackUrl());

        var sending = client.GetAsync("repos/acme/api/deployments");
        var waited = await FakeClockDriver.AdvanceUntilDoneAsync(_clock, sending, Patience);

        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _harness.Http.Requests);
        // The reset is a whole second 1 to 2 s ahead of the clock.
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"waited only {waited} on the clock");
    }

    [Fact]
    public async Task A_reset_beyond_the_cap_fails_at_once_with_the_reason()
    {
        var reset = _clock.GetUtcNow().AddMinutes(41).ToUnixTimeSeconds();
        _server.Given(Request.Create().WithPath("/repos/acme/api/deployments").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403)
                .WithHeader("x-ratelimit-remaining", "0")
                .WithHeader("x-ratelimit-reset", reset.ToString(CultureInfo.InvariantCulture)));
        using var client = _harness.Client(_server.LoopbackUrl());

        // The clock never moves: a wait of any length would never end.
        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("repos/acme/api/deployments").WaitAsync(Patience));

        Assert.Equal(
            "127.0.0.1 rate limit: the limit resets in 41 min, longer than the 3 s the run may wait (http.maxRateLimitWaitSeconds)",
            failure.Message);
        Assert.Equal(1, _harness.Http.Requests);
    }

    [Fact]
    public async Task A_secondary_rate_limit_said_only_in_the_body_backs_off_then_succeeds()
    {
        _server.GivenSequence(
            "/search",
            "GET",
            Response.Create().WithStatusCode(403).WithBody("""{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again."}"""),
            Ok("found"));
        using var client = _harness.Client(_server.LoopbackUrl());

        var sending = client.GetAsync("search");
        var waited = await FakeClockDriver.AdvanceUntilDoneAsync(_clock, sending, Patience);

        using var response = await sending;
        Assert.Equal("found", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, _harness.Http.Requests);
        Assert.True(waited >= PipelineHarness.TestPolicy.RateLimitBackoff, $"waited only {waited} on the clock");
    }

    [Fact]
    public async Task A_plain_403_is_the_plugins_to_handle()
    {
        _server.Given(Request.Create().WithPath("/private").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"message":"Resource not accessible by integration"}"""));
        using var client = _harness.Client(_server.LoopbackUrl());

        using var response = await client.GetAsync("private");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal(1, _harness.Http.Requests);
    }

    [Fact]
    public async Task A_rate_limit_the_plugins_detector_recognises_is_waited_out()
    {
        const string limited = """{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}""";
        _server.GivenSequence(
            "/graphql",
            "POST",
            Response.Create().WithStatusCode(400).WithHeader("Retry-After", "1").WithBody(limited),
            Ok("""{"data":{"viewer":{"id":"u1"}}}"""));
        using var client = _harness.Client(_server.LoopbackUrl(), token: "lin_api_test", rateLimitDetector: DetectLinearRateLimit);

        var sending = client.PostAsync("graphql", new StringContent("""{"query":"{ viewer { id } }"}"""));
        var waited = await FakeClockDriver.AdvanceUntilDoneAsync(_clock, sending, Patience);

        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(2, _harness.Http.Requests);
        Assert.True(waited >= TimeSpan.FromSeconds(1), $"waited only {waited} on the clock");
    }

    [Fact]
    public async Task A_rate_limit_that_never_lifts_fails_once_its_own_budget_is_spent()
    {
        var policy = PipelineHarness.TestPolicy with { MaxRateLimitWaits = 2 };
        using var harness = new PipelineHarness(policy);
        _server.Given(Request.Create().WithPath("/busy").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"));
        using var client = harness.Client(_server.LoopbackUrl());

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("busy"));

        Assert.Equal($"127.0.0.1 rate limit: still limited after 2 wait(s) (http.maxRateLimitWaits) on 127.0.0.1:{_server.Port}/busy", failure.Message);
        Assert.Equal(3, harness.Http.Requests);
    }

    private static async ValueTask<TimeSpan?> DetectLinearRateLimit(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Contains("\"RATELIMITED\"", StringComparison.Ordinal) ? TimeSpan.Zero : null;
    }

    private static IResponseBuilder Ok(string body) => Response.Create().WithStatusCode(200).WithBody(body);
}

using System.Net;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OkrHost.Contracts;
using OkrHost.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

public sealed class PipelineSafetyTests : IDisposable
{
    private const string Token = "ghp_SuperSecretValue123";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly PipelineHarness _harness = new();

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task A_token_over_plain_http_to_a_remote_host_is_refused_before_any_request()
    {
        using var client = _harness.Client(new Uri("http://example.invalid/"), token: Token);

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("user"));

        Assert.Equal(
            "refusing to send a token over plain http to example.invalid: use an https:// baseUrl (plain http is allowed only for loopback addresses)",
            failure.Message);
        Assert.Equal(0, _harness.Http.Requests);
    }

    [Fact]
    public async Task The_source_headers_are_sent_and_the_callers_own_headers_win()
    {
        _server.Given(Request.Create().WithPath("/v1/databases/db/query").UsingPost()).RespondWith(Response.Create().WithStatusCode(200));
        using var client = _harness.Http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = _server.LoopbackUrl(),
            Authorization = OkrHost.Http.Authorization.Bearer(Token),
            Headers = new Dictionary<string, string> { ["Notion-Version"] = "2022-06-28", ["User-Agent"] = "okrhost" },
        });
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/databases/db/query") { Content = new StringContent("{}") };
        request.Headers.TryAddWithoutValidation("User-Agent", "plugin/1.0");

        (await client.SendAsync(request)).Dispose();

        var received = Assert.Single(_server.Received("/v1/databases/db/query"));
        Assert.Equal($"Bearer {Token}", received.Header("Authorization"));
        Assert.Equal("2022-06-28", received.Header("Notion-Version"));
        Assert.Equal("plugin/1.0", received.Header("User-Agent"));
    }

    [Fact]
    public async Task Logs_never_contain_the_token_even_in_urls_retries_waits_and_failures()
    {
        _server.GivenSequence(
            "/search",
            "GET",
            Response.Create().WithStatusCode(503),
            Response.Create().WithStatusCode(429).WithHeader("Retry-After", "0"),
            Response.Create().WithStatusCode(200).WithBody("ok"));
        _server.Given(Request.Create().WithPath("/down").UsingGet()).RespondWith(Response.Create().WithStatusCode(500));
        using var client = _harness.Client(_server.LoopbackUrl(), token: Token);

        (await client.GetAsync($"search?q=deploy&access_token={Token}&api_key={Token}")).Dispose();
        await Assert.ThrowsAsync<SourceException>(() => client.GetAsync($"down?client_secret={Token}"));

        var written = _harness.Logs.EverythingWritten().ToArray();
        Assert.Contains(_harness.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Debug && e.RenderMessage().Contains("/search?q=deploy&access_token=REDACTED", StringComparison.Ordinal));
        Assert.True(_harness.Logs.Events.Count(e => e.Level == Serilog.Events.LogEventLevel.Warning) >= 3);
        Assert.All(written, text => Assert.DoesNotContain("SuperSecret", text, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_successful_request_is_logged_at_debug_with_method_url_status_time_and_attempts()
    {
        _server.Given(Request.Create().WithPath("/ok").UsingGet()).RespondWith(Response.Create().WithStatusCode(200));
        using var client = _harness.Client(_server.LoopbackUrl());

        (await client.GetAsync("ok")).Dispose();

        var logged = Assert.Single(_harness.Logs.Events);
        Assert.Equal(Serilog.Events.LogEventLevel.Debug, logged.Level);
        Assert.Equal("\"GET\"", logged.Properties["Method"].ToString());
        Assert.Equal($"\"http://127.0.0.1:{_server.Port}/ok\"", logged.Properties["Url"].ToString());
        Assert.Equal("200", logged.Properties["Status"].ToString());
        Assert.Equal("1", logged.Properties["Attempts"].ToString());
        Assert.True(logged.Properties.ContainsKey("ElapsedMs"));
        Assert.Equal("\"test\"", logged.Properties["SourceId"].ToString());
    }

    [Fact]
    public async Task Cancelling_the_source_stops_a_request_in_flight_even_without_a_caller_token()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var abandoned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            using var registration = context.RequestAborted.Register(() => abandoned.TrySetResult());
            arrived.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, context.RequestAborted);
        });
        using var client = _harness.Client(server.BaseUrl);

        var request = client.GetAsync("hang");
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await _harness.SourceCancellation.CancelAsync();

        // The server never answers: only the source's cancellation can end the request, and the server sees it dropped.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(TimeSpan.FromSeconds(30)));
        await abandoned.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _harness.Http.Requests);
    }

    [Fact]
    public async Task Requests_in_flight_stay_within_the_limit_across_clients_of_one_source()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, _) =>
        {
            await Task.Delay(150, context.RequestAborted);
            await context.Response.WriteAsync("ok");
        });
        using var first = _harness.Client(server.BaseUrl, maxConcurrentRequests: 2);
        using var second = _harness.Client(server.BaseUrl, maxConcurrentRequests: 2);

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? first : second).GetAsync($"item/{i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(2, server.MaxInFlight);
        Assert.Equal(8, server.Requests);
    }

    [Fact]
    public async Task Requests_are_paced_to_the_services_rate()
    {
        _server.Given(Request.Create().WithPath("/paced").UsingGet()).RespondWith(Response.Create().WithStatusCode(200));
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new PipelineHarness(clock: clock);
        using var client = harness.Client(_server.LoopbackUrl(), maxRequestsPerSecond: 10);

        var sending = Task.WhenAll(Enumerable.Range(0, 6).Select(_ => client.GetAsync("paced")));
        var paced = await FakeClockDriver.AdvanceUntilDoneAsync(clock, sending, TimeSpan.FromMinutes(1));

        Assert.All(await sending, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        // Starts 100 ms apart on the clock: the sixth goes 500 ms after the first.
        Assert.True(paced >= TimeSpan.FromMilliseconds(500), $"6 requests at 10/s took only {paced} on the clock");
        Assert.Equal(6, _server.Received("/paced").Count());
    }

    [Fact]
    public void An_invalid_policy_lists_every_problem_by_its_setting_key()
    {
        var policy = new HttpPolicy { MaxRetries = -1, AttemptTimeout = TimeSpan.Zero, MaxRateLimitWait = TimeSpan.FromDays(2), CacheDirectory = "relative/cache" };

        var problems = policy.Validate();

        Assert.Equal(
            [
                "error: $.http.maxRetries: must be between 0 and 100, not -1",
                "error: $.http.attemptTimeoutSeconds: must be between 10 ms and 60 min, not 0 ms",
                "error: $.http.maxRateLimitWaitSeconds: must be between 0 ms and 24 h, not 48 h",
                "error: $.http: the HTTP cache folder must be an absolute path, not 'relative/cache'",
            ],
            problems.Select(p => p.ToString()));
        var thrown = Assert.Throws<ArgumentException>(() => new SourceHttpFactory(policy, Serilog.Core.Logger.None, TimeProvider.System));
        Assert.Contains("http.maxRetries", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_default_policy_is_valid()
    {
        Assert.Empty(new HttpPolicy().Validate());
        Assert.Empty(PipelineHarness.TestPolicy.Validate());
    }
}

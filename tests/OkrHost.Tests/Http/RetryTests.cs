using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;
using OkrHost.Contracts;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

public sealed class RetryTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly PipelineHarness _harness = new();

    public void Dispose()
    {
        _harness.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Two_server_errors_then_success_reach_the_plugin_as_the_success_with_three_requests_counted()
    {
        _server.GivenSequence("/flaky", "GET", Response.Create().WithStatusCode(503), Response.Create().WithStatusCode(502), Ok("third time lucky"));
        using var client = _harness.Client(_server.LoopbackUrl());

        using var response = await client.GetAsync("flaky");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("third time lucky", await response.Content.ReadAsStringAsync());
        Assert.Equal(3, _harness.Http.Requests);
        Assert.Equal(3, _server.Received("/flaky").Count);
        Assert.Equal(2, _harness.Logs.Events.Count(e => e.Level == Serilog.Events.LogEventLevel.Warning));
    }

    [Fact]
    public async Task Exhausted_retries_fail_with_a_message_naming_host_path_status_and_attempts()
    {
        _server.Given(Request.Create().WithPath("/api/v3/repos/acme/api/deployments").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(503));
        using var client = _harness.Client(_server.LoopbackUrl());

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("api/v3/repos/acme/api/deployments?per_page=100"));

        Assert.Equal($"127.0.0.1:{_server.Port}/api/v3/repos/acme/api/deployments: HTTP 503 after 4 attempts", failure.Message);
        Assert.Equal(4, _harness.Http.Requests);
        // What a plugin may act on (GitHub's GraphQL asks for smaller pages after a 502 or 504).
        Assert.Equal((503, false), (failure.StatusCode, failure.TimedOut));
    }

    [Fact]
    public async Task Other_client_errors_pass_through_untouched_without_retry()
    {
        _server.Given(Request.Create().WithPath("/missing").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(404).WithBody("""{"message":"Not Found"}"""));
        using var client = _harness.Client(_server.LoopbackUrl());

        using var response = await client.GetAsync("missing");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("""{"message":"Not Found"}""", await response.Content.ReadAsStringAsync());
        Assert.Equal(1, _harness.Http.Requests);
    }

    [Fact]
    public async Task A_post_body_is_sent_again_on_retry()
    {
        _server.GivenSequence("/graphql", "POST", Response.Create().WithStatusCode(500), Ok("""{"data":{}}"""));
        using var client = _harness.Client(_server.LoopbackUrl());
        const string query = """{"query":"{ viewer { id } }"}""";

        using var response = await client.PostAsync("graphql", new StringContent(query, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var received = _server.Received("/graphql");
        Assert.Equal(2, received.Count);
        Assert.All(received, entry => Assert.Equal(query, entry.RequestMessage.Body));
    }

    [Fact]
    public async Task An_attempt_that_times_out_is_retried()
    {
        var policy = PipelineHarness.TestPolicy with { AttemptTimeout = TimeSpan.FromMilliseconds(300) };
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        using var harness = new PipelineHarness(policy, clock);
        // WireMock moves a scenario on only once its delayed answer is sent, so the script is by hand.
        await using var server = await ScriptedServer.StartAsync(async (context, n) =>
        {
            if (n == 1)
            {
                await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted);
            }

            await context.Response.WriteAsync(n == 1 ? "late" : "prompt");
        });
        using var client = harness.Client(server.BaseUrl);

        var sending = client.GetAsync("slow");
        var waited = await FakeClockDriver.AdvanceUntilDoneAsync(clock, sending, TimeSpan.FromMinutes(1));

        using var response = await sending;
        Assert.Equal("prompt", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, harness.Http.Requests);
        Assert.True(waited >= TimeSpan.FromMilliseconds(300), $"the attempt was abandoned after {waited} on the clock");
        Assert.Contains(harness.Logs.Events, e => e.RenderMessage().Contains("no answer within 300 ms", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Attempts_that_all_time_out_fail_naming_the_timeout_setting()
    {
        var policy = PipelineHarness.TestPolicy with { AttemptTimeout = TimeSpan.FromMilliseconds(100), MaxRetries = 1 };
        using var harness = new PipelineHarness(policy);
        _server.Given(Request.Create().WithPath("/hung").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(2)));
        using var client = harness.Client(_server.LoopbackUrl());

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("hung"));

        Assert.Equal($"127.0.0.1:{_server.Port}/hung: no answer within 100 ms (http.attemptTimeoutSeconds) after 2 attempts", failure.Message);
        Assert.Equal((null, true), (failure.StatusCode, failure.TimedOut));
    }

    [Fact]
    public async Task A_dropped_connection_is_retried_and_the_plugin_sees_the_next_answer()
    {
        await using var server = await ScriptedServer.StartAsync(async (context, n) =>
        {
            if (n == 1)
            {
                context.Abort();
                return;
            }

            await context.Response.WriteAsync("after the drop");
        });
        using var client = _harness.Client(server.BaseUrl);

        using var response = await client.GetAsync("anything");

        Assert.Equal("after the drop", await response.Content.ReadAsStringAsync());
        Assert.Equal(2, server.Requests);
        Assert.Equal(2, _harness.Http.Requests);
    }

    [Fact]
    public async Task Connections_dropped_every_time_fail_with_the_connection_problem()
    {
        await using var server = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Abort();
            return Task.CompletedTask;
        });
        using var client = _harness.Client(server.BaseUrl);

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.GetAsync("repos"));

        Assert.StartsWith($"127.0.0.1:{server.BaseUrl.Port}/repos: connection failed (", failure.Message, StringComparison.Ordinal);
        Assert.EndsWith(") after 4 attempts", failure.Message, StringComparison.Ordinal);
        Assert.Equal(4, server.Requests);
    }

    private static IResponseBuilder Ok(string body) => Response.Create().WithStatusCode(200).WithBody(body);
}

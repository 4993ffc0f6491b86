using System.Diagnostics;
using System.Net;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Sandbox;
using OkrHost.Testing;
using OkrHost.Tests.Http;

namespace OkrHost.Tests.Sandbox;

/// <summary>The sandbox's injected faults, seen by a plain client (no retries) and by the host's pipeline.</summary>
public sealed class FaultTests
{
    [Fact]
    public async Task A_rate_limit_answers_429_with_retry_after_and_githubs_rate_limit_headers()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.RateLimit, "github"));
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("github"), "repos/acme/api/deployments"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.Equal("0", Assert.Single(response.Headers.GetValues("x-ratelimit-remaining")));
        var reset = long.Parse(Assert.Single(response.Headers.GetValues("x-ratelimit-reset")), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(reset - DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 0, 2);
        Assert.Equal(1, sandbox.Stats("github").Requests);
    }

    [Fact]
    public async Task A_rate_limit_for_slack_is_slacks_own_answer_without_github_headers()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.RateLimit, "slack"));
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("slack"), "api/conversations.list"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), response.Headers.RetryAfter?.Delta);
        Assert.False(response.Headers.Contains("x-ratelimit-remaining"));
        Assert.Equal("""{"ok":false,"error":"ratelimited"}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_server_error_answers_502_or_503()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.ServerError, "grafana"));
        using var client = new HttpClient();

        var statuses = new List<int>();
        for (var i = 0; i < 12; i++)
        {
            using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("grafana"), "api/annotations"));
            statuses.Add((int)response.StatusCode);
        }

        Assert.All(statuses, status => Assert.Contains(status, new[] { 502, 503 }));
        Assert.Contains(502, statuses);
        Assert.Contains(503, statuses);
    }

    [Fact]
    public async Task A_drop_aborts_the_connection_without_an_answer()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Drop, "notion"));
        using var client = new HttpClient();

        await Assert.ThrowsAsync<HttpRequestException>(() => client.PostAsync(new Uri(sandbox.BaseUrl("notion"), "v1/databases/x/query"), new StringContent("{}")));
    }

    [Fact]
    public async Task A_slow_answer_comes_after_the_configured_delay()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Slow, "linear", Count: 1) { SlowDelay = TimeSpan.FromSeconds(2) });
        using var client = new HttpClient();
        var url = new Uri(sandbox.BaseUrl("linear"), "graphql");

        var clock = Stopwatch.StartNew();
        (await client.PostAsync(url, new StringContent("{}"))).Dispose();
        var slow = clock.Elapsed;
        clock.Restart();
        (await client.PostAsync(url, new StringContent("{}"))).Dispose();
        var normal = clock.Elapsed;

        Assert.True(slow >= TimeSpan.FromSeconds(2), $"slow answer took {slow}");
        Assert.True(normal < TimeSpan.FromSeconds(2), $"the second answer took {normal}");
    }

    [Fact]
    public async Task A_slow_answer_stops_waiting_when_the_client_gives_up()
    {
        var sandbox = await Start(new FaultSpec(FaultKind.Slow, "github"));
        using (var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(200) })
        {
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetAsync(new Uri(sandbox.BaseUrl("github"), "user")));
        }

        // With the default 35 s delay still pending, stopping the server would hang if the abort were ignored.
        var clock = Stopwatch.StartNew();
        await sandbox.DisposeAsync();
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"stopping took {clock.Elapsed}");
    }

    [Fact]
    public async Task A_malformed_answer_is_a_200_json_body_that_does_not_parse()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Malformed, "slack"));
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("slack"), "api/conversations.list"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("{", body, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(body));
    }

    [Theory]
    [InlineData("github", "user", 401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}""")]
    [InlineData("linear", "graphql", 400, """{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR","type":"authentication error","userPresentableMessage":"You need to authenticate to access this operation."}}]}""")]
    [InlineData("slack", "api/auth.test", 200, """{"ok":false,"error":"invalid_auth"}""")]
    [InlineData("grafana", "api/annotations", 401, """{"message":"Unauthorized"}""")]
    [InlineData("notion", "v1/users/me", 401, """{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}""")]
    public async Task An_auth_failure_is_each_services_own_bad_token_answer(string service, string path, int status, string body)
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.AuthFailure));
        using var client = new HttpClient();

        using var response = await client.GetAsync(new Uri(sandbox.BaseUrl(service), path));

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_outage_answers_503_to_every_request_of_that_service_only()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Outage, "notion"));
        using var client = new HttpClient();

        for (var i = 0; i < 10; i++)
        {
            using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("notion"), "v1/users/me"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        }

        using var other = await client.GetAsync(new Uri(sandbox.BaseUrl("github"), "user"));
        Assert.NotEqual(HttpStatusCode.ServiceUnavailable, other.StatusCode);
    }

    [Fact]
    public async Task A_rule_fires_no_more_often_than_its_count()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Outage, "github", Count: 2));
        using var client = new HttpClient();

        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("github"), "user"));
            statuses.Add(response.StatusCode);
        }

        Assert.Equal(2, statuses.Count(s => s == HttpStatusCode.ServiceUnavailable));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[0]);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, statuses[1]);
    }

    [Fact]
    public async Task The_same_seed_faults_the_same_request_ordinals_and_another_seed_others()
    {
        FaultSpec[] faults = [new(FaultKind.ServerError, "github", Rate: 0.3)];

        var first = await FaultedOrdinals(seed: 7, faults);
        var again = await FaultedOrdinals(seed: 7, faults);
        var otherSeed = await FaultedOrdinals(seed: 8, faults);

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
        Assert.InRange(first.Count, 4, 20);
    }

    [Fact]
    public async Task The_hosts_pipeline_rides_out_a_rate_limit_and_server_errors_from_the_sandbox()
    {
        await using var sandbox = await Start(
            new FaultSpec(FaultKind.RateLimit, "github", Count: 1),
            new FaultSpec(FaultKind.ServerError, "github", Count: 2));
        using var harness = new PipelineHarness();
        using var client = harness.Client(sandbox.BaseUrl("github"), token: "sandbox-github-token");

        using var response = await client.GetAsync("user");

        Assert.NotEqual(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True((int)response.StatusCode < 500);
        Assert.Equal(4, harness.Http.Requests);
        Assert.Equal(4, sandbox.Stats("github").Requests);
    }

    [Fact]
    public async Task The_hosts_pipeline_fails_an_outage_with_a_clear_message()
    {
        await using var sandbox = await Start(new FaultSpec(FaultKind.Outage, "notion"));
        using var harness = new PipelineHarness();
        using var client = harness.Client(sandbox.BaseUrl("notion"), token: "sandbox-notion-token");

        var failure = await Assert.ThrowsAsync<SourceException>(() => client.PostAsync("v1/databases/okrs/query", new StringContent("{}")));

        Assert.Equal($"127.0.0.1:{sandbox.RootUrl.Port}/notion/v1/databases/okrs/query: HTTP 503 after 4 attempts", failure.Message);
    }

    private static async Task<List<int>> FaultedOrdinals(int seed, IReadOnlyList<FaultSpec> faults)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Seed = seed, Now = SandboxFixture.Now, Faults = faults });
        using var client = new HttpClient();
        var faulted = new List<int>();
        for (var ordinal = 1; ordinal <= 40; ordinal++)
        {
            using var response = await client.GetAsync(new Uri(sandbox.BaseUrl("github"), "user"));
            if ((int)response.StatusCode is 502 or 503)
            {
                faulted.Add(ordinal);
            }
        }

        return faulted;
    }

    private static Task<SandboxServer> Start(params FaultSpec[] faults) =>
        SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Faults = faults });
}

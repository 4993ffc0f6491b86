using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static GitHub.Tests.GitHubTestKit;

namespace GitHub.Tests;

public sealed class FailureTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly ReportPeriod Period = TestSources.Last30Days(SandboxFixture.Now);

    private JsonObject DemoSettings(string api)
    {
        var settings = fixture.Server.Emulator("github").DemoSettings(fixture.Server.BaseUrl("github"));
        settings["api"] = api;
        return settings;
    }

    [Theory]
    [InlineData("rest")]
    [InlineData("graphql")]
    public async Task A_rejected_token_names_the_variable_to_check_and_never_the_token(string api)
    {
        var settings = DemoSettings(api);
        settings["tokenEnv"] = "ACME_GITHUB_TOKEN";

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            RunAsync(fixture.Server.BaseUrl("github"), settings, "ghp_wrongTokenForTheSandbox000000000000", Period));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
        Assert.Contains("ACME_GITHUB_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("ghp_wrong", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rest", "404")]
    [InlineData("graphql", "NOT_FOUND")]
    public async Task An_unknown_repository_is_named_with_the_404(string api, string answer)
    {
        var settings = DemoSettings(api);
        settings["repositories"] = new JsonArray("acme/api", "acme/does-not-exist");

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            RunAsync(fixture.Server.BaseUrl("github"), settings, fixture.Server.Emulator("github").Token, Period));

        Assert.Contains("acme/does-not-exist", error.Message, StringComparison.Ordinal);
        Assert.Contains(answer, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rest", "403")]
    [InlineData("graphql", "FORBIDDEN")]
    public async Task A_repository_the_token_may_not_read_is_named_with_the_403(string api, string answer)
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: api);
        sandbox.Emulator.Data.ForbiddenRepositories.Add("acme/web");

        var error = await Assert.ThrowsAsync<SourceException>(() => sandbox.RunAsync(Period));

        Assert.Contains("acme/web", error.Message, StringComparison.Ordinal);
        Assert.Contains(answer, error.Message, StringComparison.Ordinal);
        Assert.Contains("GITHUB_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("rest", "not-github/api/v3/")]
    [InlineData("graphql", "not-github/api/graphql")]
    public async Task A_wrong_enterprise_address_says_where_requests_went(string api, string address)
    {
        var settings = DemoSettings(api);
        settings["baseUrl"] = new Uri(fixture.Server.RootUrl, "not-github/").ToString();

        var error = await Assert.ThrowsAsync<SourceException>(() =>
            RunAsync(fixture.Server.BaseUrl("github"), settings, fixture.Server.Emulator("github").Token, Period));

        Assert.Contains(address, error.Message, StringComparison.Ordinal);
        Assert.Contains("GitHub Enterprise", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_is_waited_out_and_the_retried_run_gives_the_same_numbers()
    {
        using var server = WireMockServer.Start();
        const string deployments = "/api/v3/repos/acme/api/deployments";
        server.Given(Request.Create().WithPath(deployments).UsingGet()).InScenario("limit").WillSetStateTo("waited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1")
                .WithHeader("Content-Type", "application/json").WithBody("""{"message":"You have exceeded a secondary rate limit.","documentation_url":"https://docs.github.com/rest"}"""));
        server.Given(Request.Create().WithPath(deployments).UsingGet()).InScenario("limit").WhenStateIs("waited")
            .RespondWith(Json("""
                [ { "id": 2, "sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "ref": "main", "environment": "production", "created_at": "2026-10-20T09:55:00Z" },
                  { "id": 1, "sha": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "ref": "main", "environment": "production", "created_at": "2026-10-10T08:55:00Z" } ]
                """));
        server.Given(Request.Create().WithPath("/api/v3/repos/acme/api/deployments/2/statuses").UsingGet())
            .RespondWith(Json("""[ { "id": 21, "state": "success", "created_at": "2026-10-20T10:00:00Z" } ]"""));
        server.Given(Request.Create().WithPath("/api/v3/repos/acme/api/deployments/1/statuses").UsingGet())
            .RespondWith(Json("""[ { "id": 11, "state": "success", "created_at": "2026-10-10T09:00:00Z" } ]"""));
        server.Given(Request.Create().WithPath("/api/v3/repos/acme/api/compare/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa...bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb").UsingGet())
            .RespondWith(Json("""
                { "status": "ahead", "ahead_by": 2, "behind_by": 0, "total_commits": 2, "files": [],
                  "commits": [ { "sha": "cccccccccccccccccccccccccccccccccccccccc", "commit": { "message": "One", "author": { "name": "A", "email": "a@x", "date": "2026-10-19T10:00:00Z" } } },
                               { "sha": "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", "commit": { "message": "Two", "author": { "name": "A", "email": "a@x", "date": "2026-10-20T06:00:00Z" } } } ] }
                """));
        var settings = new JsonObject { ["repositories"] = new JsonArray("acme/api"), ["api"] = "rest" };

        var (retried, _) = await RunAsync(new Uri(server.Url! + "/"), settings.DeepClone().AsObject(), "ghp_test", Period);
        var (undisturbed, _) = await RunAsync(new Uri(server.Url! + "/"), settings.DeepClone().AsObject(), "ghp_test", Period);

        Assert.Contains(server.LogEntries, entry => entry.ResponseMessage.StatusCode is 429);
        // Two successes in the period (10-03 to 11-02); lead times 24 h and 4 h.
        Assert.Equal(2, retried.Value("github.deployments"));
        Assert.Equal(14, retried.Value("github.lead_time_hours.p50"));
        Assert.Equal(retried.Metrics, undisturbed.Metrics);
    }

    // Over GraphQL a run sends a handful of queries: half of them meet a fault until the rules are spent.
    [Theory]
    [InlineData("rest", 0.2, 0.1)]
    [InlineData("graphql", 0.5, 0.5)]
    public async Task Injected_rate_limits_and_server_errors_are_retried_to_the_same_numbers(string api, double rateLimits, double serverErrors)
    {
        await using var clean = await DemoSandbox.StartAsync(api: api);
        await using var faulty = await DemoSandbox.StartAsync(api: api, faults:
        [
            new FaultSpec(FaultKind.RateLimit, "github", Rate: rateLimits, Count: 3),
            new FaultSpec(FaultKind.ServerError, "github", Rate: serverErrors, Count: 4),
        ]);

        var (expected, cleanRequests) = await clean.RunAsync(Period);
        var (retried, faultyRequests) = await faulty.RunAsync(Period);

        Assert.Equal(cleanRequests + 7, faultyRequests);
        Assert.Equal(expected.Metrics, retried.Metrics);
        // Two sandboxes on two ports: compare the events without their links.
        Assert.Equal(WithoutLinks(expected), WithoutLinks(retried));
    }

    [Fact]
    public async Task A_warm_rerun_through_the_cache_is_answered_by_304s_with_the_same_numbers()
    {
        await using var sandbox = await DemoSandbox.StartAsync();
        var cache = Directory.CreateTempSubdirectory("okrhost-github-cache-");
        try
        {
            var policy = TestSources.FastPolicy with { CacheDirectory = cache.FullName };
            var (cold, coldRequests) = await sandbox.RunAsync(Period, policy: policy);
            sandbox.Server.ResetStats();

            var (warm, warmRequests) = await sandbox.RunAsync(Period, policy: policy);

            var stats = sandbox.Server.Stats("github");
            Assert.Equal(coldRequests, warmRequests);
            Assert.Equal(warmRequests, stats.NotModified);
            Assert.Equal(cold.Metrics, warm.Metrics);
        }
        finally
        {
            cache.Delete(recursive: true);
        }
    }

    private static List<DeploymentFact> WithoutLinks(PluginRun result) =>
        result.Facts.OfType<DeploymentFact>().Select(e => e with { Url = null }).ToList();

    private static IResponseBuilder Json(string body) =>
        Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json; charset=utf-8").WithBody(body);
}

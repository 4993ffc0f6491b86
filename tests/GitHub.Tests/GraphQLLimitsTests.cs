using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Sandbox;
using OkrHost.Sandbox.GitHub;
using OkrHost.Testing;

namespace GitHub.Tests;

/// <summary>
/// GitHub's GraphQL limits (PRODUCT.md 15) as the emulator applies them, and the source's answer to each:
/// Relay paging, cost in points, the node ceiling, RATE_LIMITED and secondary limits, queries that run too
/// long, and errors beside partial data.
/// </summary>
public sealed class GraphQLLimitsTests
{
    private static readonly ReportPeriod Period = TestSources.Last30Days(SandboxFixture.Now);

    [Fact]
    public async Task Deployments_page_relay_style_oldest_first_unless_asked_and_pages_over_100_are_refused()
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: "graphql");
        const string page = "query($first: Int, $last: Int, $after: String, $before: String, $order: DeploymentOrder) { repository(owner: \"acme\", name: \"api\") { deployments(first: $first, last: $last, after: $after, before: $before, orderBy: $order) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor startCursor } nodes { databaseId createdAt } } } }";
        var newestFirst = new { field = "CREATED_AT", direction = "DESC" };

        var first = await PostAsync(sandbox, page, new { first = 2 });
        var second = await PostAsync(sandbox, page, new { first = 2, after = first.Connection().GetProperty("pageInfo").GetProperty("endCursor").GetString() });
        var newest = await PostAsync(sandbox, page, new { first = 1, order = newestFirst });
        var last = await PostAsync(sandbox, page, new { last = 1 });
        var before = await PostAsync(sandbox, page, new { last = 1, before = second.Connection().GetProperty("pageInfo").GetProperty("startCursor").GetString() });
        var tooMany = await PostAsync(sandbox, page, new { first = 101 });
        var unbounded = await PostAsync(sandbox, page, new { });

        var repository = sandbox.Emulator.Data["acme/api"];
        var oldest = repository.Deployments.OrderBy(d => d.CreatedAt).ThenBy(d => d.Id).Select(d => d.Id).ToList();
        Assert.Equal(oldest.Take(2), Ids(first));
        Assert.True(first.Connection().GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(oldest.Skip(2).Take(2), Ids(second));
        Assert.True(second.Connection().GetProperty("pageInfo").GetProperty("hasPreviousPage").GetBoolean());
        Assert.Equal([oldest[^1]], Ids(newest));
        Assert.Equal([oldest[^1]], Ids(last));
        Assert.Equal([oldest[1]], Ids(before));
        Assert.Equal(oldest.Count, first.Connection().GetProperty("totalCount").GetInt32());
        Assert.Equal("EXCESSIVE_PAGINATION", ErrorType(tooMany));
        Assert.Equal("MISSING_PAGINATION_BOUNDARIES", ErrorType(unbounded));
    }

    [Fact]
    public async Task A_query_costs_its_connection_requests_over_100_and_one_over_500000_nodes_is_refused()
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: "graphql");
        string Aliases(int count, int statuses) => string.Concat(Enumerable.Range(0, count).Select(i =>
            $" r{i}: repository(owner: \"acme\", name: \"api\") {{ deployments(first: 100) {{ nodes {{ statuses(first: {statuses}) {{ nodes {{ state }} }} }} }} }}"));

        // One deployments connection and one statuses connection per deployment: 101 requests, 1 point;
        // 25 repositories: 2,525 requests, 25 points; 27,500 nodes.
        var one = await PostAsync(sandbox, "{ rateLimit { cost nodeCount remaining } " + Aliases(1, 10) + " }", null);
        var many = await PostAsync(sandbox, "{ rateLimit { cost nodeCount } " + Aliases(25, 10) + " }", null);
        // 50 × (100 + 100 × 100) = 505,000 nodes.
        var tooBig = await PostAsync(sandbox, "{" + Aliases(50, 100) + " }", null);

        Assert.Equal(1, one.RootElement.GetProperty("data").GetProperty("rateLimit").GetProperty("cost").GetInt32());
        Assert.Equal(25, many.RootElement.GetProperty("data").GetProperty("rateLimit").GetProperty("cost").GetInt32());
        Assert.Equal(27_500, many.RootElement.GetProperty("data").GetProperty("rateLimit").GetProperty("nodeCount").GetInt32());
        Assert.Equal("MAX_NODE_LIMIT_EXCEEDED", ErrorType(tooBig));
        Assert.False(tooBig.RootElement.TryGetProperty("data", out _));
        Assert.Equal(26, sandbox.Emulator.GraphQLPointsSpent);
    }

    [Fact]
    public async Task A_spent_point_budget_is_answered_with_http_200_and_RATE_LIMITED_and_a_wrong_token_with_401()
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: "graphql");
        sandbox.Emulator.GraphQLPointLimit = 1;
        const string query = "{ rateLimit { cost remaining resetAt } }";

        using var client = new HttpClient();
        var spent = await PostAsync(sandbox, query, null);
        using var limited = await client.SendAsync(Request(sandbox, query, null, sandbox.Emulator.Token));
        using var wrongToken = await client.SendAsync(Request(sandbox, query, null, "ghp_notTheSandboxToken"));

        Assert.Equal(0, spent.RootElement.GetProperty("data").GetProperty("rateLimit").GetProperty("remaining").GetInt32());
        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal("0", limited.Headers.GetValues("x-ratelimit-remaining").Single());
        Assert.Equal("graphql", limited.Headers.GetValues("x-ratelimit-resource").Single());
        Assert.Equal("RATE_LIMITED", ErrorType(JsonDocument.Parse(await limited.Content.ReadAsStringAsync())));
        Assert.Equal(HttpStatusCode.Unauthorized, wrongToken.StatusCode);
    }

    [Fact]
    public async Task RATE_LIMITED_and_secondary_limits_403_and_429_are_waited_out_to_the_same_facts()
    {
        await using var clean = await DemoSandbox.StartAsync(api: "graphql");
        await using var limited = await DemoSandbox.StartAsync(api: "graphql", faults: [new FaultSpec(FaultKind.RateLimit, "github", Rate: 1, Count: 3)]);

        var (expected, cleanRequests) = await Collect(clean);
        var (waited, requests) = await Collect(limited);

        // The first three queries: RATE_LIMITED (HTTP 200), then a secondary limit as 403, then as 429.
        Assert.Equal(cleanRequests + 3, requests);
        Assert.Equal(GitHubTestKit.Json(expected, clean.Server.RootUrl), GitHubTestKit.Json(waited, limited.Server.RootUrl));
    }

    [Fact]
    public async Task A_query_that_runs_too_long_502_or_504_is_asked_again_with_smaller_pages()
    {
        await using var clean = await DemoSandbox.StartAsync(api: "graphql");
        await using var heavy = await DemoSandbox.StartAsync(api: "graphql", faults: [new FaultSpec(FaultKind.HeavyQuery, "github")]);

        var (expected, cleanRequests) = await Collect(clean);
        var (smaller, requests) = await Collect(heavy);

        Assert.Equal(GitHubTestKit.Json(expected, clean.Server.RootUrl), GitHubTestKit.Json(smaller, heavy.Server.RootUrl));
        // The first query and the host's retries of it fail; pages of 50 then take about twice the queries.
        Assert.InRange(requests, cleanRequests + 1 + TestSources.FastPolicy.MaxRetries, 3 * cleanRequests + 1 + TestSources.FastPolicy.MaxRetries);
    }

    [Fact]
    public async Task Any_other_failure_ends_the_source_after_the_hosts_retries_without_asking_for_smaller_pages()
    {
        await using var down = await DemoSandbox.StartAsync(api: "graphql", faults: [new FaultSpec(FaultKind.Outage, "github")]);

        var error = await Assert.ThrowsAsync<SourceException>(() => Collect(down));

        Assert.Contains("HTTP 503", error.Message, StringComparison.Ordinal);
        Assert.Equal(503, error.StatusCode);
        // One query, as the host's pipeline sends and retries it: a smaller page would meet the same outage.
        Assert.Equal(1 + TestSources.FastPolicy.MaxRetries, down.Server.Stats("github").Requests);
    }

    [Fact]
    public async Task Errors_beside_partial_data_fail_the_source_naming_the_repository_and_path()
    {
        await using var sandbox = await DemoSandbox.StartAsync(api: "graphql", faults: [new FaultSpec(FaultKind.PartialData, "github", Count: 1)]);

        var error = await Assert.ThrowsAsync<SourceException>(() => Collect(sandbox));

        Assert.Contains("errors beside its data", error.Message, StringComparison.Ordinal);
        Assert.Contains("acme/api (r0)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(sandbox.Emulator.Token, error.Message, StringComparison.Ordinal);
    }

    private static Task<(FactSet Facts, long Requests)> Collect(DemoSandbox sandbox) =>
        GitHubTestKit.CollectAsync(sandbox.Server.BaseUrl("github"), sandbox.Settings(), sandbox.Emulator.Token, Period, SandboxFixture.Now, known: null);

    private static HttpRequestMessage Request(DemoSandbox sandbox, string query, object? variables, string token) =>
        new(HttpMethod.Post, new Uri(sandbox.Server.BaseUrl("github"), "api/graphql"))
        {
            Content = JsonContent.Create(new { query, variables }),
            Headers = { Authorization = new AuthenticationHeaderValue("bearer", token) },
        };

    private static async Task<JsonDocument> PostAsync(DemoSandbox sandbox, string query, object? variables)
    {
        using var client = new HttpClient();
        using var response = await client.SendAsync(Request(sandbox, query, variables, sandbox.Emulator.Token));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    private static IEnumerable<long> Ids(JsonDocument answer) =>
        answer.Connection().GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("databaseId").GetInt64());

    private static string? ErrorType(JsonDocument answer) => answer.RootElement.GetProperty("errors")[0].GetProperty("type").GetString();
}

internal static class GraphQLAnswers
{
    public static JsonElement Connection(this JsonDocument answer) =>
        answer.RootElement.GetProperty("data").GetProperty("repository").GetProperty("deployments");
}

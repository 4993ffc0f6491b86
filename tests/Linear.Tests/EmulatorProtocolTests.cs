using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OkrHost.Sandbox.Linear;
using OkrHost.Testing;

namespace Linear.Tests;

/// <summary>The emulator answers like Linear: schema validation, authentication, paging and rate-limit headers.</summary>
public sealed class EmulatorProtocolTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private LinearEmulator Emulator => (LinearEmulator)sandbox.Server.Emulator("linear");

    private Uri Endpoint => new(sandbox.Server.BaseUrl("linear"), "graphql");

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string query, object? variables = null, string? authorization = "key")
    {
        using var client = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = JsonContent.Create(new { query, variables }) };
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization == "key" ? Emulator.Token : authorization);
        }

        var response = await client.SendAsync(request);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
        return (response.StatusCode, body, response);
    }

    private static string FirstErrorCode(JsonElement body) => body.GetProperty("errors")[0].GetProperty("extensions").GetProperty("code").GetString()!;

    [Fact]
    public async Task A_query_for_a_field_the_schema_lacks_is_rejected_with_validation_errors_and_http_400()
    {
        var (status, body, _) = await PostAsync("{ issues(first: 2) { nodes { id closedAt } } }");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", FirstErrorCode(body));
        Assert.Contains("closedAt", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.False(body.TryGetProperty("data", out _));
    }

    [Fact]
    public async Task A_filter_of_the_wrong_input_type_is_rejected_by_the_schema()
    {
        var (status, body, _) = await PostAsync("{ issues(filter: { priority: { eqIgnoreCase: \"1\" } }) { nodes { id } } }");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("GRAPHQL_VALIDATION_FAILED", FirstErrorCode(body));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("lin_api_notTheRightKey000000000000000000000")]
    public async Task A_missing_or_wrong_key_is_answered_like_Linear(string? authorization)
    {
        var (status, body, _) = await PostAsync("{ issues { nodes { id } } }", authorization: authorization);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        var error = body.GetProperty("errors")[0];
        Assert.Equal("Authentication required, not authenticated", error.GetProperty("message").GetString());
        Assert.Equal("AUTHENTICATION_ERROR", error.GetProperty("extensions").GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_personal_key_sent_as_bearer_is_rejected_and_an_oauth_token_as_bearer_is_accepted()
    {
        var (keyAsBearer, _, _) = await PostAsync("{ issues(first: 1) { nodes { id } } }", authorization: "Bearer " + Emulator.Token);
        var (oauth, _, _) = await PostAsync("{ issues(first: 1) { nodes { id } } }", authorization: "Bearer " + Emulator.OAuthToken);

        Assert.Equal(HttpStatusCode.BadRequest, keyAsBearer);
        Assert.Equal(HttpStatusCode.OK, oauth);
    }

    [Fact]
    public async Task Pages_default_to_50_and_follow_the_end_cursor_without_repeating_an_issue()
    {
        const string query = "query($after: String) { issues(after: $after) { nodes { id } edges { cursor node { id } } pageInfo { hasNextPage endCursor } } }";
        var (_, first, _) = await PostAsync(query);
        var page1 = first.GetProperty("data").GetProperty("issues");
        var cursor = page1.GetProperty("pageInfo").GetProperty("endCursor").GetString();
        var (_, second, _) = await PostAsync(query, new { after = cursor });
        var page2 = second.GetProperty("data").GetProperty("issues");

        Assert.Equal(50, page1.GetProperty("nodes").GetArrayLength());
        Assert.True(page1.GetProperty("pageInfo").GetProperty("hasNextPage").GetBoolean());
        Assert.Equal(cursor, page1.GetProperty("edges")[49].GetProperty("cursor").GetString());
        var ids1 = page1.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("id").GetString()).ToHashSet();
        Assert.DoesNotContain(page2.GetProperty("nodes").EnumerateArray(), n => ids1.Contains(n.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task More_than_250_per_page_is_refused_like_Linear()
    {
        var (status, body, _) = await PostAsync("{ issues(first: 251) { nodes { id } } }");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_INPUT", FirstErrorCode(body));
    }

    [Fact]
    public async Task Archived_issues_are_served_only_when_the_query_includes_them()
    {
        const string query = "query($archived: Boolean) { issues(first: 250, includeArchived: $archived, filter: { archivedAt: { null: false } }) { nodes { id archivedAt } } }";
        var (_, without, _) = await PostAsync(query, new { archived = false });
        var (_, with, _) = await PostAsync(query, new { archived = true });

        Assert.Equal(0, without.GetProperty("data").GetProperty("issues").GetProperty("nodes").GetArrayLength());
        Assert.True(with.GetProperty("data").GetProperty("issues").GetProperty("nodes").GetArrayLength() > 0);
    }

    [Fact]
    public async Task Answers_carry_Linear_rate_limit_headers()
    {
        var (_, _, response) = await PostAsync("{ issues(first: 1) { nodes { id } } }");

        Assert.Equal("1500", response.Headers.GetValues("x-ratelimit-requests-limit").Single());
        Assert.True(int.Parse(response.Headers.GetValues("x-ratelimit-requests-remaining").Single()) < 1500);
        Assert.True(long.Parse(response.Headers.GetValues("x-ratelimit-requests-reset").Single()) > DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task State_type_nin_and_relative_dates_filter_like_Linear()
    {
        const string query = """
            { issues(first: 250, filter: { state: { type: { nin: ["completed", "canceled"] } }, createdAt: { gte: "-P2W" } }) {
                nodes { state { type } createdAt } pageInfo { hasNextPage } } }
            """;
        var (status, body, _) = await PostAsync(query);

        Assert.Equal(HttpStatusCode.OK, status);
        var since = sandbox.Server.Org.Now.AddDays(-14);
        var expected = Emulator.Data.Issues.Count(i => i.ArchivedAt is null && i.CreatedAt >= since && i.StateType is not ("completed" or "canceled"));
        var nodes = body.GetProperty("data").GetProperty("issues").GetProperty("nodes");
        Assert.Equal(expected, nodes.GetArrayLength());
        Assert.True(expected > 0);
    }

    [Fact]
    public async Task UpdatedAt_comparators_select_the_issues_changed_since_an_instant_as_Linear_does()
    {
        const string query = """
            query($since: DateTimeOrDuration!) {
              issues(first: 250, includeArchived: true, filter: { updatedAt: { gte: $since } }) { nodes { id updatedAt } } }
            """;
        var since = sandbox.Server.Org.Now.AddDays(-3);
        var (status, body, _) = await PostAsync(query, new { since = since.ToString("O") });

        Assert.Equal(HttpStatusCode.OK, status);
        var nodes = body.GetProperty("data").GetProperty("issues").GetProperty("nodes").EnumerateArray().ToList();
        Assert.InRange(nodes.Count, 1, 249);
        Assert.Equal(
            Emulator.Data.Issues.Where(i => i.UpdatedAt >= since).Select(i => i.Id).Order(StringComparer.Ordinal),
            nodes.Select(n => n.GetProperty("id").GetString()!).Order(StringComparer.Ordinal));
        var latest = Emulator.Data.Issues.Max(i => i.UpdatedAt);
        var (_, gt, _) = await PostAsync(query.Replace("gte", "gt", StringComparison.Ordinal), new { since = latest.ToString("O") });
        Assert.Equal(0, gt.GetProperty("data").GetProperty("issues").GetProperty("nodes").GetArrayLength());
    }

    [Fact]
    public async Task A_filter_field_the_emulator_does_not_model_is_refused_by_name_not_ignored()
    {
        var (status, body, _) = await PostAsync("{ issues(filter: { dueDate: { null: true } }) { nodes { id } } }");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("INVALID_INPUT", FirstErrorCode(body));
        Assert.Contains("IssueFilter.dueDate", body.GetProperty("errors")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_demo_workspace_has_the_mix_the_metrics_need()
    {
        var issues = Emulator.Data.Issues;

        Assert.Equal(900, issues.Count);
        Assert.Equal(sandbox.Server.Org.TeamKeys.Order(), issues.Select(i => i.TeamKey).Distinct().Order());
        foreach (var state in new[] { "triage", "backlog", "unstarted", "started", "completed", "canceled" })
        {
            Assert.Contains(issues, i => i.StateType == state);
        }

        Assert.Contains(issues, i => i.Labels.Contains("bug"));
        Assert.Contains(issues, i => i.Labels.Contains("Bug"));
        Assert.Contains(issues, i => i.ArchivedAt is not null);
        Assert.All(Enumerable.Range(0, 5), p => Assert.Contains(issues, i => i.Priority == p));
        // Urgent bugs cluster within hours of the shared incident timeline.
        foreach (var incident in sandbox.Server.Org.Incidents.Where(i => i.OpenedAt.AddHours(7) < sandbox.Server.Org.Now))
        {
            Assert.Contains(issues, i => i.Priority == 1 && i.Labels.Contains("Bug")
                && i.CreatedAt >= incident.OpenedAt && i.CreatedAt < incident.OpenedAt.AddHours(7));
        }
    }
}

using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;
using static Notion.Tests.NotionTestKit;

namespace Notion.Tests;

public sealed class NotionFailureTests : IDisposable
{
    private const string DatabaseId = "a3f4c2d1-7e6b-4b9a-8c0d-1e2f3a4b5c6d";
    private const string Token = "secret_wiremockToken";
    private const string QueryPath = $"/v1/databases/{DatabaseId}/query";

    private readonly WireMockServer _notion = WireMockServer.Start();

    public void Dispose() => _notion.Stop();

    [Fact]
    public async Task A_rejected_token_fails_saying_to_check_the_token_variable_without_showing_the_token()
    {
        await using var server = await StartSandboxAsync();

        var error = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(server.DemoSettings(), "secret_revokedLongAgo"));

        Assert.Equal(
            $"Notion POST /v1/databases/{server.Emulator().PostmortemDatabaseId}/query: Notion rejected the token (HTTP 401 unauthorized: API token is invalid.); check NOTION_TOKEN",
            error.Message);
        Assert.DoesNotContain("secret_revokedLongAgo", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rejected_token_names_the_configured_token_variable()
    {
        await using var server = await StartSandboxAsync();
        var settings = server.DemoSettings();
        settings["tokenEnv"] = "OUR_NOTION_SECRET";

        var error = await Assert.ThrowsAsync<SourceException>(() => LoadOkrsAsync(settings, null));

        Assert.EndsWith("Notion rejected the token (HTTP 401 unauthorized: API token is invalid.); check OUR_NOTION_SECRET", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_database_not_shared_with_the_integration_fails_asking_to_share_it()
    {
        await using var server = await StartSandboxAsync();
        var id = server.Emulator().PostmortemDatabaseId;
        server.Emulator().Data[id].SharedWithIntegration = false;

        var error = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(server.DemoSettings(), server.Emulator().Token));

        Assert.Equal(
            $"Notion database {id} was not found (POST /v1/databases/{id}/query, HTTP 404 object_not_found: Could not find database with ID: {id}. "
            + "Make sure the relevant pages and databases are shared with your integration.): share the database with the integration",
            error.Message);
    }

    [Fact]
    public async Task The_plugin_sends_the_version_header_bearer_token_largest_page_and_created_time_filter()
    {
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost()
                .WithHeader("Notion-Version", "2022-06-28")
                .WithHeader("Authorization", $"Bearer {Token}"))
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ListOf()));

        var (result, requests) = await CollectAsync(Settings(), Token);

        Assert.Equal(1, requests);
        Assert.Equal(new PluginMetric("notion.postmortems", 0, 0, null), result.Postmortems());
        var body = JsonNode.Parse(Assert.Single(_notion.LogEntries).RequestMessage.Body!)!;
        Assert.Equal(100, (int)body["page_size"]!);
        Assert.Equal(
            """{"and":[{"timestamp":"created_time","created_time":{"on_or_after":"2026-09-03T00:00:00.000Z"}},{"timestamp":"created_time","created_time":{"before":"2026-11-02T00:00:00.000Z"}}]}""",
            body["filter"]!.ToJsonString());
    }

    [Fact]
    public async Task A_validation_error_fails_with_Notions_own_message()
    {
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"object":"error","status":400,"code":"validation_error","message":"Could not find property with name or id: Created"}"""));

        var error = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(Settings(), Token));

        Assert.Equal(
            $"Notion POST {QueryPath}: Notion refused the request (HTTP 400 validation_error: Could not find property with name or id: Created)",
            error.Message);
    }

    [Fact]
    public async Task A_missing_version_answer_fails_with_Notions_own_message()
    {
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(400).WithBody(
                """{"object":"error","status":400,"code":"missing_version","message":"Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."}"""));

        var error = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(Settings(), Token));

        Assert.Equal(
            $"Notion POST {QueryPath}: Notion refused the request (HTTP 400 missing_version: Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`.)",
            error.Message);
    }

    [Fact]
    public async Task A_malformed_answer_fails_naming_the_endpoint()
    {
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody("""{"object":"list","results":[{"object":"page"}],"has_more":false}"""));

        var error = await Assert.ThrowsAsync<SourceException>(() => CollectAsync(Settings(), Token));

        Assert.StartsWith($"Notion POST {QueryPath}: unexpected answer (HTTP 200) at $.results[0]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_with_Retry_After_is_waited_out_by_the_host_and_gives_the_same_numbers()
    {
        var page = PageJson("p1", "Postmortem: checkout 500s", "2026-10-20T10:00:00.000Z");
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost())
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ListOf(page)));
        var (clean, cleanRequests) = await CollectAsync(Settings(), Token);
        _notion.ResetMappings();
        // The 200 is preferred once the 429 has been answered; before that only the 429 matches.
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost()).AtPriority(2)
            .InScenario("rate limit").WillSetStateTo("waited")
            .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody(
                """{"object":"error","status":429,"code":"rate_limited","message":"You have been rate limited. Please try again in a few minutes."}"""));
        _notion.Given(Request.Create().WithPath(QueryPath).UsingPost()).AtPriority(1)
            .InScenario("rate limit").WhenStateIs("waited")
            .RespondWith(Response.Create().WithStatusCode(200).WithBody(ListOf(page)));

        var (limited, limitedRequests) = await CollectAsync(Settings(), Token);

        Assert.Equal(1, cleanRequests);
        Assert.Equal(2, limitedRequests);
        Assert.Equal(new PluginMetric("notion.postmortems", 1, 0, null), limited.Postmortems());
        Assert.Equal(clean.Postmortems(), limited.Postmortems());
        Assert.Equal(clean.Facts, limited.Facts);
    }

    private JsonObject Settings() => new() { ["baseUrl"] = _notion.Urls[0] + "/", ["postmortemDatabaseId"] = DatabaseId };

    private static string ListOf(params string[] pages) =>
        $$$"""{"object":"list","results":[{{{string.Join(",", pages)}}}],"next_cursor":null,"has_more":false,"type":"page_or_database","page_or_database":{}}""";

    private static string PageJson(string id, string title, string created) => new JsonObject
    {
        ["object"] = "page", ["id"] = id, ["created_time"] = created, ["last_edited_time"] = created,
        ["archived"] = false, ["in_trash"] = false, ["url"] = "https://www.notion.so/" + id,
        ["parent"] = new JsonObject { ["type"] = "database_id", ["database_id"] = DatabaseId },
        ["properties"] = new JsonObject
        {
            ["Name"] = new JsonObject
            {
                ["id"] = "title", ["type"] = "title",
                ["title"] = new JsonArray(new JsonObject { ["type"] = "text", ["plain_text"] = title, ["href"] = null }),
            },
        },
    }.ToJsonString();
}

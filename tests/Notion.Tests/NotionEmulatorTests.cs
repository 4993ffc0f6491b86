using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OkrHost.Sandbox;
using OkrHost.Testing;
using static Notion.Tests.NotionTestKit;

namespace Notion.Tests;

/// <summary>The emulator answers like Notion does, so the plugin's tests against it mean something.</summary>
public sealed class NotionEmulatorTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private SandboxServer Server => sandbox.Server;

    [Fact]
    public async Task A_request_without_Notion_Version_is_answered_400_missing_version()
    {
        using var http = new HttpClient();
        using var request = Query(Server.Emulator().OkrDatabaseId, new JsonObject(), version: null);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            """{"object":"error","status":400,"code":"missing_version","message":"Notion-Version header failed validation: Notion-Version header should be defined, instead was `undefined`."}""",
            await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null)]
    [InlineData("secret_notTheRightOne")]
    public async Task A_missing_or_wrong_token_is_answered_401_unauthorized(string? token)
    {
        using var http = new HttpClient();
        using var request = Query(Server.Emulator().OkrDatabaseId, new JsonObject(), token: token);

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("""{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_unknown_database_is_answered_404_object_not_found()
    {
        using var http = new HttpClient();
        using var request = Query("0f0e0d0c-0b0a-4908-8706-050403020100", new JsonObject());

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("object_not_found", (string?)error["code"]);
        Assert.Equal(
            "Could not find database with ID: 0f0e0d0c-0b0a-4908-8706-050403020100. Make sure the relevant pages and databases are shared with your integration.",
            (string?)error["message"]);
    }

    [Theory]
    [InlineData("""{"page_size":101}""", "body failed validation: body.page_size should be a number between 1 and 100, instead was `101`.")]
    [InlineData("""{"filter":{"property":"Nope","select":{"equals":"x"}}}""", "Could not find property with name or id: Nope")]
    [InlineData("""{"filter":{"timestamp":"created_time","created_time":{"on_or_after":"yesterday"}}}""",
        "body failed validation: body.filter.created_time.on_or_after should be a valid ISO 8601 date string, instead was `\"yesterday\"`.")]
    public async Task A_bad_body_is_answered_400_validation_error(string body, string message)
    {
        using var http = new HttpClient();
        using var request = Query(Server.Emulator().OkrDatabaseId, JsonNode.Parse(body)!.AsObject());

        using var response = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("validation_error", (string?)error["code"]);
        Assert.Equal(message, (string?)error["message"]);
    }

    [Fact]
    public async Task Results_are_pages_with_real_property_shapes_and_a_cursor_to_the_next_page()
    {
        using var http = new HttpClient();
        var all = Server.Emulator().Data[Server.Emulator().OkrDatabaseId].Pages.OrderBy(p => p.CreatedTime).ToList();
        using var first = Query(Server.Emulator().OkrDatabaseId, new JsonObject { ["page_size"] = 5 });

        var answer = JsonNode.Parse(await (await http.SendAsync(first)).Content.ReadAsStringAsync())!;

        Assert.Equal("list", (string?)answer["object"]);
        Assert.Equal("page_or_database", (string?)answer["type"]);
        Assert.True((bool)answer["has_more"]!);
        Assert.Equal(all[5].Id, (string?)answer["next_cursor"]);
        var page = answer["results"]![0]!;
        Assert.Equal("page", (string?)page["object"]);
        Assert.Equal("database_id", (string?)page["parent"]!["type"]);
        Assert.Equal("2026-05-06T18:00:00.000Z", (string?)page["created_time"]);
        Assert.Equal("title", (string?)page["properties"]!["Key Result"]!["id"]);
        Assert.Equal("Deploy to production 10+ times a week", (string?)page["properties"]!["Key Result"]!["title"]![0]!["plain_text"]);
        var select = page["properties"]!["Objective"]!["select"]!;
        Assert.Equal(["id", "name", "color"], select.AsObject().Select(p => p.Key));
        Assert.Equal(10, (double)page["properties"]!["Target"]!["number"]!);
        Assert.Equal(Server.Org.People[0], (string?)page["properties"]!["Owner"]!["people"]![0]!["name"]);

        using var second = Query(Server.Emulator().OkrDatabaseId, new JsonObject { ["page_size"] = 100, ["start_cursor"] = (string?)answer["next_cursor"] });
        var rest = JsonNode.Parse(await (await http.SendAsync(second)).Content.ReadAsStringAsync())!;

        Assert.False((bool)rest["has_more"]!);
        Assert.Null(rest["next_cursor"]);
        Assert.Equal(all.Skip(5).Select(p => p.Id), rest["results"]!.AsArray().Select(p => (string?)p!["id"]));
    }

    [Theory]
    [InlineData("on_or_after")]
    [InlineData("after")]
    public async Task A_last_edited_time_filter_selects_the_pages_edited_since_an_instant(string condition)
    {
        var database = Server.Emulator().Data[Server.Emulator().PostmortemDatabaseId];
        // An instant some pages were last edited at exactly, so the two conditions differ.
        var since = database.Pages.Select(p => p.LastEditedTime ?? p.CreatedTime).Order().ElementAt(database.Pages.Count / 2);
        using var http = new HttpClient();
        using var request = Query(database.Id, new JsonObject
        {
            ["filter"] = new JsonObject
            {
                ["timestamp"] = "last_edited_time",
                ["last_edited_time"] = new JsonObject { [condition] = since.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture) },
            },
        });

        var answer = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;

        var expected = database.Pages.Where(p => condition == "after" ? (p.LastEditedTime ?? p.CreatedTime) > since : (p.LastEditedTime ?? p.CreatedTime) >= since);
        Assert.Equal(expected.Select(p => p.Id).Order(StringComparer.Ordinal), answer["results"]!.AsArray().Select(p => (string)p!["id"]!).Order(StringComparer.Ordinal));
        Assert.All(answer["results"]!.AsArray(), p => Assert.True(DateTimeOffset.Parse((string)p!["last_edited_time"]!, System.Globalization.CultureInfo.InvariantCulture) >= since));
        Assert.False((bool)answer["has_more"]!);
    }

    [Fact]
    public void The_demo_postmortems_follow_the_incident_timeline_and_include_deleted_drafts()
    {
        var pages = Server.Emulator().Data[Server.Emulator().PostmortemDatabaseId].Pages;
        var live = pages.Where(p => !p.Archived && !p.InTrash).ToList();

        foreach (var incident in Server.Org.Incidents)
        {
            var written = live.Where(p => p.Url.Contains($"-INC{incident.Number:000}-", StringComparison.Ordinal)).ToList();
            if (!incident.HasPostmortem || incident.ClosedAt is not { } closed)
            {
                Assert.Empty(written);
                continue;
            }

            if (closed.AddDays(5) < Server.Org.Now)
            {
                var page = Assert.Single(written);
                Assert.InRange(page.CreatedTime, closed.AddDays(1).AddMinutes(-1), closed.AddDays(5));
            }
        }

        Assert.InRange(pages.Count - live.Count, 2, 8);
    }

    [Fact]
    public async Task Above_the_configured_rate_Notion_answers_429_rate_limited_with_Retry_After()
    {
        await using var server = await StartSandboxAsync();
        server.Emulator().RateLimitPerSecond = 1;
        using var http = new HttpClient();
        var statuses = new List<HttpResponseMessage>();

        for (var i = 0; i < 6; i++)
        {
            using var request = Query(server.Emulator().OkrDatabaseId, new JsonObject(), emulator: server);
            statuses.Add(await http.SendAsync(request));
        }

        var limited = statuses.First(r => r.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.Equal(3, statuses.TakeWhile(r => r.IsSuccessStatusCode).Count());
        Assert.Equal(TimeSpan.FromSeconds(1), limited.Headers.RetryAfter?.Delta);
        Assert.Equal("rate_limited", (string?)JsonNode.Parse(await limited.Content.ReadAsStringAsync())!["code"]);
        statuses.ForEach(r => r.Dispose());
    }

    private HttpRequestMessage Query(string databaseId, JsonObject body, string? version = "2022-06-28", string? token = "", SandboxServer? emulator = null)
    {
        var server = emulator ?? Server;
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseUrl("notion"), $"v1/databases/{databaseId}/query"))
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        token = token == "" ? server.Emulator().Token : token;
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        if (version is not null)
        {
            request.Headers.Add("Notion-Version", version);
        }

        return request;
    }
}

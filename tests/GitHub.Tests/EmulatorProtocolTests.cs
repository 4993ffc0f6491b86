using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OkrHost.Testing;

namespace GitHub.Tests;

/// <summary>The emulator answers the way GitHub does, for clients other than Octokit too.</summary>
public sealed class EmulatorProtocolTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private HttpClient Client(string? authorization)
    {
        var client = new HttpClient { BaseAddress = fixture.Server.BaseUrl("github") };
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.Authorization = AuthenticationHeaderValue.Parse(authorization);
        }

        return client;
    }

    private string Token => fixture.Server.Emulator("github").Token;

    [Theory]
    [InlineData(null)]
    [InlineData("token ghp_notTheSandboxToken")]
    public async Task A_missing_or_wrong_token_gets_401_bad_credentials(string? authorization)
    {
        using var client = Client(authorization);

        using var response = await client.GetAsync("api/v3/repos/acme/api/deployments");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Bad credentials", body.RootElement.GetProperty("message").GetString());
        Assert.Equal("https://docs.github.com/rest", body.RootElement.GetProperty("documentation_url").GetString());
    }

    [Fact]
    public async Task Both_token_and_bearer_forms_are_accepted_with_and_without_api_v3()
    {
        using var token = Client($"token {Token}");
        using var bearer = Client($"Bearer {Token}");

        using var first = await token.GetAsync("repos/acme/api");
        using var second = await bearer.GetAsync("api/v3/repos/acme/api");

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        using var repository = JsonDocument.Parse(await second.Content.ReadAsStringAsync());
        Assert.Equal("main", repository.RootElement.GetProperty("default_branch").GetString());
    }

    [Fact]
    public async Task Lists_page_with_link_headers_newest_first_and_cap_per_page_at_100()
    {
        using var client = Client($"token {Token}");

        using var response = await client.GetAsync("api/v3/repos/acme/api/deployments?per_page=500");

        var link = string.Join(",", response.Headers.GetValues("Link"));
        Assert.Contains("page=2>; rel=\"next\"", link, StringComparison.Ordinal);
        Assert.Contains("rel=\"last\"", link, StringComparison.Ordinal);
        using var page = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var created = page.RootElement.EnumerateArray().Select(d => d.GetProperty("created_at").GetDateTimeOffset()).ToList();
        Assert.Equal(100, created.Count);
        Assert.Equal(created.OrderByDescending(c => c), created);
    }

    [Fact]
    public async Task A_matching_etag_gets_an_empty_304_that_costs_no_rate_limit()
    {
        using var client = Client($"token {Token}");
        using var first = await client.GetAsync("api/v3/repos/acme/web/deployments?per_page=5");
        var remaining = int.Parse(first.Headers.GetValues("x-ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture);

        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v3/repos/acme/web/deployments?per_page=5");
        request.Headers.IfNoneMatch.Add(first.Headers.ETag!);
        using var second = await client.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);
        Assert.Empty(await second.Content.ReadAsByteArrayAsync());
        Assert.Equal(first.Headers.ETag, second.Headers.ETag);
        Assert.True(int.Parse(second.Headers.GetValues("x-ratelimit-remaining").Single(), System.Globalization.CultureInfo.InvariantCulture) >= remaining);
        Assert.Equal("core", second.Headers.GetValues("x-ratelimit-resource").Single());
    }

    [Fact]
    public async Task Unpaged_compare_lists_at_most_250_commits_and_paged_compare_links_on()
    {
        var emulator = (OkrHost.Sandbox.GitHub.GitHubEmulator)fixture.Server.Emulator("github");
        var commits = emulator.Data["acme/api"].Commits;
        using var client = Client($"token {Token}");
        var path = $"api/v3/repos/acme/api/compare/{commits[0].Sha}...{commits[300].Sha}";

        using var unpaged = JsonDocument.Parse(await client.GetStringAsync(path));
        using var paged = await client.GetAsync(path + "?per_page=100&page=3");

        Assert.Equal(300, unpaged.RootElement.GetProperty("total_commits").GetInt32());
        Assert.Equal(250, unpaged.RootElement.GetProperty("commits").GetArrayLength());
        Assert.Equal(commits[1].Sha, unpaged.RootElement.GetProperty("commits")[0].GetProperty("sha").GetString());
        using var page3 = JsonDocument.Parse(await paged.Content.ReadAsStringAsync());
        Assert.Equal(commits[201].Sha, page3.RootElement.GetProperty("commits")[0].GetProperty("sha").GetString());
        Assert.DoesNotContain("rel=\"next\"", string.Join(",", paged.Headers.GetValues("Link")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Filtered_runs_honour_status_and_created_ranges()
    {
        using var client = Client($"token {Token}");

        using var all = JsonDocument.Parse(await client.GetStringAsync("api/v3/repos/acme/api/actions/runs?per_page=1"));
        using var october = JsonDocument.Parse(await client.GetStringAsync(
            "api/v3/repos/acme/api/actions/runs?status=completed&created=2026-10-01..2026-10-31&per_page=100"));

        Assert.True(all.RootElement.GetProperty("total_count").GetInt32() > 100);
        var runs = october.RootElement.GetProperty("workflow_runs").EnumerateArray().ToList();
        Assert.NotEmpty(runs);
        Assert.All(runs, run =>
        {
            var created = run.GetProperty("created_at").GetDateTimeOffset();
            Assert.InRange(created, new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero));
            Assert.Equal("completed", run.GetProperty("status").GetString());
        });
    }
}

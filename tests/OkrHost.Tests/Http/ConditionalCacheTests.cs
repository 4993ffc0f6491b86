using System.Net;
using OkrHost.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

public sealed class ConditionalCacheTests : IDisposable
{
    private const string Path = "/repos/acme/api/deployments";
    private const string ETag = "\"v1\"";
    private const string Body = """[{"id":1,"environment":"production"}]""";
    private const string Link = "<https://api.github.com/repositories/1/deployments?page=2>; rel=\"next\"";

    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly string _cacheDirectory = Directory.CreateTempSubdirectory("okrhost-cache-").FullName;

    public ConditionalCacheTests() => Serve(_server);

    private static void Serve(WireMockServer server)
    {
        server.Given(Request.Create().WithPath(Path).UsingGet().WithHeader("If-None-Match", ETag))
            .AtPriority(1)
            .RespondWith(Response.Create().WithStatusCode(304).WithHeader("ETag", ETag));
        server.Given(Request.Create().WithPath(Path).UsingGet())
            .AtPriority(2)
            .RespondWith(Response.Create().WithStatusCode(200)
                .WithHeader("ETag", ETag)
                .WithHeader("Link", Link)
                .WithHeader("Content-Type", "application/json; charset=utf-8")
                .WithBody(Body));
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Dispose();
        Directory.Delete(_cacheDirectory, recursive: true);
    }

    [Fact]
    public async Task A_repeated_get_is_conditional_and_a_304_is_answered_with_the_stored_200()
    {
        using var harness = Harness();
        using var client = harness.Client(_server.LoopbackUrl(), token: "ghp_first");

        using var first = await client.GetAsync(Path.TrimStart('/'));
        using var second = await client.GetAsync(Path.TrimStart('/'));

        var received = _server.Received(Path);
        Assert.Null(received[0].Header("If-None-Match"));
        Assert.Equal(ETag, received[1].Header("If-None-Match"));
        Assert.Equal(304, received[1].ResponseMessage.StatusCode);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(Body, await second.Content.ReadAsStringAsync());
        Assert.Equal(Link, Assert.Single(second.Headers.GetValues("Link")));
        Assert.Equal(ETag, second.Headers.ETag?.ToString());
        Assert.Equal("application/json", second.Content.Headers.ContentType?.MediaType);
        Assert.Equal(2, harness.Http.Requests);
    }

    [Fact]
    public async Task A_corrupt_entry_is_discarded_and_the_request_succeeds()
    {
        using var harness = Harness();
        using var client = harness.Client(_server.LoopbackUrl(), token: "ghp_first");
        (await client.GetAsync(Path.TrimStart('/'))).Dispose();
        var entry = Assert.Single(CacheFiles());
        await File.WriteAllTextAsync(entry, "{\"Version\":1,\"Status\":200,\"ETag\":\"\\\"v1\\\"\",\"Bo");

        using var response = await client.GetAsync(Path.TrimStart('/'));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(Body, await response.Content.ReadAsStringAsync());
        Assert.Null(_server.Received(Path)[1].Header("If-None-Match"));
        Assert.Contains(harness.Logs.Events, e => e.Level == Serilog.Events.LogEventLevel.Warning && e.RenderMessage().Contains("discarding", StringComparison.Ordinal));

        // The fresh answer replaced the damaged entry, so the next request is conditional again.
        (await client.GetAsync(Path.TrimStart('/'))).Dispose();
        Assert.Equal(ETag, _server.Received(Path)[2].Header("If-None-Match"));
    }

    [Fact]
    public async Task Another_token_gets_its_own_entry_and_no_token_is_stored()
    {
        using var harness = Harness();
        using var first = harness.Client(_server.LoopbackUrl(), token: "ghp_first_secret");
        using var second = harness.Client(_server.LoopbackUrl(), token: "ghp_second_secret");

        (await first.GetAsync(Path.TrimStart('/'))).Dispose();
        (await second.GetAsync(Path.TrimStart('/'))).Dispose();

        Assert.Null(_server.Received(Path)[1].Header("If-None-Match"));
        var files = CacheFiles();
        Assert.Equal(2, files.Length);
        foreach (var file in files)
        {
            var text = await File.ReadAllTextAsync(file);
            Assert.DoesNotContain("secret", text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Without_a_cache_folder_nothing_is_stored_and_no_request_is_conditional()
    {
        using var harness = new PipelineHarness();
        using var client = harness.Client(_server.LoopbackUrl(), token: "ghp_first");

        (await client.GetAsync(Path.TrimStart('/'))).Dispose();
        (await client.GetAsync(Path.TrimStart('/'))).Dispose();

        Assert.All(_server.Received(Path), entry => Assert.Null(entry.Header("If-None-Match")));
        Assert.Empty(CacheFiles());
    }

    [Fact]
    public async Task An_answer_marked_no_store_is_not_stored()
    {
        _server.Given(Request.Create().WithPath("/secret-report").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("ETag", "\"s1\"").WithHeader("Cache-Control", "no-store").WithBody("{}"));
        using var harness = Harness();
        using var client = harness.Client(_server.LoopbackUrl(), token: "ghp_first");

        (await client.GetAsync("secret-report")).Dispose();
        (await client.GetAsync("secret-report")).Dispose();

        Assert.Empty(CacheFiles());
        Assert.All(_server.Received("/secret-report"), entry => Assert.Null(entry.Header("If-None-Match")));
    }

    [Fact]
    public void The_default_cache_folder_follows_xdg_then_the_home_folder()
    {
        var xdg = HttpCacheLocation.Default(name => name switch { "XDG_CACHE_HOME" => "/var/cache/me", "HOME" => "/home/me", _ => null });
        var home = HttpCacheLocation.Default(name => name == "HOME" ? "/home/me" : null);
        var relativeXdg = HttpCacheLocation.Default(name => name switch { "XDG_CACHE_HOME" => "cache", "HOME" => "/home/me", _ => null });

        Assert.Equal("/var/cache/me/okrhost/http", xdg);
        Assert.Equal("/home/me/.cache/okrhost/http", home);
        Assert.Equal("/home/me/.cache/okrhost/http", relativeXdg);
    }

    [Fact]
    public async Task A_loopback_service_on_a_new_port_replaces_its_entry_and_is_never_sent_the_old_ports_etag()
    {
        using var restarted = WireMockServer.Start();
        Serve(restarted);
        using var harness = Harness();
        using var before = harness.Client(_server.LoopbackUrl(), token: "ghp_first");
        using var after = harness.Client(restarted.LoopbackUrl(), token: "ghp_first");

        (await before.GetAsync(Path.TrimStart('/'))).Dispose();
        (await after.GetAsync(Path.TrimStart('/'))).Dispose();
        (await after.GetAsync(Path.TrimStart('/'))).Dispose();

        // The demo's sandbox gets a new port every run: the cache keeps one entry per source and path, and
        // an answer stored for one port is never replayed for another (its Link headers name the old port).
        Assert.Single(CacheFiles());
        var received = restarted.Received(Path);
        Assert.Null(received[0].Header("If-None-Match"));
        Assert.Equal(ETag, received[1].Header("If-None-Match"));
        restarted.Stop();
    }

    [Fact]
    public async Task Pruning_drops_entries_unused_past_the_max_age_then_the_least_recently_used_past_the_size_cap()
    {
        var now = DateTimeOffset.UtcNow;
        using var harness = new PipelineHarness(PipelineHarness.TestPolicy with
        {
            CacheDirectory = _cacheDirectory,
            CacheMaxBytes = HttpPolicy.Megabyte,
            CacheMaxAge = TimeSpan.FromDays(30),
        });
        using var client = harness.Client(_server.LoopbackUrl(), token: "ghp_first");
        (await client.GetAsync(Path.TrimStart('/'))).Dispose();
        var used = Assert.Single(CacheFiles());
        File.SetLastWriteTimeUtc(used, now.AddDays(-40).UtcDateTime);
        // A hit marks the entry as used, so age alone does not drop it.
        (await client.GetAsync(Path.TrimStart('/'))).Dispose();

        var stale = Entry("stale", 1000, now.AddDays(-31));
        var older = Entry("older", 600_000, now.AddDays(-2));
        var newer = Entry("newer", 600_000, now.AddDays(-1));
        var leftover = Entry("crashed.json.0123.tmp", 10, now.AddHours(-2));

        harness.Factory.PruneCache(now);

        Assert.Equal(new[] { newer, used }.Order(StringComparer.Ordinal), CacheFiles().Order(StringComparer.Ordinal));
        Assert.False(File.Exists(stale) || File.Exists(older) || File.Exists(leftover));
    }

    private string Entry(string name, int bytes, DateTimeOffset lastUsed)
    {
        var path = System.IO.Path.Combine(_cacheDirectory, "zz", name);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllBytes(path, new byte[bytes]);
        File.SetLastWriteTimeUtc(path, lastUsed.UtcDateTime);
        return path;
    }

    private PipelineHarness Harness() => new(PipelineHarness.TestPolicy with { CacheDirectory = _cacheDirectory });

    private string[] CacheFiles() => Directory.GetFiles(_cacheDirectory, "*", SearchOption.AllDirectories);
}

using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using OkrHost.Testing;
using OkrHost.Tests.Http;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// A token goes only to the scheme, host and port of its source's baseUrl: a service that redirects
/// elsewhere (here: the same loopback host, another port) never receives it.
/// </summary>
public class TokenRedirectTests
{
    private const string Token = "ghp_RedirectedTokenMustStayHome0123456789";

    [Fact]
    public async Task A_redirect_to_another_port_is_followed_without_the_token()
    {
        var elsewhere = new ConcurrentBag<string>();
        await using var other = await ScriptedServer.StartAsync(async (context, _) =>
        {
            elsewhere.Add(string.Join("\n", context.Request.Headers.Select(h => $"{h.Key}: {h.Value}")) + "\n" + context.Request.QueryString);
            context.Response.StatusCode = 404;
            await context.Response.WriteAsync("""{ "message": "Not Found" }""");
        });
        await using var service = await ScriptedServer.StartAsync((context, _) =>
        {
            context.Response.StatusCode = 302;
            var pathAndQuery = context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString.ToString();
            context.Response.Headers.Location = new Uri(other.BaseUrl, pathAndQuery).ToString();
            return Task.CompletedTask;
        });
        using var folder = new TempFolder();
        folder.File("plugins.json", new JsonObject
        {
            ["report"] = new JsonObject { ["output"] = "out" },
            ["sources"] = new JsonObject
            {
                // REST: its GETs are what a redirect is followed for (GraphQL POSTs are not redirected).
                ["github"] = new JsonObject { ["baseUrl"] = service.BaseUrl.ToString(), ["repositories"] = new JsonArray("acme/api"), ["api"] = "rest" },
            },
            ["http"] = new JsonObject { ["maxRetries"] = 0 },
        }.ToJsonString());

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token },
            "report", "--period", "2026-10", "--only", "github", "--verbose", "--log", "run.log");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.True(service.Requests > 0 && !elsewhere.IsEmpty, "the redirect was never followed, so the test proves nothing");
        Assert.All(elsewhere, request =>
        {
            Assert.DoesNotContain("Authorization", request, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Token, request, StringComparison.Ordinal);
        });
        SecretAssert.NowhereIn(Token, result, folder.Combine("out", "report.json"), folder.Combine("out", "report.html"), folder.Combine("run.log"));
    }
}

/// <summary>Checks that a secret reached no output, file or log of a run.</summary>
internal static class SecretAssert
{
    public static void NowhereIn(string secret, CliResult result, params string[] files)
    {
        Assert.DoesNotContain(secret, result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, result.Error, StringComparison.Ordinal);
        foreach (var file in files)
        {
            Assert.True(File.Exists(file), $"{file} was not written");
            Assert.DoesNotContain(secret, File.ReadAllText(file), StringComparison.Ordinal);
        }
    }
}

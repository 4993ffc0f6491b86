using System.Text.Json.Nodes;
using OkrHost.Testing;
using OkrHost.Tests.Http;

namespace OkrHost.Tests.Hardening;

/// <summary>An answer larger than http.maxResponseMegabytes fails its source with that reason, whether its size is announced or not.</summary>
public class ResponseSizeTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Theory]
    [InlineData(true, "the answer is 2 MB, more than the 1 MB allowed (http.maxResponseMegabytes)")]
    [InlineData(false, "the answer is more than the 1 MB allowed (http.maxResponseMegabytes)")]
    public async Task An_oversized_answer_fails_the_source_with_the_cap_named(bool announced, string reason)
    {
        var body = new byte[2 * 1024 * 1024];
        Array.Fill(body, (byte)' ');
        await using var service = await ScriptedServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            if (announced)
            {
                context.Response.ContentLength = body.Length;
            }

            for (var offset = 0; offset < body.Length; offset += 64 * 1024)
            {
                await context.Response.Body.WriteAsync(body.AsMemory(offset, 64 * 1024));
            }
        });
        using var folder = new TempFolder();
        var (_, variables) = AimedSource.Write(folder, sandbox.Server, "slack", service.BaseUrl.ToString(),
            new JsonObject { ["maxRetries"] = 0, ["maxResponseMegabytes"] = 1 });

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "report", "--period", "2026-10", "--only", "slack");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains($"error: source slack failed: {service.BaseUrl.Authority}", result.Error, StringComparison.Ordinal);
        Assert.Contains(reason, result.Error, StringComparison.Ordinal);
        Assert.Equal(1, service.Requests);
    }
}

using System.Text.Json;
using Microsoft.AspNetCore.Http;
using OkrHost.Testing;
using OkrHost.Tests.Http;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// A service whose error answer echoes the request's Authorization header (a misconfigured proxy, a
/// debugging endpoint, a hostile server): the token is masked on stdout, stderr, in the log file and in
/// report.html and report.json. Likewise a baseUrl's user-info.
/// </summary>
public class EchoedSecretTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    public static TheoryData<string, string, int> Sources => new()
    {
        { "slack", "xoxb-1111-2222-EchoedSlackSecret9", 200 },
        { "grafana", "glsa_EchoedGrafanaSecret_0123456789abcdef", 401 },
        { "notion", "secret_EchoedNotionSecret0123456789", 401 },
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task A_token_echoed_in_an_error_answer_is_masked_everywhere(string source, string token, int status)
    {
        await using var echo = await EchoServerAsync(status);
        using var folder = new TempFolder();
        var (tokenEnv, _) = AimedSource.Write(folder, sandbox.Server, source, echo.BaseUrl.ToString());

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, new Dictionary<string, string> { [tokenEnv] = token },
            "report", "--period", "2026-10", "--only", source, "--verbose", "--log", "run.log");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.True(echo.Requests > 0, "the service was never asked");
        // The echo reached the message, masked: without the redactor the token would be here.
        Assert.Contains($"Bearer [redacted]", result.Error, StringComparison.Ordinal);
        SecretAssert.NowhereIn(token, result, folder.Combine("out", "report.json"), folder.Combine("out", "report.html"), folder.Combine("run.log"));
    }

    [Fact]
    public async Task A_password_in_a_baseUrl_is_never_printed_nor_written()
    {
        const string password = "Us3rInfoPassw0rd";
        await using var echo = await EchoServerAsync(401);
        using var folder = new TempFolder();
        var withUserInfo = $"http://okr:{password}@{echo.BaseUrl.Authority}/";
        var (tokenEnv, _) = AimedSource.Write(folder, sandbox.Server, "grafana", withUserInfo);
        folder.File("remote.json", File.ReadAllText(folder.Combine("plugins.json")).Replace(withUserInfo, $"http://okr:{password}@grafana.example.com/", StringComparison.Ordinal));

        var run = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, new Dictionary<string, string> { [tokenEnv] = "glsa_SomeGrafanaToken_0123456789" },
            "report", "--period", "2026-10", "--only", "grafana");
        var validate = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate", "--config", "remote.json");

        Assert.True(run.ExitCode == 3, run.ToString());
        SecretAssert.NowhereIn(password, run, folder.Combine("out", "report.json"), folder.Combine("out", "report.html"));
        Assert.Equal(2, validate.ExitCode);
        Assert.Contains("$.sources.grafana.baseUrl", validate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(password, validate.Error + validate.Out, StringComparison.Ordinal);
    }

    /// <summary>Answers every request with the Authorization header it received, in the fields services put their error text.</summary>
    private static Task<ScriptedServer> EchoServerAsync(int status) => ScriptedServer.StartAsync(async (context, _) =>
    {
        var said = $"you sent {context.Request.Headers.Authorization}";
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { ok = false, error = said, @object = "error", code = "unauthorized", message = said }));
    });
}

using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using OkrHost.Testing;
using OkrHost.Tests.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// PRODUCT.md section 7, Secrets in URLs: the alert webhook's URL and the model's base URL carry their
/// credential in the path; only scheme, host and port are ever printed, logged or written.
/// </summary>
public sealed class SecretUrlTests : IDisposable
{
    private const string SecretPath = "services/T0SECRET/B0SECRET/xoxSecretPart";
    private readonly FaultyPluginRun _run = new("throw", withOnCall: false);

    public void Dispose() => _run.Dispose();

    [Theory]
    [InlineData("5xx")]
    [InlineData("timeout")]
    [InlineData("refused")]
    public async Task A_failing_webhook_and_an_unreachable_model_are_named_by_scheme_host_and_port_only(string failure)
    {
        using var server = WireMockServer.Start();
        var response = failure == "timeout"
            ? Response.Create().WithStatusCode(200).WithDelay(TimeSpan.FromSeconds(5))
            : Response.Create().WithStatusCode(503);
        server.Given(Request.Create().UsingPost()).RespondWith(response);
        var origin = failure == "refused" ? $"http://127.0.0.1:{ClosedPort()}" : server.LoopbackUrl().ToString().TrimEnd('/');
        var config = JsonNode.Parse(File.ReadAllText(_run.Folder.Combine("plugins.json")))!.AsObject();
        config["http"] = new JsonObject { ["maxRetries"] = 1, ["retryBaseDelayMilliseconds"] = 1, ["attemptTimeoutSeconds"] = 1 };
        config["alerts"] = new JsonObject { ["webhook"] = new JsonObject { ["urlEnv"] = "HOOK_URL" }, ["on"] = new JsonArray("source-failed") };
        config["insights"] = new JsonObject
        {
            ["llm"] = new JsonObject { ["provider"] = "openai", ["baseUrl"] = $"{origin}/{SecretPath}/v1/", ["model"] = "m", ["apiKeyEnv"] = "MODEL_KEY" },
        };
        _run.Folder.File("plugins.json", config.ToJsonString());
        var variables = new Dictionary<string, string> { ["HOOK_URL"] = $"{origin}/{SecretPath}?token=abc", ["MODEL_KEY"] = "sk-model-key-0000" };

        var result = await CliRunner.RunAsync(_run.Folder.Path, _run.Plugins, variables, "report", "--period", "2026-10", "--log", "run.log");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("alerts not sent", result.Error + result.Out, StringComparison.Ordinal);
        var everything = string.Join("\n", result.Out, result.Error, File.ReadAllText(_run.Folder.Combine("run.log")),
            File.ReadAllText(_run.Folder.Combine("out", "report.json")), File.ReadAllText(_run.Folder.Combine("out", "report.html")));
        Assert.DoesNotContain("T0SECRET", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("xoxSecretPart", everything, StringComparison.Ordinal);
        Assert.Contains(new Uri(origin).Authority, result.Out + result.Error, StringComparison.Ordinal);
    }

    private static int ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

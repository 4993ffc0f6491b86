using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Grafana.Tests;

/// <summary>Answers the emulator never gives: the source fails naming the endpoint and the problem.</summary>
public sealed class GrafanaMalformedAnswerTests
{
    private const string Alerts = """{"status":"success","data":{"alerts":[]}}""";

    [Theory]
    [InlineData("<html>502 Bad Gateway</html>", "unexpected answer (HTTP 200)")]
    [InlineData("""[{"id":1,"timeEnd":5,"tags":["drift"]}]""", "missing required properties")]
    [InlineData("""{"message":"not a list"}""", "unexpected answer")]
    public async Task A_malformed_annotation_answer_fails_the_source_naming_the_endpoint(string body, string problem)
    {
        using var server = WireMockServer.Start();
        Serve(server, "/api/annotations", body);
        Serve(server, "/api/prometheus/grafana/api/v1/alerts", Alerts);

        var failure = await Assert.ThrowsAsync<SourceException>(() => Collect(server));

        Assert.StartsWith("Grafana GET /api/annotations", failure.Message, StringComparison.Ordinal);
        Assert.Contains(problem, failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_alerts_answer_that_is_not_a_success_fails_the_source()
    {
        using var server = WireMockServer.Start();
        Serve(server, "/api/annotations", "[]");
        Serve(server, "/api/prometheus/grafana/api/v1/alerts", """{"status":"error","errorType":"server_error","error":"rule store unavailable"}""");

        var failure = await Assert.ThrowsAsync<SourceException>(() => Collect(server));

        Assert.Contains("GET /api/prometheus/grafana/api/v1/alerts", failure.Message, StringComparison.Ordinal);
        Assert.Contains("'error'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forbidden_answer_says_the_service_account_needs_a_role()
    {
        using var server = WireMockServer.Start();
        server.Given(Request.Create().WithPath("/api/annotations").UsingGet())
            .RespondWith(Response.Create().WithStatusCode(403).WithHeader("Content-Type", "application/json")
                .WithBody("""{"message":"You'll need additional permissions to perform this action. Permissions needed: annotations:read"}"""));
        Serve(server, "/api/prometheus/grafana/api/v1/alerts", Alerts);

        var failure = await Assert.ThrowsAsync<SourceException>(() => Collect(server));

        Assert.Contains("HTTP 403", failure.Message, StringComparison.Ordinal);
        Assert.Contains("annotations:read", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Viewer role", failure.Message, StringComparison.Ordinal);
    }

    private static Task<Outcome> Collect(WireMockServer server) =>
        GrafanaRun.CollectAsync(new JsonObject { ["baseUrl"] = server.Urls[0] }, "glsa_wiremock_token", SandboxFixture.Now);

    private static void Serve(WireMockServer server, string path, string body) =>
        server.Given(Request.Create().WithPath(path).UsingGet())
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body));
}

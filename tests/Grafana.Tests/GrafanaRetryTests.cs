using System.Text.Json.Nodes;
using OkrHost.Sandbox;
using OkrHost.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Grafana.Tests;

/// <summary>Rate-limit answers are the host pipeline's business; the numbers must not change because of them.</summary>
public sealed class GrafanaRetryTests
{
    private const string Token = "glsa_wiremockwiremockwiremockwire_12345678";

    [Fact]
    public async Task A_run_answered_429_then_200_gives_the_same_numbers_as_an_undisturbed_run()
    {
        using var clean = Grafana(rateLimited: false);
        using var limited = Grafana(rateLimited: true);

        var expected = await GrafanaRun.CollectAsync(Settings(clean), Token, SandboxFixture.Now);
        var retried = await GrafanaRun.CollectAsync(Settings(limited), Token, SandboxFixture.Now);

        Assert.Equal(expected.Result.Metrics, retried.Result.Metrics);
        Assert.Equal(2, expected.Value("grafana.drifts"));
        Assert.Equal(1, expected.Value("grafana.findings_critical"));
        Assert.Equal(1, expected.Value("grafana.alerts_firing"));
        Assert.Equal(2, expected.Value("grafana.traces"));
        Assert.Equal(4, limited.LogEntries.Count(e => e.ResponseMessage.StatusCode is 429));
        Assert.Equal(expected.Requests + 4, retried.Requests);
    }

    [Fact]
    public async Task A_demo_run_through_injected_rate_limits_and_server_errors_gives_the_same_numbers()
    {
        await using var clean = await GrafanaRun.StartAsync();
        await using var faulty = await SandboxServer.StartAsync(new SandboxOptions
        {
            Now = SandboxFixture.Now,
            Faults = [new FaultSpec(FaultKind.RateLimit, "grafana", Count: 2), new FaultSpec(FaultKind.ServerError, "grafana", Count: 1)],
        });

        var expected = await GrafanaRun.CollectAsync(clean);
        var retried = await GrafanaRun.CollectAsync(faulty);

        Assert.Equal(expected.Result.Metrics, retried.Result.Metrics);
        Assert.Equal(clean.Stats("grafana").Requests + 3, faulty.Stats("grafana").Requests);
    }

    private static JsonObject Settings(WireMockServer server) => new()
    {
        ["baseUrl"] = server.Urls[0] + "/",
        ["tempoDatasourceUid"] = "tempo",
    };

    private static WireMockServer Grafana(bool rateLimited)
    {
        var server = WireMockServer.Start();
        var day = GrafanaRun.InPeriod(3).ToUnixTimeMilliseconds();
        var annotations = new JsonArray(
            Annotation(1, day, day + 3_600_000, "drift", "env:prod"),
            Annotation(2, day + 1000, day + 1000, "drift"),
            Annotation(3, day + 2000, day + 2000, "finding", "severity:Critical"),
            Annotation(4, day + 3000, day + 3000, "finding", "severity:low"));
        var alerts = new JsonObject
        {
            ["status"] = "success",
            ["data"] = new JsonObject
            {
                ["alerts"] = new JsonArray(
                    new JsonObject { ["labels"] = new JsonObject { ["alertname"] = "a" }, ["state"] = "Alerting", ["activeAt"] = "2026-11-01T10:00:00Z", ["value"] = "1e+00" },
                    new JsonObject { ["labels"] = new JsonObject { ["alertname"] = "b" }, ["state"] = "Pending", ["activeAt"] = "2026-11-01T10:00:00Z", ["value"] = "1e+00" }),
            },
        };
        var start = (GrafanaRun.InPeriod(4) - DateTimeOffset.UnixEpoch).Ticks * 100;
        var traces = new JsonObject
        {
            ["traces"] = new JsonArray(
                Trace("0af7651916cd43dd8448eb211c80319c", start, 120, 7),
                Trace("1af7651916cd43dd8448eb211c80319c", start + 1_000_000_000, 80, 3)),
            ["metrics"] = new JsonObject { ["inspectedTraces"] = 2, ["inspectedBytes"] = "4096", ["completedJobs"] = 1, ["totalJobs"] = 1 },
        };

        // Every distinct request is answered 429 once, then 200: one scenario per request, so concurrent
        // requests never race each other through a shared scenario.
        Serve(server, "/api/annotations", annotations, rateLimited ? [("tags", "drift"), ("tags", "finding")] : []);
        Serve(server, "/api/prometheus/grafana/api/v1/alerts", alerts, []);
        Serve(server, "/api/datasources/proxy/uid/tempo/api/search", traces, rateLimited ? [("q", "{}"), ("q", "{ status = error }")] : []);
        return server;
    }

    private static void Serve(WireMockServer server, string path, JsonNode body, (string Name, string Value)[] limitedOnce)
    {
        var ok = Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody(body.ToJsonString());
        if (limitedOnce.Length == 0)
        {
            server.Given(Request.Create().WithPath(path).UsingGet().WithHeader("Authorization", "Bearer " + Token)).RespondWith(ok);
            return;
        }

        foreach (var (name, value) in limitedOnce)
        {
            var scenario = $"{path}?{name}={value}";
            server.Given(Request.Create().WithPath(path).UsingGet().WithParam(name, value))
                .InScenario(scenario).WillSetStateTo("limited")
                .RespondWith(Response.Create().WithStatusCode(429).WithHeader("Retry-After", "1").WithBody("Too Many Requests"));
            server.Given(Request.Create().WithPath(path).UsingGet().WithParam(name, value).WithHeader("Authorization", "Bearer " + Token))
                .InScenario(scenario).WhenStateIs("limited")
                .RespondWith(ok);
        }
    }

    private static JsonObject Annotation(long id, long time, long timeEnd, params string[] tags) => new()
    {
        ["id"] = id,
        ["alertId"] = 0,
        ["dashboardUID"] = "",
        ["panelId"] = 0,
        ["time"] = time,
        ["timeEnd"] = timeEnd,
        ["text"] = $"annotation {id}",
        ["tags"] = new JsonArray([.. tags.Select(t => (JsonNode?)JsonValue.Create(t))]),
    };

    private static JsonObject Trace(string id, long startNanos, int durationMs, int matched) => new()
    {
        ["traceID"] = id,
        ["rootServiceName"] = "api",
        ["rootTraceName"] = "GET /",
        ["startTimeUnixNano"] = startNanos.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["durationMs"] = durationMs,
        ["spanSets"] = new JsonArray(new JsonObject { ["spans"] = new JsonArray(), ["matched"] = matched }),
    };
}

using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OkrHost.Sandbox.Grafana;
using OkrHost.Testing;

namespace Grafana.Tests;

/// <summary>The emulator answers like Grafana and Tempo do, traps included.</summary>
public sealed class GrafanaEmulatorTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    [Fact]
    public async Task A_request_without_a_token_is_unauthorized_and_a_wrong_one_is_an_invalid_api_key()
    {
        using var anonymous = new HttpClient { BaseAddress = sandbox.Server.BaseUrl("grafana") };
        using var missing = await anonymous.GetAsync(new Uri("api/annotations", UriKind.Relative));
        using var wrong = await Client("glsa_nope").GetAsync(new Uri("api/annotations", UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("auth.unauthorized", (await Json(missing)).GetProperty("messageId").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Invalid API key", (await Json(wrong)).GetProperty("message").GetString());
    }

    [Fact]
    public async Task Annotations_come_latest_end_first_and_are_cut_silently_at_the_default_limit_of_100()
    {
        var annotations = (await GetJson("api/annotations")).EnumerateArray().ToArray();

        Assert.Equal(100, annotations.Length);
        var ends = annotations.Select(a => a.GetProperty("timeEnd").GetInt64()).ToArray();
        Assert.Equal(ends.OrderDescending(), ends);
        Assert.True(GrafanaRun.Emulator(sandbox.Server).Data.Annotations.Count > 100);
        Assert.All(annotations, a => Assert.True(a.GetProperty("timeEnd").GetInt64() >= a.GetProperty("time").GetInt64()));
    }

    [Fact]
    public async Task A_window_returns_regions_that_overlap_it_even_when_they_started_before_it()
    {
        var region = GrafanaRun.Emulator(sandbox.Server).Data.Annotations.First(a => a.TimeEnd - a.Time > TimeSpan.FromHours(2));
        var from = (region.Time + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();

        var found = await GetJson($"api/annotations?from={from}&to={from + 1000}&limit=1000");

        Assert.Contains(found.EnumerateArray(), a => a.GetProperty("id").GetInt64() == region.Id);
    }

    [Fact]
    public async Task Tags_must_all_match_and_a_tag_without_value_matches_on_its_key_like_grafana()
    {
        var both = await Tags("api/annotations?limit=100000&tags=drift&tags=env:prod");
        var drift = await Tags("api/annotations?limit=100000&tags=drift");

        Assert.NotEmpty(both);
        Assert.All(both, tags => Assert.Contains("env:prod", tags));
        Assert.All(drift, tags => Assert.Contains(tags, t => t == "drift" || t.StartsWith("drift:", StringComparison.Ordinal)));
        Assert.True(drift.Length > both.Length);
        Assert.Contains(drift, tags => tags.Contains("drift:staging"));
        Assert.DoesNotContain(drift, tags => tags.Contains("drift-check") || tags.Contains("Drift"));
    }

    private async Task<string[][]> Tags(string path) =>
        (await GetJson(path)).EnumerateArray()
            .Select(a => a.GetProperty("tags").EnumerateArray().Select(t => t.GetString()!).ToArray())
            .ToArray();

    [Fact]
    public async Task Type_alert_returns_only_alert_annotations()
    {
        var alerts = (await GetJson("api/annotations?limit=100000&type=alert")).EnumerateArray().ToArray();

        Assert.NotEmpty(alerts);
        Assert.All(alerts, a => Assert.True(a.GetProperty("alertId").GetInt64() > 0));
    }

    [Fact]
    public async Task Grafana_managed_alerts_come_in_the_prometheus_shape_with_both_state_spellings()
    {
        var answer = await GetJson("api/prometheus/grafana/api/v1/alerts");

        Assert.Equal("success", answer.GetProperty("status").GetString());
        var states = answer.GetProperty("data").GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("state").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "firing", "Alerting", "Pending", "pending", "Normal", "inactive", "Alerting (NoData)", "Alerting (Error)" }, states);
    }

    [Fact]
    public async Task Tempo_search_answers_twenty_traces_by_default_with_nanosecond_strings()
    {
        var answer = await GetJson($"api/datasources/proxy/uid/{GrafanaEmulator.TempoUid}/api/search?q=%7B%7D");

        var traces = answer.GetProperty("traces").EnumerateArray().ToArray();
        Assert.Equal(20, traces.Length);
        Assert.All(traces, t => Assert.Equal(JsonValueKind.String, t.GetProperty("startTimeUnixNano").ValueKind));
        Assert.All(traces, t => Assert.True(t.GetProperty("spanSets")[0].GetProperty("matched").GetInt32() >= 3));
        Assert.True(answer.GetProperty("metrics").GetProperty("inspectedTraces").GetInt32() >= 20);
    }

    [Fact]
    public async Task Tempo_answers_only_errors_to_the_status_error_query_and_rejects_other_traceql()
    {
        var errors = await GetJson($"api/datasources/proxy/uid/{GrafanaEmulator.TempoUid}/api/search?q={Uri.EscapeDataString("{ status = error }")}&limit=1000");
        using var rejected = await Client().GetAsync(new Uri(
            $"api/datasources/proxy/uid/{GrafanaEmulator.TempoUid}/api/search?q={Uri.EscapeDataString("{ span.http.status_code >= 500 }")}", UriKind.Relative));

        var errorIds = errors.GetProperty("traces").EnumerateArray().Select(t => t.GetProperty("traceID").GetString()!).ToHashSet();
        var expected = GrafanaRun.Emulator(sandbox.Server).Data.TempoDataSources[GrafanaEmulator.TempoUid].Where(t => t.ErrorSpanCount > 0).Select(t => t.TraceId).ToHashSet();
        Assert.Equal(expected, errorIds);
        Assert.Equal(HttpStatusCode.BadRequest, rejected.StatusCode);
        Assert.StartsWith("invalid TraceQL query: parse error at line 1, col 3", await rejected.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_data_source_proxy_answers_404_for_an_unknown_uid()
    {
        using var response = await Client().GetAsync(new Uri("api/datasources/proxy/uid/nope/api/search?q=%7B%7D", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("Unable to find datasource", (await Json(response)).GetProperty("message").GetString());
    }

    private HttpClient Client(string? token = null)
    {
        var client = new HttpClient { BaseAddress = sandbox.Server.BaseUrl("grafana") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token ?? GrafanaRun.Emulator(sandbox.Server).Token);
        return client;
    }

    private async Task<JsonElement> GetJson(string path)
    {
        using var client = Client();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    private static async Task<JsonElement> Json(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
}

using System.Net;
using Microsoft.Extensions.Time.Testing;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Linear;
using OkrHost.Testing;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace Linear.Tests;

/// <summary>Answers the emulator does not give (partial data, odd bodies) and the plugin's small rules.</summary>
public sealed class ProtocolEdgeTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();

    public void Dispose() => _server.Stop();

    private Task<PluginRun> RunAsync(string token = "lin_api_test")
    {
        var settings = new JsonObject { ["baseUrl"] = _server.Url + "/graphql" };
        var period = new ReportPeriod(new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 10, 31, 0, 0, 0, TimeSpan.Zero));
        var (context, _, factory) = TestSources.Context(new LinearSource(), "linear", settings, token, period, period.To);
        return RunAndDisposeAsync(context, factory);

        static async Task<PluginRun> RunAndDisposeAsync(CollectContext context, IDisposable factory)
        {
            using (factory)
            {
                return await TestSources.RunAsync(new LinearSource(), context);
            }
        }
    }

    private void Answer(int status, string body) => _server
        .Given(Request.Create().WithPath("/graphql").UsingPost())
        .RespondWith(Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body));

    [Fact]
    public async Task Data_with_errors_fails_the_source_naming_the_errors()
    {
        Answer(200, """
            {"data":{"issues":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}},
             "errors":[{"message":"Entity not found: Team","path":["issues","nodes",0,"team"],"extensions":{"code":"ENTITY_NOT_FOUND"}}]}
            """);

        var failure = await Assert.ThrowsAsync<SourceException>(() => RunAsync());

        Assert.Equal("Linear GraphQL issues query: partial answer (HTTP 200), the API returned data with errors: Entity not found: Team at issues.nodes.0.team (ENTITY_NOT_FOUND)", failure.Message);
    }

    [Fact]
    public async Task Errors_without_data_on_http_200_fail_the_source()
    {
        Answer(200, """{"data":null,"errors":[{"message":"Argument Validation Error","extensions":{"code":"INVALID_INPUT","userPresentableMessage":"first must be between 0 and 250."}}]}""");

        var failure = await Assert.ThrowsAsync<SourceException>(() => RunAsync());

        Assert.Equal("Linear GraphQL issues query: the API answered HTTP 200 with errors: Argument Validation Error: first must be between 0 and 250. (INVALID_INPUT)", failure.Message);
    }

    [Fact]
    public async Task A_node_missing_a_field_the_schema_promises_is_a_malformed_answer()
    {
        Answer(200, """{"data":{"issues":{"nodes":[{"id":"1","identifier":"ENG-1"}],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}""");

        var failure = await Assert.ThrowsAsync<SourceException>(() => RunAsync());

        Assert.StartsWith("Linear GraphQL issues query: unexpected answer (HTTP 200)", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_personal_key_is_sent_bare_and_an_oauth_token_as_bearer()
    {
        Answer(200, """{"data":{"issues":{"nodes":[],"pageInfo":{"hasNextPage":false,"endCursor":null}}}}""");

        await RunAsync("lin_api_personal");
        await RunAsync("lin_oauth_access");

        var sent = _server.LogEntries.Select(e => e.RequestMessage.Headers!["Authorization"].Single()).ToArray();
        Assert.Equal(["lin_api_personal", "Bearer lin_oauth_access"], sent);
    }

    [Fact]
    public async Task The_rate_limit_detector_waits_until_Linear_s_reset_and_ignores_other_errors()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero));
        var reset = clock.GetUtcNow().AddSeconds(30).ToUnixTimeMilliseconds();
        using var limited = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED"}}]}"""),
        };
        limited.Headers.Add("x-ratelimit-requests-reset", reset.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var invalid = new HttpResponseMessage(HttpStatusCode.BadRequest)
        {
            Content = new StringContent("""{"errors":[{"message":"Cannot query field","extensions":{"code":"GRAPHQL_VALIDATION_FAILED"}}]}"""),
        };

        var wait = await LinearClient.DetectRateLimitAsync(limited, clock, CancellationToken.None);
        var none = await LinearClient.DetectRateLimitAsync(invalid, clock, CancellationToken.None);

        Assert.InRange(wait!.Value, TimeSpan.FromSeconds(25), TimeSpan.FromSeconds(30));
        Assert.Null(none);
    }

    [Fact]
    public void Settings_problems_name_their_json_path()
    {
        // baseUrl is the host's to check (the config loader); the rest is bound by the host and checked by the plugin.
        // (An unknown key near a known one, "team" for "teams", would be an error of its own: this one is far from all.)
        var problems = TestSources.Validate(new LinearSource(), "linear", JsonNode.Parse("""{"bugLabel":"","teams":["ENG",""],"colour":"x"}""")!.AsObject(), "k");

        Assert.Equal(
            [
                (ProblemSeverity.Warning, "$.sources.linear.colour"),
                (ProblemSeverity.Error, "$.sources.linear.bugLabel"),
                (ProblemSeverity.Error, "$.sources.linear.teams[1]"),
            ],
            problems.Select(p => (p.Severity, p.JsonPath)));
    }

    [Fact]
    public void Default_settings_are_valid_and_point_at_Linear()
    {
        var settings = TestSources.Settings(new LinearSource(), "linear", new JsonObject(), "k");

        Assert.Empty(TestSources.Validate(new LinearSource(), "linear", new JsonObject(), "k"));
        Assert.Equal(new Uri("https://api.linear.app/graphql"), settings.BaseUrl);
    }
}

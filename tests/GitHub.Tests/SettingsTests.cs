using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.GitHub;
using OkrHost.Testing;

namespace GitHub.Tests;

public sealed class SettingsTests
{
    private static IReadOnlyList<Problem> Validate(JsonObject settings) =>
        TestSources.Validate(new GitHubSource(), "github", settings, "ghp_x");

    [Fact]
    public void Absent_or_empty_repositories_leave_the_source_not_configured()
    {
        foreach (var settings in new[] { new JsonObject(), new JsonObject { ["repositories"] = new JsonArray() } })
        {
            var problem = Assert.Single(Validate(settings));
            Assert.Equal(ProblemSeverity.Missing, problem.Severity);
            Assert.Equal("$.sources.github.repositories", problem.JsonPath);
        }
    }

    [Fact]
    public void Malformed_repositories_patterns_and_addresses_are_invalid_with_their_paths()
    {
        var problems = Validate(new JsonObject
        {
            ["repositories"] = new JsonArray("acme/api", "acme", "https://github.com/acme/web"),
            ["environmentPattern"] = "(prod",
            ["workflowPattern"] = "[",
            ["baseUrl"] = "https://github.com/acme",
        });

        Assert.All(problems, p => Assert.Equal(ProblemSeverity.Error, p.Severity));
        Assert.Equal(
            new[]
            {
                "$.sources.github.baseUrl", "$.sources.github.environmentPattern", "$.sources.github.repositories[1]",
                "$.sources.github.repositories[2]", "$.sources.github.workflowPattern",
            },
            problems.Select(p => p.JsonPath).Order());
        Assert.Contains("https://api.github.com/", problems.Single(p => p.JsonPath.EndsWith("baseUrl", StringComparison.Ordinal)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_keys_and_wrong_deployment_sources_are_reported()
    {
        var unknown = Validate(new JsonObject { ["repositories"] = new JsonArray("acme/api"), ["repos"] = "acme/api" });
        var wrongSource = Validate(new JsonObject { ["repositories"] = new JsonArray("acme/api"), ["deploymentSource"] = "releases" });

        Assert.Equal(ProblemSeverity.Warning, Assert.Single(unknown).Severity);
        Assert.Equal(ProblemSeverity.Error, Assert.Single(wrongSource).Severity);
        Assert.Equal("$.sources.github.deploymentSource", wrongSource[0].JsonPath);
    }

    [Theory]
    [InlineData(null, "https://api.github.com/")]
    [InlineData("https://api.github.com", "https://api.github.com/")]
    [InlineData("https://github.com/", "https://api.github.com/")]
    [InlineData("https://github.example.com", "https://github.example.com/api/v3/")]
    [InlineData("https://github.example.com/api/v3/", "https://github.example.com/api/v3/")]
    [InlineData("http://127.0.0.1:5000/github/", "http://127.0.0.1:5000/github/api/v3/")]
    [InlineData("https://octo.ghe.com/", "https://api.octo.ghe.com/")]
    public void The_api_root_follows_octokits_enterprise_rule_keeping_any_path(string? baseUrl, string expected) =>
        Assert.Equal(new Uri(expected), GitHubSettings.ApiRoot(baseUrl is null ? null : new Uri(baseUrl)));

    [Theory]
    [InlineData(null, null, "https://api.github.com/graphql")]
    [InlineData("https://github.com/", null, "https://api.github.com/graphql")]
    [InlineData("https://github.example.com", null, "https://github.example.com/api/graphql")]
    [InlineData("https://github.example.com/api/v3/", null, "https://github.example.com/api/graphql")]
    [InlineData("http://127.0.0.1:5000/github/", null, "http://127.0.0.1:5000/github/api/graphql")]
    [InlineData("https://octo.ghe.com/", null, "https://api.octo.ghe.com/graphql")]
    [InlineData("https://github.example.com", "https://github.example.com/graphql-proxy", "https://github.example.com/graphql-proxy")]
    public void The_graphql_endpoint_defaults_beside_the_rest_root(string? baseUrl, string? graphqlUrl, string expected) =>
        Assert.Equal(new Uri(expected), GitHubSettings.GraphQLEndpoint(baseUrl is null ? null : new Uri(baseUrl), graphqlUrl));

    [Fact]
    public void The_api_defaults_to_graphql_and_a_wrong_api_or_a_graphql_url_on_another_server_is_invalid()
    {
        var settings = TestSources.Settings(new GitHubSource(), "github", new JsonObject { ["repositories"] = new JsonArray("acme/api") }, "ghp_x");
        var wrongApi = Validate(new JsonObject { ["repositories"] = new JsonArray("acme/api"), ["api"] = "soap" });
        var elsewhere = Validate(new JsonObject
        {
            ["repositories"] = new JsonArray("acme/api"), ["baseUrl"] = "https://github.example.com/", ["graphqlUrl"] = "https://collector.example.net/graphql",
        });
        var relative = Validate(new JsonObject { ["repositories"] = new JsonArray("acme/api"), ["graphqlUrl"] = "/api/graphql" });
        var same = Validate(new JsonObject
        {
            ["repositories"] = new JsonArray("acme/api"), ["baseUrl"] = "https://github.example.com/", ["graphqlUrl"] = "https://github.example.com/api/graphql", ["api"] = "rest",
        });

        Assert.Equal(GitHubApiKind.Graphql, settings.Get<GitHubSettings>().Api);
        Assert.Equal("$.sources.github.api", Assert.Single(wrongApi).JsonPath);
        var problem = Assert.Single(elsewhere);
        Assert.Equal("$.sources.github.graphqlUrl", problem.JsonPath);
        Assert.Contains("https://github.example.com/api/graphql", problem.Message, StringComparison.Ordinal);
        Assert.Equal("$.sources.github.graphqlUrl", Assert.Single(relative).JsonPath);
        Assert.Empty(same);
    }
}

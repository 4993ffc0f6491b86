using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Notion;
using OkrHost.Testing;

namespace Notion.Tests;

public sealed class NotionSettingsTests
{
    private static IReadOnlyList<Problem> Validate(string json) =>
        TestSources.Validate(new NotionSource(), "notion", JsonNode.Parse(json)!.AsObject(), "secret_x");

    [Theory]
    [InlineData("""{"okrDatabaseId":"5b1d7e0a3c1f4c8e9a572f0d1c6e8b41"}""")]
    [InlineData("""{"postmortemDatabaseId":"a3f4c2d1-7e6b-4b9a-8c0d-1e2f3a4b5c6d"}""")]
    [InlineData("""{"enabled":true,"baseUrl":"https://api.notion.com/","tokenEnv":"NOTION_TOKEN","okrDatabaseId":"5b1d7e0a3c1f4c8e9a572f0d1c6e8b41","postmortemDatabaseId":"a3f4c2d1-7e6b-4b9a-8c0d-1e2f3a4b5c6d","properties":{"target":"Goal"}}""")]
    public void Either_database_id_alone_is_a_complete_configuration(string json) => Assert.Empty(Validate(json));

    [Fact]
    public void Without_any_database_id_the_source_is_not_configured_naming_the_setting()
    {
        var problem = Assert.Single(Validate("{}"));

        Assert.Equal(ProblemSeverity.Missing, problem.Severity);
        Assert.Equal("$.sources.notion.postmortemDatabaseId", problem.JsonPath);
    }

    [Fact]
    public void Wrong_values_are_invalid_and_unknown_keys_are_warnings_each_at_its_json_path()
    {
        var problems = Validate("""
            {"baseUrl":"ftp://notion","okrDatabaseId":"https://www.notion.so/OKRs","postmortemDatabaseId":"a3f4c2d1-7e6b-4b9a-8c0d-1e2f3a4b5c6d",
             "properties":{"target":"","ownerTeam":"Owner"},"postmortemDb":"x"}
            """);

        // The host binds the settings first (unknown keys, nested ones included; none a near-miss of a
        // known one, which would be an error) and owns baseUrl (its config loader rejects ftp://); then
        // the plugin checks the values.
        Assert.Equal(
            [
                (ProblemSeverity.Warning, "$.sources.notion.properties.ownerTeam"),
                (ProblemSeverity.Warning, "$.sources.notion.postmortemDb"),
                (ProblemSeverity.Error, "$.sources.notion.okrDatabaseId"),
                (ProblemSeverity.Error, "$.sources.notion.properties.target"),
            ],
            problems.Select(p => (p.Severity, p.JsonPath)));
    }

    [Fact]
    public void The_catalogue_declares_notion_postmortems_as_a_count()
    {
        var metric = Assert.Single(new NotionSource().Metrics);

        Assert.Equal(("notion.postmortems", MetricUnit.Count, false), (metric.Id, metric.Unit, metric.IsPointInTime));
    }
}

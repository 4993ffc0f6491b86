using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Grafana;
using OkrHost.Testing;

namespace Grafana.Tests;

public sealed class GrafanaSettingsTests
{
    [Fact]
    public void Without_base_url_the_source_is_not_configured_and_says_which_key_is_missing()
    {
        var problems = Validate(new JsonObject());

        var problem = Assert.Single(problems);
        Assert.Equal(ProblemSeverity.Missing, problem.Severity);
        Assert.Equal("$.sources.grafana.baseUrl", problem.JsonPath);
    }

    [Fact]
    public void Defaults_with_a_base_url_are_valid()
    {
        Assert.Empty(Validate(new JsonObject { ["baseUrl"] = "https://acme.grafana.net", ["tokenEnv"] = "GF_TOKEN" }));
    }

    [Fact]
    public void Every_invalid_setting_is_reported_with_its_json_path()
    {
        var problems = Validate(new JsonObject
        {
            ["baseUrl"] = "grafana.example.com",
            ["driftTags"] = new JsonArray(),
            ["findingTags"] = new JsonArray("finding", " "),
            ["tempoDatasourceUid"] = "tempo/eu",
            ["annotationLimit"] = 0,
            ["traceLimit"] = -1,
            ["colour"] = "blue",
        });

        Assert.Equal(
            [
                (ProblemSeverity.Warning, "$.sources.grafana.colour"),
                // The host's config loader rejects the malformed address; the plugin sees none and asks for one.
                (ProblemSeverity.Missing, "$.sources.grafana.baseUrl"),
                (ProblemSeverity.Error, "$.sources.grafana.driftTags"),
                (ProblemSeverity.Error, "$.sources.grafana.findingTags[1]"),
                (ProblemSeverity.Error, "$.sources.grafana.tempoDatasourceUid"),
                (ProblemSeverity.Error, "$.sources.grafana.annotationLimit"),
                (ProblemSeverity.Error, "$.sources.grafana.traceLimit"),
            ],
            problems.Select(p => (p.Severity, p.JsonPath)));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_invalid()
    {
        var problems = Validate(new JsonObject { ["baseUrl"] = "https://g.example.com/", ["driftTags"] = "drift" });

        Assert.Contains(problems, p => p.Severity == ProblemSeverity.Error && p.JsonPath.StartsWith("$.sources.grafana", StringComparison.Ordinal));
    }

    private static IReadOnlyList<Problem> Validate(JsonObject settings) =>
        TestSources.Validate(new GrafanaSource(), "grafana", settings, "glsa_x");
}

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
        Assert.Equal(SettingProblemKind.Missing, problem.Kind);
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
                (SettingProblemKind.Unknown, "$.sources.grafana.colour"),
                // The host's config loader rejects the malformed address; the plugin sees none and asks for one.
                (SettingProblemKind.Missing, "$.sources.grafana.baseUrl"),
                (SettingProblemKind.Invalid, "$.sources.grafana.driftTags"),
                (SettingProblemKind.Invalid, "$.sources.grafana.findingTags[1]"),
                (SettingProblemKind.Invalid, "$.sources.grafana.tempoDatasourceUid"),
                (SettingProblemKind.Invalid, "$.sources.grafana.annotationLimit"),
                (SettingProblemKind.Invalid, "$.sources.grafana.traceLimit"),
            ],
            problems.Select(p => (p.Kind, p.JsonPath)));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_invalid()
    {
        var problems = Validate(new JsonObject { ["baseUrl"] = "https://g.example.com/", ["driftTags"] = "drift" });

        Assert.Contains(problems, p => p.Kind == SettingProblemKind.Invalid && p.JsonPath.StartsWith("$.sources.grafana", StringComparison.Ordinal));
    }

    private static IReadOnlyList<SettingProblem> Validate(JsonObject settings) =>
        TestSources.Validate(new GrafanaSource(), "grafana", settings, "glsa_x");
}

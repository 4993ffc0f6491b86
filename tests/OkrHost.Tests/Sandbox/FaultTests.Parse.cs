using OkrHost.Sandbox;

namespace OkrHost.Tests.Sandbox;

public sealed class FaultSpecParseTests
{
    [Fact]
    public void Rules_read_service_kind_rate_and_count_with_defaults()
    {
        var rules = FaultSpec.Parse("github:rate-limit:0.2, slack:server-error:0.1:3,notion:outage,*:auth-failure");

        Assert.Equal(
            [
                new FaultSpec(FaultKind.RateLimit, "github", 0.2),
                new FaultSpec(FaultKind.ServerError, "slack", 0.1, 3),
                new FaultSpec(FaultKind.Outage, "notion"),
                new FaultSpec(FaultKind.AuthFailure, null),
            ],
            rules);
    }

    [Fact]
    public void Every_kind_has_a_kebab_case_name()
    {
        Assert.Equal(
            ["rate-limit", "server-error", "drop", "slow", "malformed", "auth-failure", "outage", "heavy-query", "partial-data"],
            Enum.GetValues<FaultKind>().Select(FaultSpec.KebabCase));
        Assert.All(Enum.GetValues<FaultKind>(), kind => Assert.Equal(kind, Assert.Single(FaultSpec.Parse($"linear:{FaultSpec.KebabCase(kind)}")).Kind));
    }

    [Theory]
    [InlineData("", "no fault rules given: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2")]
    [InlineData("github", "fault rule 'github' is malformed: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2")]
    [InlineData("github:drop:0.5:2:9", "fault rule 'github:drop:0.5:2:9' is malformed: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2")]
    [InlineData("github:drop,", "fault rule '' is malformed: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2")]
    [InlineData("gihub:drop", "fault rule 'gihub:drop': unknown service 'gihub' (expected *, github, linear, slack, grafana, notion)")]
    [InlineData("github:ratelimit", "fault rule 'github:ratelimit': unknown kind 'ratelimit' (expected rate-limit, server-error, drop, slow, malformed, auth-failure, outage, heavy-query, partial-data)")]
    [InlineData("github:drop:1.5", "fault rule 'github:drop:1.5': rate '1.5' must be a number greater than 0 and at most 1")]
    [InlineData("github:drop:0", "fault rule 'github:drop:0': rate '0' must be a number greater than 0 and at most 1")]
    [InlineData("github:drop:often", "fault rule 'github:drop:often': rate 'often' must be a number greater than 0 and at most 1")]
    [InlineData("github:drop:0.5:0", "fault rule 'github:drop:0.5:0': count '0' must be a whole number of at least 1")]
    [InlineData("github:drop:0.5:-3", "fault rule 'github:drop:0.5:-3': count '-3' must be a whole number of at least 1")]
    public void Bad_rules_are_refused_with_a_message_naming_the_rule_and_the_problem(string text, string message)
    {
        var failure = Assert.Throws<FormatException>(() => FaultSpec.Parse(text));

        Assert.Equal(message, failure.Message);
    }

    [Fact]
    public void A_missing_text_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => FaultSpec.Parse(null!));
    }
}

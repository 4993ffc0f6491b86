using System.Text;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Running;

namespace OkrHost.Tests.Running;

public class FactJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void A_fact_set_reads_back_as_the_same_typed_facts_with_its_window_collection_time_and_notes()
    {
        var facts = new FactSet
        {
            Window = new ReportPeriod(At.AddDays(-120), At),
            CollectedAt = At,
            Facts =
            [
                new DeploymentFact("d1", "acme/api", "production", "abc123", At.AddDays(-3), DeploymentOutcome.Failure) { Url = "https://example.test/d1", UpdatedAt = At.AddDays(-3) },
                new IncidentFact("i1", "#inc-checkout", At.AddDays(-2), null),
                new PostmortemFact("p1", "Checkout outage", At.AddDays(-1)),
                new ChangeFact("c1", "acme/api", "abc123", At.AddDays(-4), At.AddDays(-3)),
            ],
            Notes = ["the search was split in two"],
        };
        var json = new FactJson([]);

        var text = Serialize(json, facts);
        var back = json.Deserialize(new MemoryStream(Encoding.UTF8.GetBytes(text)));

        Assert.Equal(facts.Window, back.Window);
        Assert.Equal(facts.CollectedAt, back.CollectedAt);
        Assert.Equal(facts.Facts, back.Facts);
        Assert.Equal(facts.Notes, back.Notes);
        Assert.Contains("\"kind\":\"deployment\"", text, StringComparison.Ordinal);
        Assert.Equal(text, Serialize(json, back));
    }

    [Fact]
    public void A_fact_of_a_kind_no_installed_plugin_declares_is_refused()
    {
        var text = $$"""{"window":{"from":"{{At.AddDays(-7):O}}","to":"{{At:O}}"},"collectedAt":"{{At:O}}","facts":[{"kind":"pager.page","id":"x"}]}""";

        Assert.ThrowsAny<JsonException>(() => new FactJson([]).Deserialize(new MemoryStream(Encoding.UTF8.GetBytes(text))));
    }

    [Fact]
    public void A_fact_type_without_a_kind_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new FactJson([typeof(Unnamed)]));
    }

    private static string Serialize(FactJson json, FactSet facts)
    {
        using var utf8 = new MemoryStream();
        json.Serialize(utf8, facts);
        return Encoding.UTF8.GetString(utf8.ToArray());
    }

    private sealed record Unnamed(string Id) : Fact(Id);
}

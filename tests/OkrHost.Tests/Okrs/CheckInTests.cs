using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Okrs;
using OkrHost.Testing;

namespace OkrHost.Tests.Okrs;

public class CheckInTests
{
    private static readonly HashSet<string> Metrics = ["grafana.drifts"];

    [Fact]
    public void Okrs_json_carries_each_key_results_confidence_and_note_into_the_scored_report()
    {
        using var folder = new TempFolder();
        var path = folder.File("okrs.json", """
            { "objectives": [ { "title": "Keep production honest", "keyResults": [
              { "title": "No more than 5 drifts a month", "metric": "grafana.drifts", "target": 5, "direction": "decrease",
                "confidence": "On track", "note": "one module re-applies tags" },
              { "title": "No check-in", "metric": "grafana.drifts", "target": 5, "direction": "decrease" } ] } ] }
            """);
        var problems = new List<Problem>();

        var document = OkrFileLoader.Load(path, "okrs.json", problems, Metrics);
        var scored = OkrScorer.Score(document.Objectives, new Dictionary<string, double?> { ["grafana.drifts"] = 17 });

        Assert.Empty(problems);
        var (checkedIn, silent) = (scored[0].KeyResults[0], scored[0].KeyResults[1]);
        Assert.Equal(KeyResultConfidence.OnTrack, checkedIn.Confidence);
        Assert.Equal("one module re-applies tags", checkedIn.Note);
        Assert.Null(silent.Confidence);
        Assert.Null(silent.Note);
        var json = OkrHost.Reporting.SnapshotJson.Serialize(OkrHost.Testing.SampleSnapshots.Full() with { Okrs = scored });
        Assert.Contains("\"confidence\": \"on-track\"", json, StringComparison.Ordinal);
        Assert.Contains("\"note\": \"one module re-applies tags\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_confidence_that_names_none_is_an_error_at_its_json_path()
    {
        using var folder = new TempFolder();
        var path = folder.File("okrs.json", """
            { "objectives": [ { "title": "O", "keyResults": [ { "title": "K", "metric": "grafana.drifts", "target": 5, "confidence": "great" } ] } ] }
            """);
        var problems = new List<Problem>();

        OkrFileLoader.Load(path, "okrs.json", problems, Metrics);

        var problem = Assert.Single(problems);
        Assert.Equal("$.objectives[0].keyResults[0].confidence", problem.JsonPath);
        Assert.Equal("'great' must be on-track, at-risk or off-track", problem.Message);
    }
}

using Microsoft.Extensions.AI;
using OkrHost.Insights;
using OkrHost.Testing;

namespace OkrHost.Tests.Insights;

public class NarrativeTests
{
    [Fact]
    public async Task Prose_whose_numbers_are_all_facts_is_kept_and_names_the_model()
    {
        var snapshot = SampleSnapshots.WithTrends();
        var insights = WhatChanged.Find(snapshot, null);
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text(
            "Deployments reached 9.48 a week against a target of 10, and the change failure rate fell 47.2% to 7.1%. War rooms took 13.1 hours at the median."));

        var narrative = await NarrativeWriter.WriteAsync(model, "openai model test", snapshot, insights, CancellationToken.None);

        Assert.Null(narrative.Note);
        Assert.Equal("openai model test", narrative.Model);
        Assert.StartsWith("Deployments reached 9.48", narrative.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_summary_may_compare_a_dora_score_with_its_industry_benchmark()
    {
        var snapshot = SampleSnapshots.WithDoraScores();
        var overall = snapshot.Metrics.Single(m => m.Id == "dora.score.overall").Value!.Value;
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text(
            $"The DORA overall score is {overall:0.00} against the technology industry's 6.76 (sd 1.2) in the 2025 edition."));

        var narrative = await NarrativeWriter.WriteAsync(model, "openai model test", snapshot, WhatChanged.Find(snapshot, null), CancellationToken.None);

        Assert.True(narrative.Note is null, narrative.Note);
        Assert.Contains("6.76", narrative.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prose_with_a_number_that_is_no_fact_is_rejected_and_the_note_names_it()
    {
        var snapshot = SampleSnapshots.WithTrends();
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text("Deployments reached 9.48 a week, up 3.14% on last quarter's 7.7."));

        var narrative = await NarrativeWriter.WriteAsync(model, "openai model test", snapshot, WhatChanged.Find(snapshot, null), CancellationToken.None);

        Assert.Null(narrative.Text);
        Assert.Equal("the narrative was not used: it states \"3.14%\", \"7.7\", which are not among the report's facts", narrative.Note);
    }

    [Fact]
    public async Task A_failing_model_leaves_a_note_not_an_exception()
    {
        var snapshot = SampleSnapshots.Full();
        var model = new ScriptedChatClient(_ => throw new HttpRequestException("connection refused"));

        var narrative = await NarrativeWriter.WriteAsync(model, "ollama model llama3.2", snapshot, [], CancellationToken.None);

        Assert.Null(narrative.Text);
        Assert.Equal("no narrative: the model could not be reached", narrative.Note);
    }

    [Fact]
    public async Task The_model_is_given_the_facts_only()
    {
        var snapshot = SampleSnapshots.WithTrends();
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text("Nothing to add."));

        await NarrativeWriter.WriteAsync(model, "m", snapshot, WhatChanged.Find(snapshot, null), CancellationToken.None);

        var sent = string.Join("\n", Assert.Single(model.Requests).Select(m => m.Text));
        Assert.Contains("\"github.deployments_per_week\"", sent, StringComparison.Ordinal);
        Assert.Contains("Deploy to production 10+ times a week", sent, StringComparison.Ordinal);
        // Tables, series and source details are not facts the summary may use.
        Assert.DoesNotContain("ENG-1412", sent, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", sent, StringComparison.Ordinal);
        Assert.Equal(ChatRole.System, model.Requests[0][0].Role);
    }
}

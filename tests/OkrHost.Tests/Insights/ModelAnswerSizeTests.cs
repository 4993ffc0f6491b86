using OkrHost.Insights;
using OkrHost.Testing;

namespace OkrHost.Tests.Insights;

/// <summary>PRODUCT.md section 7, Sizes: what a model returns is capped like plugin text, with a marker where it was cut.</summary>
public class ModelAnswerSizeTests
{
    private static readonly string Huge = string.Concat(Enumerable.Repeat("The deployments went well and nothing else happened. ", 200_000));

    [Fact]
    public async Task A_runaway_narrative_is_cut_to_4000_characters_with_a_marker()
    {
        var snapshot = SampleSnapshots.WithTrends();
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text(Huge));

        var narrative = await NarrativeWriter.WriteAsync(model, "m", snapshot, WhatChanged.Find(snapshot, null), CancellationToken.None);

        Assert.NotNull(narrative.Text);
        Assert.True(narrative.Text.Length <= 4_100, $"{narrative.Text.Length} characters kept");
        Assert.StartsWith(Huge[..3_000], narrative.Text, StringComparison.Ordinal);
        Assert.Contains("[truncated:", narrative.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_runaway_ask_answer_is_cut_to_20000_characters_with_a_marker()
    {
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Text(Huge));

        var answer = await AskSession.AskAsync(model, "m", SampleSnapshots.Full(), NoRunHistory.Instance, "anything?", CancellationToken.None);

        Assert.True(answer.Answer.Length <= 20_100, $"{answer.Answer.Length} characters kept");
        Assert.StartsWith(Huge[..19_000], answer.Answer, StringComparison.Ordinal);
        Assert.Contains("[truncated:", answer.Answer, StringComparison.Ordinal);
    }
}

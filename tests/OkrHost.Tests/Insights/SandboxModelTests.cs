using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Sandbox.Model;
using OkrHost.Testing;
using OkrHost.Configuration;

namespace OkrHost.Tests.Insights;

/// <summary>The sandbox's scripted model, through the host's OpenAI-compatible chat client and HTTP pipeline.</summary>
public sealed class SandboxModelTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly SourceHttpFactory _http = new(new HttpPolicy(), Serilog.Core.Logger.None, TimeProvider.System);

    private LlmSettings Settings => new(LlmProvider.OpenAI, sandbox.Server.ModelBaseUrl, ScriptedModel.ModelName, "MODEL_KEY");

    [Fact]
    public async Task Ask_lists_the_key_results_fetches_their_metrics_and_answers_with_the_numbers_of_the_tool_results()
    {
        using var model = LanguageModel.Create(Settings, ScriptedModel.ApiKey, _http, CancellationToken.None);

        var answer = await AskSession.AskAsync(model.Client, Settings.DisplayName, SampleSnapshots.Full(), NoRunHistory.Instance, "Which key results got worse?", CancellationToken.None);

        Assert.Equal("list_key_results()", answer.ToolCalls[0]);
        Assert.Equal(
            ["github.deployments_per_week", "github.lead_time_hours.p50", "dora.change_failure_rate", "linear.urgent_bug_resolution_hours.p50",
             "linear.urgent_bugs_open", "slack.war_room_duration_hours.p50", "dora.postmortem_coverage", "grafana.drifts", "slack.war_rooms_opened"],
            answer.MetricsUsed);
        Assert.Equal(
            "2 of the 9 key results got worse against the previous period:\n"
            + "- “Resolve urgent bugs within 24 hours” (linear.urgent_bug_resolution_hours.p50): 26.0 h → 30.2 h, status on-track → on-track, target 24.0 h.\n"
            + "- “Close war rooms within 8 hours” (slack.war_room_duration_hours.p50): 9.4 h → 13.1 h, status on-track → off-track, target 8.0 h.",
            answer.Answer);
        Assert.Equal(3, model.SourceHttp.Requests);
    }

    [Fact]
    public async Task A_question_naming_a_metric_fetches_that_metric_and_its_history()
    {
        using var model = LanguageModel.Create(Settings, ScriptedModel.ApiKey, _http, CancellationToken.None);

        var answer = await AskSession.AskAsync(model.Client, Settings.DisplayName, SampleSnapshots.Full(), NoRunHistory.Instance,
            "what is the history of github.deployments?", CancellationToken.None);

        Assert.Equal(["list_metrics()", "get_metric(github.deployments)", "get_history(github.deployments, 13)"], answer.ToolCalls);
        Assert.Equal(["github.deployments"], answer.MetricsUsed);
        Assert.Equal(
            "From the report:\n- github.deployments (Production deployments): 42 this period, 37 the period before.\n"
            + "The history store holds no earlier values of github.deployments.",
            answer.Answer);
    }

    [Fact]
    public async Task The_narrative_of_the_sandbox_model_passes_the_number_check_and_the_prompt_holds_no_key()
    {
        using var model = LanguageModel.Create(Settings, ScriptedModel.ApiKey, _http, CancellationToken.None);
        var snapshot = SampleSnapshots.WithTrends();
        var before = sandbox.Server.Model.Received.Count;

        var narrative = await NarrativeWriter.WriteAsync(model.Client, Settings.DisplayName, snapshot, WhatChanged.Find(snapshot, null), CancellationToken.None);

        Assert.Null(narrative.Note);
        Assert.StartsWith("“Ship small, ship often” is on-track at 87% progress. “Fix what hurts customers first” is off-track at 35% progress.", narrative.Text, StringComparison.Ordinal);
        Assert.Contains(SampleSnapshots.GrafanaError, narrative.Text, StringComparison.Ordinal);
        var prompt = Assert.Single(sandbox.Server.Model.Received.Skip(before));
        Assert.DoesNotContain(ScriptedModel.ApiKey, prompt, StringComparison.Ordinal);
        Assert.DoesNotContain("\"tools\"", prompt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_key_is_a_note_naming_the_status_not_a_failed_report()
    {
        using var model = LanguageModel.Create(Settings, "sk-wrong", _http, CancellationToken.None);

        var narrative = await NarrativeWriter.WriteAsync(model.Client, Settings.DisplayName, SampleSnapshots.Full(), [], CancellationToken.None, Settings.ApiKeyEnv);

        // A rejected key names the variable to check, as a source names its token's (PRODUCT.md section 13).
        Assert.Equal("no narrative: the model answered HTTP 401: it rejected the API key; check the variable MODEL_KEY (insights.llm.apiKeyEnv)", narrative.Note);
    }

    [Fact]
    public void A_missing_key_is_reported_with_the_variable_that_should_hold_it()
    {
        var error = Assert.Throws<LanguageModelUnavailableException>(() => LanguageModel.Create(Settings, null, _http, CancellationToken.None));

        Assert.Equal("environment variable MODEL_KEY (insights.llm.apiKeyEnv) is not set: the openai model okrhost-sandbox-scripted needs an API key", error.Message);
    }

    public void Dispose() => _http.Dispose();
}

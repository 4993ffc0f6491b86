using OkrHost.History;
using OkrHost.Insights;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Insights;

public class AskSessionTests
{
    [Fact]
    public async Task The_loop_runs_the_tools_the_model_calls_and_returns_the_answer_with_the_metrics_used()
    {
        var model = new ScriptedChatClient(
            _ => ScriptedChatClient.Calls(("list_key_results", [])),
            _ => ScriptedChatClient.Calls(("get_metric", new() { ["id"] = "github.deployments_per_week" }), ("get_history", new() { ["id"] = "github.deployments_per_week", ["weeks"] = 4 })),
            _ => ScriptedChatClient.Text("Deployments per week went from 8.35 to 9.48."));
        var history = new FixedHistory(new StoredMetricValue(1, SampleSnapshots.GeneratedAt.AddDays(-7), SampleSnapshots.From, SampleSnapshots.To, "github.deployments_per_week", "github", "per week", 8.9, 8.35, 12));

        var answer = await AskSession.AskAsync(model, "m", SampleSnapshots.WithTrends(), history, "how are deployments doing?", CancellationToken.None);

        Assert.Equal("Deployments per week went from 8.35 to 9.48.", answer.Answer);
        Assert.Equal(["github.deployments_per_week"], answer.MetricsUsed);
        Assert.Equal(["list_key_results()", "get_metric(github.deployments_per_week)", "get_history(github.deployments_per_week, 4)"], answer.ToolCalls);
        Assert.Equal(("github.deployments_per_week", 4), history.Asked);

        // The third request carries the tool results: the metric with its trend, and the stored value.
        var results = string.Join("\n", model.Requests[2].SelectMany(m => m.Contents).OfType<Microsoft.Extensions.AI.FunctionResultContent>().Select(r => System.Text.Json.JsonSerializer.Serialize(r.Result)));
        Assert.Contains("9.48", results, StringComparison.Ordinal);
        Assert.Contains("8.9", results, StringComparison.Ordinal);
        Assert.Contains("Ship small, ship often", results, StringComparison.Ordinal);
        // get_history returns the owners' past notes beside the stored values.
        Assert.Contains("release freeze", results, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_loop_stops_after_eight_rounds_of_tool_calls()
    {
        var model = new ScriptedChatClient(_ => ScriptedChatClient.Calls(("list_metrics", [])));

        var answer = await AskSession.AskAsync(model, "m", SampleSnapshots.Full(), NoRunHistory.Instance, "loop forever", CancellationToken.None);

        Assert.Equal(AskSession.MaxRounds, answer.ToolCalls.Count);
        Assert.Empty(answer.MetricsUsed);
    }

    [Fact]
    public async Task An_unknown_metric_id_is_an_error_result_not_a_used_metric()
    {
        var tools = new AskTools(SampleSnapshots.Full(), NoRunHistory.Instance);

        var result = System.Text.Json.JsonSerializer.Serialize(tools.GetMetric("github.nope"), SnapshotJson.Options);

        Assert.Contains("no metric 'github.nope'", result, StringComparison.Ordinal);
        Assert.Empty(tools.MetricsUsed);
    }

    [Fact]
    public void A_dora_score_comes_with_its_benchmark_and_other_metrics_without_one()
    {
        var tools = new AskTools(SampleSnapshots.WithDoraScores(), NoRunHistory.Instance);

        using var score = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(tools.GetMetric("dora.score.change_failure"), SnapshotJson.Options));
        using var rate = System.Text.Json.JsonDocument.Parse(System.Text.Json.JsonSerializer.Serialize(tools.GetMetric("dora.change_failure_rate"), SnapshotJson.Options));

        var benchmark = score.RootElement.GetProperty("benchmark");
        Assert.Equal("score", score.RootElement.GetProperty("unit").GetString());
        Assert.Equal(("2025", "Technology", "20 to 99 employees"), (benchmark.GetProperty("edition").GetString(), benchmark.GetProperty("industry").GetString(), benchmark.GetProperty("organizationSize").GetString()));
        Assert.Equal((8.1, 2.0, 8.3, 1.8), (benchmark.GetProperty("industryMean").GetDouble(), benchmark.GetProperty("industrySd").GetDouble(), benchmark.GetProperty("sizeMean").GetDouble(), benchmark.GetProperty("sizeSd").GetDouble()));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, rate.RootElement.GetProperty("benchmark").ValueKind);
        Assert.Equal(["dora.score.change_failure", "dora.change_failure_rate"], tools.MetricsUsed);
    }

    private sealed class FixedHistory(params StoredMetricValue[] values) : IRunHistory
    {
        public (string, int)? Asked { get; private set; }

        public Task<ReportSnapshot?> PreviousRunAsync(ReportSnapshot current, CancellationToken cancellationToken) => Task.FromResult<ReportSnapshot?>(null);

        public Task<IReadOnlyList<StoredMetricValue>> MetricValuesAsync(string metricId, DateTimeOffset until, int weeks, CancellationToken cancellationToken)
        {
            Asked = (metricId, weeks);
            return Task.FromResult<IReadOnlyList<StoredMetricValue>>(values);
        }

        public Task<IReadOnlyList<StoredCheckIn>> CheckInsAsync(IReadOnlyCollection<long> runIds, string metricId, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<StoredCheckIn>>(runIds.Select(id => new StoredCheckIn(id, SampleSnapshots.GeneratedAt.AddDays(-7), "Ship small, ship often", "Deploy often", metricId, "at-risk", "release freeze")).ToArray());
    }
}

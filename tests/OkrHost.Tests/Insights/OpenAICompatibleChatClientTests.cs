using System.ComponentModel;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;
using OkrHost.Configuration;
using OkrHost.Http;
using OkrHost.Insights;
using OkrHost.Tests.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Insights;

/// <summary>The chat-completions wire format the host's own client writes and reads, against a recorded-style server.</summary>
public sealed class OpenAICompatibleChatClientTests : IDisposable
{
    private const string Key = "sk-wire-0000";
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly SourceHttpFactory _http = new(new HttpPolicy(), Serilog.Core.Logger.None, TimeProvider.System);

    public void Dispose() => _server.Stop();

    private LlmSettings Settings => new(LlmProvider.OpenAI, new Uri(_server.LoopbackUrl(), "v1/"), "gpt-test", "MODEL_KEY");

    [Fact]
    public async Task A_tool_call_round_trip_sends_the_tools_the_call_and_its_result_and_reads_the_final_answer()
    {
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost()).InScenario("tool").WillSetStateTo("called")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"c1","model":"gpt-test","choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant","content":null,
                 "tool_calls":[{"id":"call_1","type":"function","function":{"name":"metric","arguments":"{\"id\":\"github.deployments_per_week\"}"}}]}}],
                 "usage":{"prompt_tokens":40,"completion_tokens":12,"total_tokens":52}}
                """));
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost()).InScenario("tool").WhenStateIs("called")
            .RespondWith(Response.Create().WithStatusCode(200).WithHeader("Content-Type", "application/json").WithBody("""
                {"id":"c2","model":"gpt-test","choices":[{"index":0,"finish_reason":"stop","message":{"role":"assistant","content":"4.5 deploys a week."}}],
                 "usage":{"prompt_tokens":70,"completion_tokens":6,"total_tokens":76}}
                """));
        using var model = LanguageModel.Create(Settings, Key, _http, CancellationToken.None);
        using var client = new ChatClientBuilder(model.Client).UseFunctionInvocation().Build();
        var metric = AIFunctionFactory.Create(([Description("The metric's id")] string id) => new { id, value = 4.5 }, "metric", "One metric's value");

        var response = await client.GetResponseAsync(
            [new ChatMessage(ChatRole.System, "Answer from the tools."), new ChatMessage(ChatRole.User, "How often do we deploy?")],
            new ChatOptions { Tools = [metric], Temperature = 0.2f, MaxOutputTokens = 300 });

        Assert.Equal("4.5 deploys a week.", response.Text);
        Assert.Equal(2, model.SourceHttp.Requests);
        var requests = _server.LogEntries.Select(entry => entry.RequestMessage).ToList();
        Assert.All(requests, request => Assert.Equal($"Bearer {Key}", request.Headers!["Authorization"].Single()));
        var first = JsonNode.Parse(requests[0].Body!)!;
        Assert.Equal("gpt-test", first["model"]!.GetValue<string>());
        Assert.Equal(0.2, first["temperature"]!.GetValue<double>(), 3);
        Assert.Equal(300, first["max_tokens"]!.GetValue<int>());
        Assert.Equal(["system", "user"], first["messages"]!.AsArray().Select(m => m!["role"]!.GetValue<string>()));
        var tool = first["tools"]![0]!;
        Assert.Equal("function", tool["type"]!.GetValue<string>());
        Assert.Equal("metric", tool["function"]!["name"]!.GetValue<string>());
        Assert.Equal("One metric's value", tool["function"]!["description"]!.GetValue<string>());
        Assert.Equal("string", tool["function"]!["parameters"]!["properties"]!["id"]!["type"]!.GetValue<string>());

        var second = JsonNode.Parse(requests[1].Body!)!["messages"]!.AsArray();
        Assert.Equal(["system", "user", "assistant", "tool"], second.Select(m => m!["role"]!.GetValue<string>()));
        var call = second[2]!["tool_calls"]![0]!;
        Assert.Equal("call_1", call["id"]!.GetValue<string>());
        Assert.Equal("metric", call["function"]!["name"]!.GetValue<string>());
        Assert.Equal("github.deployments_per_week", JsonNode.Parse(call["function"]!["arguments"]!.GetValue<string>())!["id"]!.GetValue<string>());
        Assert.Equal("call_1", second[3]!["tool_call_id"]!.GetValue<string>());
        var result = JsonNode.Parse(second[3]!["content"]!.GetValue<string>())!;
        Assert.Equal(4.5, result["value"]!.GetValue<double>());
        // The tool loop adds up both answers' usage: 52 + 76.
        Assert.Equal(128, response.Usage!.TotalTokenCount);
    }

    [Fact]
    public async Task A_rejected_key_surfaces_as_its_status_naming_the_variable()
    {
        _server.Given(Request.Create().WithPath("/v1/chat/completions").UsingPost())
            .RespondWith(Response.Create().WithStatusCode(403).WithBody("""{"error":{"message":"bad key sk-wire-0000"}}"""));
        using var model = LanguageModel.Create(Settings, Key, _http, CancellationToken.None);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => model.Client.GetResponseAsync("hello"));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal("the model answered HTTP 403: it rejected the API key; check the variable MODEL_KEY (insights.llm.apiKeyEnv)",
            LanguageModel.Describe(error, Settings.ApiKeyEnv));
    }
}

using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace OkrHost.Insights;

/// <summary>
/// The OpenAI chat-completions API (<c>POST chat/completions</c>) spoken over the host's own
/// <see cref="HttpClient"/>: the one call the insights need, without a vendor SDK (issue #22's package size).
/// The client's base address ends in <c>/v1/</c> and carries the bearer key; tool calls are only
/// requested and answered here, <see cref="FunctionInvokingChatClient"/> runs them.
/// </summary>
public sealed class OpenAICompatibleChatClient(HttpClient http, string model) : IChatClient
{
    private static readonly JsonSerializerOptions Json = AIJsonUtilities.DefaultOptions;

    private readonly ChatClientMetadata _metadata = new("openai", http.BaseAddress, model);

    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        using var content = new StringContent(Request(messages, options).ToJsonString(), System.Text.Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("chat/completions", UriKind.Relative), content, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            // The body may echo the request; callers describe the failure by its status alone.
            throw new HttpRequestException($"the model answered HTTP {(int)response.StatusCode}", null, response.StatusCode);
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        return Response(JsonNode.Parse(body) ?? throw new JsonException("the model answered with an empty body"));
    }

    /// <summary>The insights read whole answers, so one update carrying the complete response is enough.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) => serviceKey is not null
        ? null
        : serviceType == typeof(ChatClientMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    /// <summary>The <see cref="HttpClient"/> belongs to the caller's pipeline, which disposes it.</summary>
    public void Dispose()
    {
    }

    private JsonObject Request(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        var request = new JsonObject
        {
            ["model"] = options?.ModelId ?? model,
            ["messages"] = new JsonArray([.. messages.SelectMany(Messages)]),
        };
        var tools = options?.Tools?.OfType<AIFunctionDeclaration>().ToList() ?? [];
        if (tools.Count > 0)
        {
            request["tools"] = new JsonArray([.. tools.Select(Tool)]);
        }

        if (options?.Temperature is { } temperature)
        {
            request["temperature"] = temperature;
        }

        if (options?.MaxOutputTokens is { } maxTokens)
        {
            request["max_tokens"] = maxTokens;
        }

        return request;
    }

    private static JsonNode Tool(AIFunctionDeclaration function) => new JsonObject
    {
        ["type"] = "function",
        ["function"] = new JsonObject
        {
            ["name"] = function.Name,
            ["description"] = function.Description,
            ["parameters"] = JsonNode.Parse(function.JsonSchema.GetRawText()),
        },
    };

    /// <summary>One chat message as the API's messages: each tool result is a message of its own.</summary>
    private static IEnumerable<JsonNode> Messages(ChatMessage message)
    {
        foreach (var result in message.Contents.OfType<FunctionResultContent>())
        {
            yield return new JsonObject { ["role"] = "tool", ["tool_call_id"] = result.CallId, ["content"] = ResultText(result.Result) };
        }

        var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (text.Length == 0 && calls.Count == 0)
        {
            yield break;
        }

        var node = new JsonObject { ["role"] = message.Role.Value, ["content"] = text.Length == 0 ? null : text };
        if (calls.Count > 0)
        {
            node["tool_calls"] = new JsonArray([.. calls.Select(call => (JsonNode)new JsonObject
            {
                ["id"] = call.CallId,
                ["type"] = "function",
                ["function"] = new JsonObject
                {
                    ["name"] = call.Name,
                    ["arguments"] = JsonSerializer.Serialize(call.Arguments ?? new Dictionary<string, object?>(), Json.GetTypeInfo(typeof(IDictionary<string, object?>))),
                },
            })]);
        }

        yield return node;
    }

    /// <summary>A string result is sent as it is; anything else as its JSON.</summary>
    private static string ResultText(object? result) => result as string ?? JsonSerializer.Serialize(result, Json.GetTypeInfo(typeof(object)));

    private ChatResponse Response(JsonNode body)
    {
        var choice = body["choices"]?[0] ?? throw new JsonException("the model's answer has no choices[0]");
        var message = choice["message"] ?? throw new JsonException("the model's answer has no choices[0].message");
        var contents = new List<AIContent>();
        if (message["content"]?.GetValue<string>() is { Length: > 0 } text)
        {
            contents.Add(new TextContent(text));
        }

        foreach (var call in message["tool_calls"]?.AsArray() ?? [])
        {
            var function = call?["function"] ?? throw new JsonException("the model's tool call has no function");
            contents.Add(FunctionCallContent.CreateFromParsedArguments(
                function["arguments"]?.GetValue<string>() ?? "{}",
                call["id"]?.GetValue<string>() ?? "",
                function["name"]?.GetValue<string>() ?? "",
                static arguments => JsonSerializer.Deserialize(arguments, Json.GetTypeInfo(typeof(IDictionary<string, object?>))) as IDictionary<string, object?>));
        }

        return new ChatResponse(new ChatMessage(ChatRole.Assistant, contents))
        {
            ResponseId = body["id"]?.GetValue<string>(),
            ModelId = body["model"]?.GetValue<string>() ?? model,
            FinishReason = choice["finish_reason"]?.GetValue<string>() switch
            {
                "stop" => ChatFinishReason.Stop,
                "length" => ChatFinishReason.Length,
                "tool_calls" => ChatFinishReason.ToolCalls,
                "content_filter" => ChatFinishReason.ContentFilter,
                { } other => new ChatFinishReason(other),
                null => null,
            },
            Usage = body["usage"] is { } usage ? new UsageDetails
            {
                InputTokenCount = usage["prompt_tokens"]?.GetValue<long>(),
                OutputTokenCount = usage["completion_tokens"]?.GetValue<long>(),
                TotalTokenCount = usage["total_tokens"]?.GetValue<long>(),
            } : null,
        };
    }
}

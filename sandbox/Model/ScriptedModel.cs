using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Model;

/// <summary>
/// An OpenAI-compatible chat-completions endpoint (<c>/openai/v1/chat/completions</c>) with a scripted,
/// deterministic model, so the demo and the tests need no real one. It speaks the real protocol
/// (bearer key, <c>choices[].message.tool_calls</c> with JSON-string arguments, <c>finish_reason</c>,
/// <c>usage</c>) and behaves like a careful model:
/// <list type="bullet">
/// <item>offered tools and no tool results yet: lists the key results (a question about key results,
/// OKRs, status or getting worse) or the metrics (anything else);</item>
/// <item>after a listing: fetches <c>get_metric</c> for the metrics the question names, else for every
/// key result's metric (or the first three metrics), plus <c>get_history</c> when it asks about history;</item>
/// <item>after fetching: answers in prose built only from the tool results, numbers copied as they came;</item>
/// <item>no tools (the report's narrative): writes prose from the facts JSON in the prompt.</item>
/// </list>
/// Every request body is kept in <see cref="Received"/> so tests can check what a model would see.
/// </summary>
public sealed class ScriptedModel
{
    /// <summary>Path prefix on the sandbox's port.</summary>
    public const string Prefix = "openai";

    /// <summary>The one model name served.</summary>
    public const string ModelName = "okrhost-sandbox-scripted";

    /// <summary>The API key the endpoint accepts.</summary>
    public const string ApiKey = "sk-sandbox-okrhost-scripted-model";

    private readonly List<string> _received = [];
    private int _completions;

    /// <summary>Raw request bodies, oldest first.</summary>
    public IReadOnlyList<string> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Maps the endpoints under <c>/openai</c>.</summary>
    public void Map(IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v1/chat/completions", (Func<HttpContext, Task<IResult>>)HandleAsync);
        routes.MapGet("/v1/models", (HttpContext context) => Authorized(context)
            ? Results.Json(new JsonObject { ["object"] = "list", ["data"] = new JsonArray(new JsonObject { ["id"] = ModelName, ["object"] = "model", ["owned_by"] = "okrhost" }) })
            : Unauthorized());
    }

    private static bool Authorized(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() == "Bearer " + ApiKey;

    private static IResult Unauthorized() => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = "Incorrect API key provided.", ["type"] = "invalid_request_error", ["code"] = "invalid_api_key" } },
        statusCode: StatusCodes.Status401Unauthorized);

    private static IResult BadRequest(string message) => Results.Json(
        new JsonObject { ["error"] = new JsonObject { ["message"] = message, ["type"] = "invalid_request_error" } },
        statusCode: StatusCodes.Status400BadRequest);

    private async Task<IResult> HandleAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var raw = await reader.ReadToEndAsync(context.RequestAborted);
        lock (_received)
        {
            _received.Add(raw);
        }

        if (!Authorized(context))
        {
            return Unauthorized();
        }

        JsonObject request;
        try
        {
            request = JsonNode.Parse(raw) as JsonObject ?? throw new JsonException("not an object");
        }
        catch (JsonException ex)
        {
            return BadRequest($"We could not parse the JSON body of your request: {ex.Message}");
        }

        if (request["model"]?.GetValue<string>() != ModelName)
        {
            return Results.Json(
                new JsonObject { ["error"] = new JsonObject { ["message"] = $"The model '{request["model"]}' does not exist.", ["type"] = "invalid_request_error", ["code"] = "model_not_found" } },
                statusCode: StatusCodes.Status404NotFound);
        }

        if (request["stream"]?.GetValue<bool>() == true)
        {
            return BadRequest("the sandbox model does not stream");
        }

        if (request["messages"] is not JsonArray messages || messages.Count == 0)
        {
            return BadRequest("messages is required");
        }

        var tools = (request["tools"] as JsonArray)?.Select(t => t?["function"]?["name"]?.GetValue<string>()).OfType<string>().ToHashSet(StringComparer.Ordinal) ?? [];
        var conversation = new Conversation(messages);
        var (content, calls) = tools.Count == 0 ? (Narrate(conversation.LastUserText), null) : Converse(conversation, tools);
        var number = Interlocked.Increment(ref _completions);
        var message = new JsonObject { ["role"] = "assistant", ["content"] = content, ["refusal"] = null };
        if (calls is not null)
        {
            message["tool_calls"] = new JsonArray(calls.Select((call, i) => (JsonNode)new JsonObject
            {
                ["id"] = $"call_{number:D4}_{i}",
                ["type"] = "function",
                ["function"] = new JsonObject { ["name"] = call.Name, ["arguments"] = call.Arguments.ToJsonString() },
            }).ToArray());
        }

        var promptTokens = raw.Length / 4;
        var completionTokens = (content?.Length ?? 0) / 4 + (calls?.Count ?? 0) * 12;
        return Results.Json(new JsonObject
        {
            ["id"] = $"chatcmpl-sandbox-{number:D6}",
            ["object"] = "chat.completion",
            ["created"] = 1_790_000_000 + number,
            ["model"] = ModelName,
            ["choices"] = new JsonArray(new JsonObject
            {
                ["index"] = 0,
                ["message"] = message,
                ["logprobs"] = null,
                ["finish_reason"] = calls is null ? "stop" : "tool_calls",
            }),
            ["usage"] = new JsonObject
            {
                ["prompt_tokens"] = promptTokens,
                ["completion_tokens"] = completionTokens,
                ["total_tokens"] = promptTokens + completionTokens,
            },
            ["system_fingerprint"] = "fp_okrhost_sandbox",
        });
    }

    private static (string? Content, List<ToolCall>? Calls) Converse(Conversation conversation, HashSet<string> tools)
    {
        var question = conversation.LastUserText;
        var aboutKeyResults = KeyResultWords.Any(w => question.Contains(w, StringComparison.OrdinalIgnoreCase));
        var results = conversation.ToolResults;
        if (results.Count == 0)
        {
            var first = aboutKeyResults && tools.Contains("list_key_results") ? "list_key_results" : tools.Contains("list_metrics") ? "list_metrics" : tools.First();
            return (null, [new ToolCall(first, new JsonObject())]);
        }

        var fetched = results.Where(r => r.Name is "get_metric" or "get_history").ToList();
        if (fetched.Count == 0 && conversation.ToolRounds < 3)
        {
            var ids = MetricIdsToFetch(question, results);
            var calls = new List<ToolCall>();
            if (tools.Contains("get_metric"))
            {
                calls.AddRange(ids.Select(id => new ToolCall("get_metric", new JsonObject { ["id"] = id })));
            }

            if (tools.Contains("get_history") && HistoryWords.Any(w => question.Contains(w, StringComparison.OrdinalIgnoreCase)))
            {
                calls.AddRange(ids.Select(id => new ToolCall("get_history", new JsonObject { ["id"] = id, ["weeks"] = 13 })));
            }

            if (calls.Count > 0)
            {
                return (null, calls);
            }
        }

        return (Answer(question, aboutKeyResults, results), null);
    }

    private static readonly string[] KeyResultWords = ["key result", "okr", "objective", "worse", "better", "risk", "track", "target", "status"];
    private static readonly string[] HistoryWords = ["history", "weeks", "trend", "over time"];

    private static List<string> MetricIdsToFetch(string question, List<ToolResult> results)
    {
        var known = new List<string>();
        foreach (var result in results)
        {
            foreach (var item in (result.Content as JsonArray ?? []).OfType<JsonObject>())
            {
                var id = result.Name == "list_key_results" ? item["metric"]?.GetValue<string>() : item["id"]?.GetValue<string>();
                if (id is not null && !known.Contains(id))
                {
                    known.Add(id);
                }
            }
        }

        var named = known.Where(id => question.Contains(id, StringComparison.OrdinalIgnoreCase)).ToList();
        if (named.Count > 0)
        {
            return named;
        }

        return results.Any(r => r.Name == "list_key_results") ? known : known.Take(3).ToList();
    }

    private static string Answer(string question, bool aboutKeyResults, List<ToolResult> results)
    {
        var metrics = results.Where(r => r.Name == "get_metric").Select(r => r.Content).OfType<JsonObject>()
            .Where(m => m["id"] is not null).ToDictionary(m => m["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var histories = results.Where(r => r.Name == "get_history").Select(r => r.Content).OfType<JsonObject>().ToList();
        var keyResults = results.Where(r => r.Name == "list_key_results").SelectMany(r => r.Content as JsonArray ?? []).OfType<JsonObject>().ToList();
        var answer = new StringBuilder();
        if (aboutKeyResults && keyResults.Count > 0)
        {
            var worse = keyResults.Where(GotWorse).ToList();
            if (question.Contains("worse", StringComparison.OrdinalIgnoreCase))
            {
                answer.Append(worse.Count == 0
                    ? $"None of the {keyResults.Count} key results got worse against the previous period."
                    : $"{worse.Count} of the {keyResults.Count} key results got worse against the previous period:");
                foreach (var kr in worse)
                {
                    answer.Append(CultureInfo.InvariantCulture, $"\n- “{kr["title"]}” ({kr["metric"]}): {Shown(kr, "previous")} → {Shown(kr, "actual")}, status {kr["previousStatus"]} → {kr["status"]}, target {Shown(kr, "target")}.");
                }
            }
            else
            {
                answer.Append(CultureInfo.InvariantCulture, $"The report scores {keyResults.Count} key results:");
                foreach (var kr in keyResults)
                {
                    answer.Append(CultureInfo.InvariantCulture, $"\n- “{kr["title"]}” ({kr["metric"]}) is {kr["status"]}: actual {Shown(kr, "actual")} against target {Shown(kr, "target")}.");
                    if (kr["confidence"] is not null || kr["note"] is not null)
                    {
                        answer.Append(CultureInfo.InvariantCulture, $" Its owner says {kr["confidence"] ?? "nothing about confidence"}{(kr["note"] is { } note ? $": “{note}”" : "")}.");
                    }
                }
            }
        }
        else if (metrics.Count > 0)
        {
            answer.Append("From the report:");
            foreach (var metric in metrics.Values)
            {
                answer.Append(CultureInfo.InvariantCulture, $"\n- {metric["id"]} ({metric["title"]}): {Shown(metric, "value")} this period, {Shown(metric, "previous")} the period before");
                answer.Append(metric["sampleSize"] is { } n ? $", over {Raw(n)} items." : ".");
            }
        }
        else
        {
            var listed = results.SelectMany(r => r.Content as JsonArray ?? []).OfType<JsonObject>().Count();
            answer.Append(CultureInfo.InvariantCulture, $"The report lists {listed} items, but none answers this question directly.");
        }

        foreach (var history in histories)
        {
            var values = (history["values"] as JsonArray ?? []).OfType<JsonObject>().Select(v => Shown(v, "value")).ToList();
            answer.Append(values.Count == 0
                ? $"\nThe history store holds no earlier values of {history["id"]}."
                : $"\nStored values of {history["id"]}, oldest first: {string.Join(", ", values)}.");
            foreach (var checkIn in (history["checkIns"] as JsonArray ?? []).OfType<JsonObject>())
            {
                answer.Append(CultureInfo.InvariantCulture, $"\nCheck-in of run {Raw(checkIn["runId"])} on “{checkIn["keyResult"]}”: {checkIn["confidence"] ?? "no confidence"}{(checkIn["note"] is { } note ? $", “{note}”" : "")}.");
            }
        }

        return answer.ToString();
    }

    /// <summary>The tool's own verdict: the model does not redo the report's arithmetic.</summary>
    private static bool GotWorse(JsonObject keyResult) => keyResult["gotWorse"] is JsonValue worse && worse.GetValueKind() == JsonValueKind.True;

    /// <summary>A number as the tool's display field writes it (with its unit), else the value as returned.</summary>
    private static string Shown(JsonObject item, string field)
    {
        var display = item[field == "value" ? "display" : field + "Display"];
        return display is JsonValue text && text.GetValueKind() == JsonValueKind.String ? text.GetValue<string>() : Raw(item[field == "previous" && item.ContainsKey("previousActual") ? "previousActual" : field]);
    }

    /// <summary>A value exactly as the tool returned it.</summary>
    private static string Raw(JsonNode? node) => node is null ? "none" : node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node.ToJsonString();

    /// <summary>The narrative: each objective's status and progress, then the top insight as written.</summary>
    private static string Narrate(string prompt)
    {
        var start = prompt.IndexOf('{', StringComparison.Ordinal);
        JsonObject? facts = null;
        try
        {
            facts = start < 0 ? null : JsonNode.Parse(prompt[start..]) as JsonObject;
        }
        catch (JsonException)
        {
        }

        if (facts is null)
        {
            return "There are no facts to summarise.";
        }

        var text = new StringBuilder();
        var objectives = (facts["okrs"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        foreach (var objective in objectives)
        {
            var progress = objective["progress"] is JsonValue p && p.GetValueKind() == JsonValueKind.Number
                ? $" at {(p.GetValue<double>() * 100).ToString("0", CultureInfo.InvariantCulture)}% progress"
                : "";
            text.Append(CultureInfo.InvariantCulture, $"“{objective["objective"]}” is {objective["status"]}{progress}. ");
        }

        foreach (var insight in (facts["insights"] as JsonArray ?? []).OfType<JsonObject>().Take(1))
        {
            text.Append(insight["text"]?.GetValue<string>()).Append(' ');
        }

        return text.Length == 0 ? "The report has no objectives and nothing changed." : text.ToString().Trim();
    }

    private sealed record ToolCall(string Name, JsonObject Arguments);

    private sealed record ToolResult(string Name, JsonNode? Content);

    /// <summary>The messages of one request, read the way the model needs them.</summary>
    private sealed class Conversation
    {
        public Conversation(JsonArray messages)
        {
            var callNames = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var message in messages.OfType<JsonObject>())
            {
                var role = message["role"]?.GetValue<string>();
                if (role == "user")
                {
                    LastUserText = Text(message["content"]);
                }
                else if (role == "assistant" && message["tool_calls"] is JsonArray calls && calls.Count > 0)
                {
                    ToolRounds++;
                    foreach (var call in calls.OfType<JsonObject>())
                    {
                        callNames[call["id"]!.GetValue<string>()] = call["function"]!["name"]!.GetValue<string>();
                    }
                }
                else if (role == "tool")
                {
                    var name = callNames.GetValueOrDefault(message["tool_call_id"]?.GetValue<string>() ?? "", "unknown");
                    var content = Text(message["content"]);
                    JsonNode? parsed;
                    try
                    {
                        parsed = JsonNode.Parse(content);
                    }
                    catch (JsonException)
                    {
                        parsed = JsonValue.Create(content);
                    }

                    ToolResults.Add(new ToolResult(name, parsed));
                }
            }
        }

        public string LastUserText { get; } = "";

        public int ToolRounds { get; }

        public List<ToolResult> ToolResults { get; } = [];

        private static string Text(JsonNode? content) => content switch
        {
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            JsonArray parts => string.Concat(parts.OfType<JsonObject>().Select(p => p["text"]?.GetValue<string>())),
            _ => "",
        };
    }
}

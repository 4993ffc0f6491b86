using Microsoft.Extensions.AI;

namespace OkrHost.Tests.Insights;

/// <summary>An in-process model: answers each request with the next scripted reply and keeps what it was sent.</summary>
internal sealed class ScriptedChatClient(params Func<IReadOnlyList<ChatMessage>, ChatResponse>[] replies) : IChatClient
{
    private int _next;

    public List<List<ChatMessage>> Requests { get; } = [];

    public static ChatResponse Text(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    public static ChatResponse Calls(params (string Name, Dictionary<string, object?> Arguments)[] calls) => new(new ChatMessage(
        ChatRole.Assistant,
        calls.Select((c, i) => (AIContent)new FunctionCallContent($"call_{i}", c.Name, c.Arguments)).ToList()));

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var list = messages.ToList();
        Requests.Add(list);
        var reply = replies[Math.Min(_next++, replies.Length - 1)];
        return Task.FromResult(reply(list));
    }

    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException("the scripted client does not stream");

    public object? GetService(Type serviceType, object? serviceKey = null) => null;

    public void Dispose()
    {
    }
}

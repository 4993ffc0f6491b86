using Microsoft.Extensions.AI;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>What <c>okrhost ask</c> prints: the answer and what it was built on.</summary>
public sealed record AskAnswer(string Question, string Answer, string Model, IReadOnlyList<string> MetricsUsed, IReadOnlyList<string> ToolCalls);

/// <summary>The tool-calling loop of <c>okrhost ask</c>: at most <see cref="MaxRounds"/> model turns.</summary>
public static class AskSession
{
    public const int MaxRounds = 8;

    /// <summary>The longest answer printed (PRODUCT.md section 7, Sizes); a longer one is cut with a marker.</summary>
    public const int MaxAnswerLength = 20_000;

    public const string Instructions =
        "You answer questions about an engineering OKR report. Use the tools to read the report; answer only from their results, "
        + "copying numbers exactly, and name the metric ids you used. If the tools do not answer the question, say so.";

    public static async Task<AskAnswer> AskAsync(IChatClient model, string modelName, ReportSnapshot snapshot, IRunHistory history, string question, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(model);
        var tools = new AskTools(snapshot, history);
        using var loop = new FunctionInvokingChatClient(model) { MaximumIterationsPerRequest = MaxRounds };
        var response = await loop.GetResponseAsync(
            [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, question)],
            new ChatOptions { Tools = tools.Functions(), Temperature = 0 },
            cancellationToken);
        return new AskAnswer(question, TextLimit.Cut(response.Text.Trim(), MaxAnswerLength), modelName, tools.MetricsUsed, tools.Calls);
    }
}

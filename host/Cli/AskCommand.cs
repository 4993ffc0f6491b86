using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Insights;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost ask QUESTION</c>: a language model answers from read-only tools over a snapshot and the history store.</summary>
internal sealed class AskCommand : CliCommand
{
    private readonly Argument<string> _question = new("QUESTION") { Description = "The question, e.g. \"which key results got worse?\"" };
    private readonly Option<string?> _snapshot = new("--snapshot") { Description = "The report.json to ask about (default: report.json in the config's output folder, else out/)" };
    private readonly Option<string?> _config = CommonOptions.Config();
    private readonly Option<string?> _store = CommonOptions.Store();
    private readonly Option<bool> _json = new("--json") { Description = "Print the answer, model, metric ids used and tool calls as JSON" };
    private readonly Option<bool> _demo = new("--demo") { Description = "Ask the sandbox's scripted model (no key, no network), e.g. about a report --demo; its history is the okrhost.db beside the snapshot" };

    public AskCommand(CliContext context)
        : base("ask", "Ask a question about a report; a language model answers from read-only tools over the snapshot and the history store", context)
    {
        AddInOrder(_question, _snapshot, _config, _store, _json, _demo);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var options = new AskOptions(parse.GetValue(_question)!, parse.GetValue(_snapshot), parse.GetValue(_config), parse.GetValue(_demo)) { StorePath = parse.GetValue(_store) };
        var outcome = await new AskQuestion(Environment, Logger(parse)).RunAsync(options, cancellationToken);
        if (outcome.Answer is { } answer)
        {
            Print(answer, parse.GetValue(_json), Environment.Out);
        }

        return outcome.ExitCode;
    }

    private static void Print(AskAnswer answer, bool json, TextWriter output)
    {
        if (json)
        {
            output.WriteLine(new JsonObject
            {
                ["question"] = answer.Question,
                ["answer"] = answer.Answer,
                ["model"] = answer.Model,
                ["metricsUsed"] = new JsonArray(answer.MetricsUsed.Select(m => (JsonNode)m).ToArray()),
                ["toolCalls"] = new JsonArray(answer.ToolCalls.Select(c => (JsonNode)c).ToArray()),
            }.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
            return;
        }

        output.WriteLine(answer.Answer.Length == 0 ? $"(the model gave no answer within {AskSession.MaxRounds} rounds)" : answer.Answer);
        output.WriteLine();
        output.WriteLine($"metrics used: {(answer.MetricsUsed.Count == 0 ? "none" : string.Join(", ", answer.MetricsUsed))}");
        output.WriteLine($"answered by the {answer.Model} in {answer.ToolCalls.Count} tool call(s)");
    }
}

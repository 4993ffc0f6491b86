using Microsoft.Extensions.AI;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>
/// The optional prose summary: the model gets the fact sheet only, and its text is kept only when
/// every number in it is one of the facts (<see cref="NumberCheck"/>). It never fails the report.
/// </summary>
public static class NarrativeWriter
{
    public const string Instructions =
        "You write the three-to-five sentence summary at the top of an engineering OKR report for an engineering manager. "
        + "Use only the facts given as JSON. Every number you write must appear in the facts exactly or rounded; "
        + "write ratios and progress as percentages. Do not invent causes, names or numbers. Plain prose, no lists, no headings.";

    /// <summary>The longest narrative the report shows (PRODUCT.md section 7, Sizes); a longer one is cut with a marker.</summary>
    public const int MaxLength = 4_000;

    /// <summary>The narrative or the note saying why there is none; <see cref="NarrativeReport.Requests"/> is left to the caller.</summary>
    public static async Task<NarrativeReport> WriteAsync(IChatClient model, string modelName, ReportSnapshot snapshot, IReadOnlyList<Insight> insights, CancellationToken cancellationToken, string? apiKeyEnv = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        var facts = FactSheet.Build(snapshot, insights);
        string prose;
        try
        {
            var response = await model.GetResponseAsync(
                [new ChatMessage(ChatRole.System, Instructions), new ChatMessage(ChatRole.User, "Facts:\n" + FactSheet.Text(facts))],
                new ChatOptions { Temperature = 0 },
                cancellationToken);
            prose = response.Text.Trim();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new NarrativeReport(modelName, null, $"no narrative: {LanguageModel.Describe(ex, apiKeyEnv)}", 0);
        }

        if (prose.Length == 0)
        {
            return new NarrativeReport(modelName, null, "no narrative: the model answered with no text", 0);
        }

        // Checked as shown: the part that is kept, without the marker's own count.
        var kept = prose.Length <= MaxLength ? prose : prose[..MaxLength];
        var unsupported = NumberCheck.Unsupported(kept, FactSheet.Numbers(facts).Concat(insights.SelectMany(i => NumberCheck.NumbersIn(i.Text))));
        return unsupported.Count == 0
            ? new NarrativeReport(modelName, TextLimit.Cut(prose, MaxLength), null, 0)
            : new NarrativeReport(modelName, null,
                $"the narrative was not used: it states {string.Join(", ", unsupported.Distinct().Take(5).Select(n => $"\"{n}\""))}, which {(unsupported.Count == 1 ? "is" : "are")} not among the report's facts",
                0);
    }
}

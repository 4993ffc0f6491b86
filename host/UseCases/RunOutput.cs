using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.UseCases;

internal static class RunOutput
{
    /// <summary>Prints why a plugin folder was skipped, one line each, before any command's own output.</summary>
    public static void PrintPluginWarnings(TextWriter error, OkrHost.Plugins.PluginCatalog catalog)
    {
        foreach (var warning in catalog.Warnings)
        {
            error.WriteLine($"warning: {warning}");
        }
    }

    /// <summary>Prints every problem, errors first; returns whether any was an error.</summary>
    public static bool PrintProblems(TextWriter error, IEnumerable<Problem> problems)
    {
        var ordered = problems.OrderBy(p => p.Severity).ToArray();
        foreach (var problem in ordered)
        {
            error.WriteLine(problem.ToString());
        }

        return ordered.Any(p => p.Severity == ProblemSeverity.Error);
    }

    /// <summary>A source's status as the CLI prints it.</summary>
    public static string Describe(SourceStatus status) => status switch
    {
        SourceStatus.Ok => "ok",
        SourceStatus.Failed => "failed",
        SourceStatus.NotConfigured => "not-configured",
        _ => "disabled",
    };
}

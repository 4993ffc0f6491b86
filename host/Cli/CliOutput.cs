using OkrHost.Configuration;

namespace OkrHost.Cli;

internal static class CliOutput
{
    /// <summary>Prints every problem, errors first; returns whether any was an error.</summary>
    public static bool PrintProblems(TextWriter error, IEnumerable<ConfigProblem> problems)
    {
        var ordered = problems.OrderBy(p => p.Severity).ToArray();
        foreach (var problem in ordered)
        {
            error.WriteLine(problem.ToString());
        }

        return ordered.Any(p => p.Severity == ProblemSeverity.Error);
    }
}

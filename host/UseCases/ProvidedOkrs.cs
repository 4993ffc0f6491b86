using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>
/// The OKRs of the plugin named by <c>okrs.source</c>, read the same way by validate, doctor and report
/// (PRODUCT.md section 7, One verdict): rows of a live source that cannot be scored are data, not
/// configuration, so they are warnings, left out of the scorecard and listed under "could not be scored";
/// a provider that is not configured or cannot be read is an error.
/// </summary>
internal static class ProvidedOkrs
{
    /// <summary>The provider's OKRs with every row that cannot be scored; the requests it took.</summary>
    public static async Task<(OkrInput Okrs, long Requests)> LoadAsync(Preparation preparation, SourceRunner runner, ReportPeriod fetchWindow, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        ArgumentNullException.ThrowIfNull(runner);
        if (preparation.OkrProvider is not { } plan)
        {
            return (new OkrInput(preparation.FileOkrs, preparation.OkrOrigin, []), 0);
        }

        if (!plan.Runnable)
        {
            // Left out by the command line, the run goes on without a scorecard; an error of the config
            // itself stopped the run before anything was fetched (Unreadable).
            var problem = NotReadable(preparation, plan);
            return (new OkrInput(null, preparation.OkrOrigin, [plan.LeftOutByCommand ? problem with { Severity = ProblemSeverity.Warning } : problem]), 0);
        }

        var provider = plan.OkrProvider!;
        var (provided, error, _, requests) = await runner.GuardAsync(plan, fetchWindow, provider.LoadOkrsAsync, cancellationToken);
        if (SourceResultValidator.ValidateOkrs(provided) is not { } document)
        {
            return (new OkrInput(null, preparation.OkrOrigin, [Problem.Error("$.okrs.source", $"the OKRs could not be read from {plan.Plugin.DisplayName}: {error ?? "the plugin returned none"}")]), requests);
        }

        var unscorable = new List<Problem>(document.Problems);
        var usable = preparation.CheckProvidedOkrs(document, unscorable);
        return (new OkrInput(usable, preparation.OkrOrigin, [.. unscorable.Select(p => p with { Severity = ProblemSeverity.Warning })]), requests);
    }

    /// <summary>
    /// The error when <c>okrs.source</c> names a source the config disables or does not configure: known
    /// before anything is fetched, so validate, doctor and report all stop there. A source the command
    /// line left out (<c>--only</c>, a shard) says nothing of the config: its OKRs are reported missing.
    /// </summary>
    public static IReadOnlyList<Problem> Unreadable(Preparation preparation)
    {
        ArgumentNullException.ThrowIfNull(preparation);
        return preparation.OkrProvider is { Runnable: false, LeftOutByCommand: false } plan ? [NotReadable(preparation, plan)] : [];
    }

    private static Problem NotReadable(Preparation preparation, SourcePlan plan)
    {
        var why = plan.Enabled ? $"it is not configured: {string.Join("; ", plan.Missing)}" : plan.DisabledReason;
        return Problem.Error(preparation.Config.File, "$.okrs.source", $"the OKRs come from {plan.Plugin.DisplayName}, but {why}");
    }

    /// <summary>Prints each OKR problem as <c>warning: OKRs from Notion: …</c>; returns whether any was an error.</summary>
    public static bool Print(TextWriter error, OkrInput okrs)
    {
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(okrs);
        foreach (var problem in okrs.Problems.OrderBy(p => p.Severity))
        {
            error.WriteLine($"{(problem.Severity == ProblemSeverity.Error ? "error" : "warning")}: OKRs from {okrs.Origin}: {problem.JsonPath}: {problem.Message}");
        }

        return okrs.Problems.Any(p => p.Severity == ProblemSeverity.Error);
    }
}

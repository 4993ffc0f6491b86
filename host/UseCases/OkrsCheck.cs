using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>What <see cref="OkrsCheck"/> found: the OKR problems and how many key results are usable.</summary>
internal sealed record OkrsCheckResult(IReadOnlyList<Problem> Problems, int KeyResults);

/// <summary>
/// <c>okrhost validate</c>'s OKR check: the OKRs of the file, or those a plugin provides, loaded and
/// checked against the known metrics as a report would.
/// </summary>
internal sealed class OkrsCheck(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger)
{
    /// <param name="configValid">False when the config has errors: a provider is then not asked for its OKRs.</param>
    public async Task<OkrsCheckResult> RunAsync(bool configValid, CancellationToken cancellationToken)
    {
        var problems = new List<Problem>();
        var keyResults = preparation.FileOkrs?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        if (configValid && preparation.OkrProvider is { Runnable: true } plan)
        {
            using var http = new SourceHttpFactory(preparation.Config.Http, logger, environment.Clock);
            var runner = new SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
            var provider = plan.OkrProvider!;
            var (provided, error, _, _) = await runner.GuardAsync(plan, preparation.Period, provider.LoadOkrsAsync, cancellationToken);
            if (SourceResultValidator.ValidateOkrs(provided) is not { } document)
            {
                problems.Add(Problem.Error("$.okrs.source", $"the OKRs could not be read from {plan.Plugin.DisplayName}: {error ?? "the plugin returned none"}"));
            }
            else
            {
                problems.AddRange(document.Problems);
                var usable = preparation.CheckProvidedOkrs(document, problems);
                keyResults = usable.Objectives.Sum(o => o.KeyResults.Count);
            }
        }
        else if (preparation.OkrProvider is { Runnable: false } notRunnable)
        {
            problems.Add(Problem.Error("$.okrs.source", $"the OKRs come from {notRunnable.Plugin.DisplayName}, which is not configured: {string.Join("; ", notRunnable.Missing)}"));
        }

        return new OkrsCheckResult(problems, keyResults);
    }
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.UseCases;
using OkrHost.Configuration;

namespace OkrHost.Cli;

/// <summary><c>okrhost validate</c>: every problem in config and OKRs, including OKR rows a plugin provides.</summary>
internal static class ValidateJob
{
    public static async Task<int> RunAsync(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        RunOutput.PrintPluginWarnings(environment.Error, preparation.Catalog);

        var hasErrors = RunOutput.PrintProblems(environment.Error, [.. preparation.Problems, .. HistorySettings.CheckEnvironment(preparation.Config, preparation.Variables)]);
        var okrProblems = new List<Problem>();
        var keyResults = preparation.FileOkrs?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        if (!hasErrors && preparation.OkrProvider is { Runnable: true } plan)
        {
            using var http = new Http.SourceHttpFactory(preparation.Config.Http, logger, environment.Clock);
            var runner = new Running.SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
            var provider = plan.OkrProvider!;
            var (provided, error, _, _) = await runner.GuardAsync(plan, preparation.Period, provider.LoadOkrsAsync, cancellationToken);
            if (Running.SourceResultValidator.ValidateOkrs(provided) is not { } document)
            {
                okrProblems.Add(Problem.Error("$.okrs.source", $"the OKRs could not be read from {plan.Plugin.DisplayName}: {error ?? "the plugin returned none"}"));
            }
            else
            {
                okrProblems.AddRange(document.Problems);
                var usable = preparation.CheckProvidedOkrs(document, okrProblems);
                keyResults = usable.Objectives.Sum(o => o.KeyResults.Count);
            }
        }
        else if (preparation.OkrProvider is { Runnable: false } notRunnable)
        {
            okrProblems.Add(Problem.Error("$.okrs.source", $"the OKRs come from {notRunnable.Plugin.DisplayName}, which is not configured: {string.Join("; ", notRunnable.Missing)}"));
        }

        foreach (var problem in okrProblems)
        {
            environment.Error.WriteLine($"error: OKRs from {preparation.OkrOrigin}: {problem.JsonPath}: {problem.Message}");
        }

        if (hasErrors || okrProblems.Count > 0)
        {
            return ExitCodes.InvalidInput;
        }

        var runnable = preparation.Plans.Count(p => p.Runnable);
        environment.Out.WriteLine($"ok: {preparation.Config.File}: {preparation.Plans.Count} sources ({runnable} ready to run), {keyResults} key results{(preparation.OkrOrigin is null ? "" : $" from {preparation.OkrOrigin}")}, period {preparation.Period}");
        foreach (var source in preparation.Plans.Where(p => p.Enabled && !p.Runnable))
        {
            environment.Out.WriteLine($"  {source.Id}: not-configured: {string.Join("; ", source.Missing)}");
        }

        if (runnable == 0)
        {
            // Valid, so still exit 0, but a report now would hold no metric at all.
            environment.Error.WriteLine("warning: no source can run: a report would have no metrics; set the tokens and settings listed above (okrhost plugins shows every source's state)");
        }

        return ExitCodes.Ok;
    }
}

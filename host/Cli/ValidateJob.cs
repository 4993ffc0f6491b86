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
        var keyResults = preparation.FileOkrs?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        var okrErrors = false;
        if (!hasErrors && preparation.OkrProvider is not null)
        {
            using var http = new Http.SourceHttpFactory(preparation.Config.Http, logger, environment.Clock);
            var runner = new Running.SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
            var (okrs, _) = await ProvidedOkrs.LoadAsync(preparation, runner, preparation.Period, cancellationToken);
            okrErrors = ProvidedOkrs.Print(environment.Error, okrs);
            keyResults = okrs.Document?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        }

        if (hasErrors || okrErrors)
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

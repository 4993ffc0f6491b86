using System.CommandLine;
using OkrHost.Configuration;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost validate</c>: every problem in config and OKRs, including OKR rows a plugin provides.</summary>
internal sealed class ValidateCommand : CliCommand
{
    private readonly Option<string?> _config = CommonOptions.Config();
    private readonly Option<string?> _okrs = CommonOptions.Okrs();

    public ValidateCommand(CliContext context)
        : base("validate", "Check plugins.json and the OKRs; print every problem (exit 0 when none, 2 otherwise)", context)
    {
        AddInOrder(_config, _okrs);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var logger = Logger(parse);
        using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(_config), OkrsPath = parse.GetValue(_okrs), ConfigRequired = true }, Environment);
        RunOutput.PrintPluginWarnings(Environment.Error, preparation.Catalog);

        var hasErrors = RunOutput.PrintProblems(Environment.Error, [.. preparation.Problems, .. ProvidedOkrs.Unreadable(preparation), .. HistorySettings.CheckEnvironment(preparation.Config, preparation.Variables)]);
        var keyResults = preparation.FileOkrs?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        var okrErrors = false;
        if (!hasErrors && await new OkrsCheck(preparation, Environment, logger).ReadProvidedAsync(cancellationToken) is { } okrs)
        {
            okrErrors = ProvidedOkrs.Print(Environment.Error, okrs);
            keyResults = okrs.Document?.Objectives.Sum(o => o.KeyResults.Count) ?? 0;
        }

        if (hasErrors || okrErrors)
        {
            return ExitCodes.InvalidInput;
        }

        var runnable = preparation.Plans.Count(p => p.Runnable);
        Environment.Out.WriteLine($"ok: {preparation.Config.File}: {preparation.Plans.Count} sources ({runnable} ready to run), {keyResults} key results{(preparation.OkrOrigin is null ? "" : $" from {preparation.OkrOrigin}")}, period {preparation.Period}");
        foreach (var source in preparation.Plans.Where(p => p.Enabled && !p.Runnable))
        {
            Environment.Out.WriteLine($"  {source.Id}: not-configured: {string.Join("; ", source.Missing)}");
        }

        if (runnable == 0)
        {
            // Valid, so still exit 0, but a report now would hold no metric at all.
            Environment.Error.WriteLine("warning: no source can run: a report would have no metrics; set the tokens and settings listed above (okrhost plugins shows every source's state)");
        }

        return ExitCodes.Ok;
    }
}

using System.CommandLine;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost doctor</c>: one line per enabled source, ok or what to fix.</summary>
internal sealed class DoctorCommand : CliCommand
{
    private readonly Option<string?> _config = CommonOptions.Config();

    public DoctorCommand(CliContext context)
        : base("doctor", "Prove each enabled source with the first request its collection makes; one line per source (exit 0 all ok, 3 any not, 2 config errors)", context)
    {
        AddInOrder(_config);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var logger = Logger(parse, Environment with { Interactive = true });
        using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(_config), ConfigRequired = true }, Environment);
        RunOutput.PrintPluginWarnings(Environment.Error, preparation.Catalog);
        if (RunOutput.PrintProblems(Environment.Error, [.. preparation.Problems, .. ProvidedOkrs.Unreadable(preparation)]))
        {
            Environment.Error.WriteLine("nothing was checked: fix the errors above");
            return ExitCodes.InvalidInput;
        }

        var enabled = preparation.Plans.Where(p => p.Enabled).ToArray();
        if (enabled.Length == 0)
        {
            Environment.Out.WriteLine($"no source is enabled in {preparation.Config.File}: nothing to prove. Set a source's token (see .env.example) and its \"enabled\": true");
            return ExitCodes.SourcesFailed;
        }

        var sourceProofs = new SourceProofs(preparation, Environment, logger);
        var proofs = await sourceProofs.ProveAsync(enabled, cancellationToken);
        foreach (var proof in proofs)
        {
            Environment.Out.WriteLine($"{proof.SourceId,-10} {proof.Text}");
        }

        if (await sourceProofs.ReadProvidedOkrsAsync(proofs, cancellationToken) is { } okrs)
        {
            ProvidedOkrs.Print(Environment.Error, okrs);
        }

        var failed = proofs.Count(p => !p.Ok);
        Environment.Out.WriteLine(failed == 0
            ? $"every enabled source is ok ({proofs.Count})"
            : $"{failed} of {proofs.Count} enabled sources not ok");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.SourcesFailed;
    }
}

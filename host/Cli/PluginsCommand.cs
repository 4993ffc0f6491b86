using System.CommandLine;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost plugins</c>: every discovered plugin and host analyzer with its state.</summary>
internal sealed class PluginsCommand : CliCommand
{
    private readonly Option<string?> _config = CommonOptions.Config();

    public PluginsCommand(CliContext context)
        : base("plugins", "List discovered plugins with version and enabled/configured state", context)
    {
        AddInOrder(_config);
    }

    protected override Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(_config) }, Environment);
        RunOutput.PrintPluginWarnings(Environment.Error, preparation.Catalog);

        var output = Environment.Out;
        output.WriteLine($"plugins folder: {Environment.PluginsDirectory}");
        foreach (var plan in preparation.Plans)
        {
            var state = plan.Fault is not null ? $"broken: {plan.Fault}"
                : !plan.Enabled ? $"disabled ({plan.DisabledReason})"
                : plan.Missing.Count > 0 ? $"not-configured: {string.Join("; ", plan.Missing)}"
                : "enabled, configured";
            var provides = plan.OkrProvider is not null ? ", provides OKRs" : "";
            output.WriteLine($"{plan.Id,-10} {plan.Plugin.DisplayName,-12} {plan.Plugin.Version,-8} {plan.Metrics.Count,3} metrics{provides}  {state}");
        }

        foreach (var analyzer in preparation.Analyzers)
        {
            output.WriteLine($"{analyzer.Id,-10} {analyzer.DisplayName,-12} {"(host)",-8} {analyzer.Metrics.Count,3} metrics  cross-source analyzer");
        }

        if (preparation.Plans.Count == 0)
        {
            output.WriteLine("no plugins found");
        }

        return Task.FromResult(ExitCodes.Ok);
    }
}

using System.CommandLine;
using OkrHost.Plugins;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary><c>okrhost render</c>: report.html again from a report.json, with no network.</summary>
internal sealed class RenderCommand : CliCommand
{
    private readonly Option<string> _snapshot = new("--snapshot") { Description = "A report.json written by okrhost report", Required = true };
    private readonly Option<string?> _out = new("--out") { Description = "Output folder (default: the snapshot's folder)" };

    public RenderCommand(CliContext context)
        : base("render", "Re-render report.html from a report.json snapshot, with no network", context)
    {
        AddInOrder(_snapshot, _out);
    }

    protected override async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var path = Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, parse.GetValue(_snapshot)!));
        if (await SnapshotFile.ReadAsync(path, parse.GetValue(_snapshot)!, Environment.Error, cancellationToken) is not { } report)
        {
            return ExitCodes.InvalidInput;
        }

        var directory = parse.GetValue(_out) is { } o ? Path.GetFullPath(Path.Combine(Environment.CurrentDirectory, o)) : Path.GetDirectoryName(path)!;
        using var catalog = PluginCatalog.Discover(Environment.PluginsDirectory);
        var sections = catalog.Plugins.Where(p => p.SectionComponent is not null).ToDictionary(p => p.Id, p => p.SectionComponent!);
        var html = await new HtmlReportRenderer().RenderAsync(report, sections, cancellationToken);
        var htmlPath = Path.Combine(directory, ReportFiles.HtmlName);
        await AtomicFile.WriteAllTextAsync(htmlPath, html, cancellationToken);
        Environment.Out.WriteLine($"report written: {htmlPath}");
        return ExitCodes.Ok;
    }
}

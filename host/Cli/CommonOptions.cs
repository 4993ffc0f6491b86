using System.CommandLine;
using OkrHost.Reporting;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>Options several commands take, each made anew per command (an option belongs to one command).</summary>
internal static class CommonOptions
{
    public static Option<string?> Config() => new("--config") { Description = "The config file (default: plugins.json in the current folder)" };

    public static Option<string?> Out() => new("--out") { Description = "Output folder (default: report.output, else out/ beside the config)" };

    public static Option<string?> Okrs() => new("--okrs") { Description = "OKR file, overriding okrs.file and okrs.source" };

    public static Option<string?> Only() => new("--only") { Description = "Run only these sources, comma-separated (the others are reported as disabled)" };

    public static Option<bool> NoCache() => new("--no-cache") { Description = "Bypass the conditional-request (ETag) cache" };

    /// <summary><c>--store PATH</c>: a SQLite history file named directly (history subcommands, ask).</summary>
    public static Option<string?> Store() => new("--store") { Description = "A SQLite history file, instead of the store plugins.json names" };

    public static Option<string?> FailOn()
    {
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 4 when a key result is at this status or worse: off-track or at-risk (a CI gate)" };
        failOn.AcceptOnlyFromAmong("off-track", "at-risk");
        return failOn;
    }

    public static OkrStatus? FailOnStatus(string? value) => value switch { "off-track" => OkrStatus.OffTrack, "at-risk" => OkrStatus.AtRisk, _ => null };

    /// <summary>A comma-separated list (<c>--only</c>, <c>--facts</c>); null when the option was not given.</summary>
    public static string[]? List(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

/// <summary>--from, --to and --period, as report, collect and merge take them.</summary>
internal sealed class PeriodOptions
{
    public Option<string?> From { get; } = new("--from") { Description = "Period start, YYYY-MM-DD (UTC, inclusive)" };

    public Option<string?> To { get; } = new("--to") { Description = "Period end, YYYY-MM-DD (UTC, exclusive)" };

    public Option<string?> Period { get; } = new("--period") { Description = $"Period: {Configuration.ReportPeriodParser.Forms} (default: report.period, else last-30d)" };

    public PrepareOptions Read(ParseResult parse) => new() { Period = parse.GetValue(Period), From = parse.GetValue(From), To = parse.GetValue(To) };

    public bool Given(ParseResult parse) => parse.GetValue(Period) is not null || parse.GetValue(From) is not null || parse.GetValue(To) is not null;
}

using System.Text.Json;
using OkrHost.Contracts;

namespace OkrHost.Reporting;

/// <summary>
/// index.json of a teams run: every team's objectives, DORA metrics and source statuses, taken from its
/// report.json, and a link to its report. The numbers are the team reports' own, never recomputed.
/// </summary>
public sealed record TeamsIndex
{
    public const int CurrentSchemaVersion = 1;
    public const string JsonName = "index.json";
    public const string HtmlName = "index.html";

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;
    public required DateTimeOffset GeneratedAt { get; init; }
    public required IReadOnlyList<TeamEntry> Teams { get; init; }

    /// <summary>The worst of the teams' exit codes: a bad config beats a failed source beats a <c>--fail-on</c> gate.</summary>
    public static int WorstExitCode(IEnumerable<int> exitCodes) =>
        exitCodes.Select(code => (Code: code, Rank: Array.IndexOf(ExitCodesBestFirst, code))).MaxBy(c => c.Rank < 0 ? int.MaxValue : c.Rank).Code;

    // 4 (a key result at the --fail-on status) is a verdict on a complete report, 3 an incomplete one,
    // 2 no report at all, 1 a defect.
    private static readonly int[] ExitCodesBestFirst = [0, 4, 3, 2, 1];

    public static string Serialize(TeamsIndex index) => JsonSerializer.Serialize(index, SnapshotJson.Options);
}

/// <summary>One team on the index. <see cref="Report"/> is null when the team's report was not written.</summary>
/// <param name="Name">The team: its config's folder name.</param>
/// <param name="ExitCode">What the team's report alone would have exited with.</param>
/// <param name="Report">Link to its report.html, relative to the index.</param>
/// <param name="Problems">Why the team failed (config errors, failed sources); empty when it did not.</param>
public sealed record TeamEntry(string Name, int ExitCode, string? Report, IReadOnlyList<string> Problems)
{
    public string? Title { get; init; }
    public PeriodReport? Period { get; init; }
    public IReadOnlyList<TeamObjective> Objectives { get; init; } = [];
    public IReadOnlyList<TeamMetric> Dora { get; init; } = [];
    public IReadOnlyList<TeamSource> Sources { get; init; } = [];

    /// <summary>OKR definitions the team's report could not score, as "JSON path: message" (PRODUCT.md section 13).</summary>
    public IReadOnlyList<string> OkrProblems { get; init; } = [];

    /// <summary>Warnings about the team's OKR definitions, as "JSON path: message".</summary>
    public IReadOnlyList<string> OkrWarnings { get; init; } = [];

    /// <summary>Whether nothing needs a look: the report is complete and every OKR definition could be scored.</summary>
    public bool Healthy => ExitCode == 0 && OkrProblems.Count == 0;

    /// <summary>The entry of a team whose report was written, from its snapshot.</summary>
    public static TeamEntry From(string name, int exitCode, string report, IReadOnlyList<string> problems, ReportSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return new TeamEntry(name, exitCode, report, problems)
        {
            Title = snapshot.Title,
            Period = snapshot.Period,
            Objectives = snapshot.Okrs.Select(o => new TeamObjective(o.Title, o.Status, o.Progress, o.KeyResults.Count)).ToArray(),
            Dora = DoraMetrics.Of(snapshot.Metrics).Select(m => new TeamMetric(m.Id, m.Title, m.Unit, m.Value, m.Previous, m.HigherIsBetter)).ToArray(),
            Sources = snapshot.Sources.Select(s => new TeamSource(s.Id, s.DisplayName, s.Status, s.Error)).ToArray(),
            OkrProblems = Describe(snapshot.OkrProblems.Where(p => p.Severity != ProblemSeverity.Warning)),
            OkrWarnings = Describe(snapshot.OkrProblems.Where(p => p.Severity == ProblemSeverity.Warning)),
        };
    }

    private static string[] Describe(IEnumerable<Problem> problems) => problems.Select(p => $"{p.JsonPath}: {p.Message}").ToArray();
}

public sealed record TeamObjective(string Title, OkrStatus Status, double? Progress, int KeyResults);

public sealed record TeamMetric(string Id, string Title, MetricUnit Unit, double? Value, double? Previous, bool? HigherIsBetter);

public sealed record TeamSource(string Id, string DisplayName, SourceStatus Status, string? Error);

/// <summary>The host's DORA metrics of a report, the five DORA metrics first in the order the report shows them.</summary>
public static class DoraMetrics
{
    private static readonly string[] Order =
    [
        "dora.deployment_frequency",
        "dora.lead_time_hours.p50",
        "dora.failed_deployment_recovery_hours.p50",
        "dora.change_failure_rate",
        "dora.rework_rate",
        "dora.time_to_restore_hours.p50",
        "dora.postmortem_coverage",
    ];

    public static IReadOnlyList<MetricReport> Of(IEnumerable<MetricReport> metrics) => metrics
        .Where(m => m.Source == "dora")
        .OrderBy(m => Array.IndexOf(Order, m.Id) is var i and >= 0 ? i : Order.Length)
        .ToList();
}

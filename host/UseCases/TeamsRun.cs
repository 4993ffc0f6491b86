using OkrHost.Http;
using OkrHost.Reporting;
using OkrHost.Rendering;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>One team of a teams run: named after its config's folder.</summary>
public sealed record Team(string Name, string ConfigPath)
{
    /// <summary>
    /// Each config's team, named after its folder; two configs in one folder, or two folders of one name,
    /// would put two reports in one place and are refused.
    /// </summary>
    public static IReadOnlyList<Team> FromConfigs(IReadOnlyList<string> configs, string currentDirectory)
    {
        var teams = new List<Team>();
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var config in configs)
        {
            var folder = Path.GetDirectoryName(Path.GetFullPath(Path.Combine(currentDirectory, config)))!;
            var name = Path.GetFileName(folder);
            if (string.IsNullOrEmpty(name))
            {
                throw new InvalidInputException($"--config {config}: a team is named after its config's folder, and this one is the file system's root; put each team's config in a folder of the team's name");
            }

            if (name.Equals(Reporting.TeamsIndex.HtmlName, StringComparison.OrdinalIgnoreCase) || name.Equals(Reporting.TeamsIndex.JsonName, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidInputException($"--config {config}: a team is named after its config's folder, and '{name}' is the name of the index the site keeps beside the teams' folders; rename the folder");
            }

            if (byName.TryGetValue(name, out var other))
            {
                var full = Path.GetFullPath(Path.Combine(currentDirectory, other));
                throw new InvalidInputException(Path.GetDirectoryName(full) == folder
                    ? $"--config: {other} and {config} are in one folder; a team is named after its config's folder, so give each team a folder of its own"
                    : $"--config: {other} and {config} are both in a folder named '{name}'; a team is named after its config's folder, so team names must differ");
            }

            byName[name] = config;
            teams.Add(new Team(name, config));
        }

        return teams;
    }
}

/// <summary>One team's report run and what it printed, kept apart so concurrent teams' lines do not mix.</summary>
internal sealed record TeamOutcome(Team Team, ReportRunResult Result, string Out, string Error);

/// <summary>What a teams run came to: every team's outcome and the worst exit code.</summary>
internal sealed record TeamsRunResult(int ExitCode, IReadOnlyList<TeamOutcome> Teams);

/// <summary>
/// <c>okrhost report --config teams/*/plugins.json --out site/</c>: every team's report into
/// <c>site/&lt;team&gt;/</c>, run concurrently in one process over one HTTP pipeline (one answer cache; one
/// pace per source, service and credential, so teams sharing a token share its rate limit), then
/// <c>site/index.html</c> and <c>index.json</c> rolling them up.
/// </summary>
internal sealed class TeamsRun(RunEnvironment environment, Serilog.ILogger logger, Func<string, IRunObserver> observerFor)
{
    public async Task<TeamsRunResult> RunAsync(IReadOnlyList<Team> teams, PrepareOptions options, ReportOptions reportOptions, string siteDirectory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(teams);
        ReportFiles.EnsureWritable(siteDirectory, "--out");
        var preparations = teams.Select(team => Preparation.Prepare(options with { ConfigPath = team.ConfigPath }, environment)).ToArray();
        try
        {
            var printers = teams.Select(team => new BufferedPrinter(observerFor(team.Name))).ToArray();
            using var http = SharedHttp(teams, preparations, printers, reportOptions.NoCache);
            var results = await Task.WhenAll(teams.Select((team, i) => RunTeamAsync(
                new ReportRun(preparations[i], environment, printers[i], logger) { SharedHttp = http },
                printers[i],
                reportOptions with { OutputDirectory = Path.Combine(siteDirectory, team.Name) },
                cancellationToken)));
            cancellationToken.ThrowIfCancellationRequested();
            http.PruneCache(environment.Clock.GetUtcNow());

            var outcomes = teams.Select((team, i) => new TeamOutcome(team, results[i], printers[i].Printed, printers[i].Errors)).ToArray();
            var index = new TeamsIndex { GeneratedAt = environment.Clock.GetUtcNow(), Teams = outcomes.Select(Entry).ToArray() };
            var html = await new HtmlReportRenderer().RenderIndexAsync(index, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            await AtomicFile.WriteAllTextAsync(Path.Combine(siteDirectory, TeamsIndex.JsonName), TeamsIndex.Serialize(index), CancellationToken.None);
            await AtomicFile.WriteAllTextAsync(Path.Combine(siteDirectory, TeamsIndex.HtmlName), html, CancellationToken.None);
            return new TeamsRunResult(TeamsIndex.WorstExitCode(outcomes.Select(o => o.Result.ExitCode)), outcomes);
        }
        finally
        {
            foreach (var preparation in preparations)
            {
                preparation.Dispose();
            }
        }
    }

    /// <summary>
    /// The one pipeline of every team, with the HTTP settings of the first team whose config can be used:
    /// several pipelines would mean several caches and paces, which is what a teams run avoids.
    /// </summary>
    private SourceHttpFactory SharedHttp(IReadOnlyList<Team> teams, Preparation[] preparations, BufferedPrinter[] printers, bool noCache)
    {
        var first = Array.FindIndex(preparations, p => !p.HasErrors);
        var chosen = first < 0 ? 0 : first;
        for (var i = 0; i < teams.Count; i++)
        {
            if (i != chosen && !preparations[i].HasErrors && preparations[i].Config.Http != preparations[chosen].Config.Http)
            {
                environment.Error.WriteLine($"warning: {teams[i].ConfigPath}: http settings differ from {teams[chosen].ConfigPath}'s; every team runs with the latter's (one HTTP pipeline per teams run)");
            }
        }

        return new ReportRun(preparations[chosen], environment, printers[chosen], logger).HttpFactory(noCache);
    }

    private static async Task<ReportRunResult> RunTeamAsync(ReportRun run, BufferedPrinter printer, ReportOptions options, CancellationToken cancellationToken)
    {
        try
        {
            return await run.RunAsync(options, cancellationToken);
        }
        catch (InvalidInputException ex)
        {
            // One team's unusable folder or file fails that team, not the others.
            printer.Error.WriteLine($"error: {ex.Message}");
            return ReportRunResult.NotRun;
        }
    }

    /// <summary>The team's index entry; its problems are the lines its run printed as errors, masked.</summary>
    private TeamEntry Entry(TeamOutcome outcome)
    {
        var problems = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(line => !line.StartsWith("warning:", StringComparison.Ordinal))
            .Select(environment.Redactor.Redact)
            .ToArray();
        return outcome.Result.Snapshot is { } snapshot
            ? TeamEntry.From(outcome.Team.Name, outcome.Result.ExitCode, $"{Uri.EscapeDataString(outcome.Team.Name)}/{ReportFiles.HtmlName}", problems, snapshot)
            : new TeamEntry(outcome.Team.Name, outcome.Result.ExitCode, null, problems);
    }

    /// <summary>A team's lines, held until every team is done; its progress goes to the observer it was given.</summary>
    private sealed class BufferedPrinter(IRunObserver observer) : IReportRunPrinter
    {
        private readonly StringWriter _out = new();
        private readonly StringWriter _error = new();

        public TextWriter Out => _out;

        public TextWriter Error => _error;

        public string Printed => _out.ToString();

        public string Errors => _error.ToString();

        public Task ShowProgressAsync(IReadOnlyList<SourcePlan> plans, Func<IRunObserver, Task> collect) => collect(observer);
    }
}


namespace OkrHost.Cli;
using OkrHost.UseCases;


/// <summary>
/// <c>okrhost report --config</c> with several configs: one report per team and an index (PRODUCT.md
/// section 11). Prints each team's lines together, prefixed with its name, once every team is done.
/// </summary>
internal static class TeamsJob
{
    /// <summary>Where the site goes without <c>--out</c>, relative to the current folder.</summary>
    public const string DefaultSite = "site";

    public static async Task<int> RunAsync(IReadOnlyList<string> configs, PrepareOptions options, ReportOptions reportOptions, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        var teams = Teams(configs, environment.CurrentDirectory);
        var site = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, reportOptions.OutputDirectory ?? DefaultSite));
        logger.Information("{Count} teams: {Teams}", teams.Count, string.Join(", ", teams.Select(t => t.Name)));
        var result = await new TeamsRun(environment, logger, team => new LogRunObserver(logger, team))
            .RunAsync(teams, options, reportOptions, site, cancellationToken);
        foreach (var outcome in result.Teams)
        {
            Print(environment.Out, outcome.Team.Name, outcome.Out);
            Print(environment.Error, outcome.Team.Name, outcome.Error);
        }

        environment.Out.WriteLine($"index written: {Path.Combine(site, Reporting.TeamsIndex.HtmlName)} and {Reporting.TeamsIndex.JsonName} ({result.Teams.Count(t => t.Result.ExitCode == ExitCodes.Ok)} of {result.Teams.Count} teams ok)");
        return result.ExitCode;
    }

    /// <summary>
    /// Each config's team, named after its folder; two configs in one folder, or two folders of one name,
    /// would put two reports in one place and are refused.
    /// </summary>
    internal static IReadOnlyList<Team> Teams(IReadOnlyList<string> configs, string currentDirectory)
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

    private static void Print(TextWriter writer, string team, string text)
    {
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            writer.WriteLine($"[{team}] {line.TrimEnd('\r')}");
        }
    }
}

/// <summary>
/// <c>--config</c> values with <c>*</c> or <c>?</c> expanded against the file system, for CI YAML and
/// Windows shells that pass a pattern through as it is written.
/// </summary>
internal static class ConfigPatterns
{
    private static readonly char[] Wildcards = ['*', '?'];
    private static readonly char[] Separators = ['/', '\\'];

    public static IReadOnlyList<string> Expand(IEnumerable<string> given, string currentDirectory)
    {
        var configs = new List<string>();
        foreach (var item in given)
        {
            if (item.IndexOfAny(Wildcards) < 0)
            {
                configs.Add(item);
                continue;
            }

            var matches = Match(item, currentDirectory);
            configs.AddRange(matches.Count > 0 ? matches : throw new InvalidInputException($"--config {item}: no file matches the pattern"));
        }

        return configs;
    }

    /// <summary>Paths matching <paramref name="pattern"/>, written as the pattern is (relative stays relative), sorted.</summary>
    private static List<string> Match(string pattern, string currentDirectory)
    {
        var root = Path.GetPathRoot(pattern) ?? "";
        var segments = pattern[root.Length..].Split(Separators, StringSplitOptions.RemoveEmptyEntries);
        IEnumerable<string> paths = [root];
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var last = i == segments.Length - 1;
            paths = paths.SelectMany(path =>
            {
                var folder = Path.Combine(currentDirectory, path);
                if (segment.IndexOfAny(Wildcards) < 0)
                {
                    return [Path.Combine(path, segment)];
                }

                if (!Directory.Exists(folder))
                {
                    return [];
                }

                var entries = last ? Directory.EnumerateFiles(folder, segment) : Directory.EnumerateDirectories(folder, segment);
                return entries.Select(entry => Path.Combine(path, Path.GetFileName(entry)));
            }).ToArray();
        }

        return paths.Where(path => File.Exists(Path.Combine(currentDirectory, path))).Order(StringComparer.Ordinal).ToList();
    }
}

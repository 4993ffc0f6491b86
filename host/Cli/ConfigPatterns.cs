using OkrHost.UseCases;

namespace OkrHost.Cli;

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

using System.Text.RegularExpressions;
using OkrHost.Testing;

namespace OkrHost.Tests.Architecture;

/// <summary>
/// Every "now" and every elapsed time of a run comes from its <see cref="TimeProvider"/>, created once
/// at the composition root, so a test's fake clock governs all of them.
/// </summary>
public sealed partial class OneClockTests
{
    /// <summary>The folders whose code runs in a report; the sandbox and the tests keep their own clocks.</summary>
    private static readonly string[] RunCode = ["host", "contracts", "plugins"];

    /// <summary>Where the run's clock is created: the process's entry point.</summary>
    private const string CompositionRoot = "host/Program.cs";

    [Fact]
    public void No_code_of_a_run_reads_the_wall_clock_outside_the_composition_root()
    {
        var reads = WallClockReads(RepoPaths.Root);
        var offenders = reads.Where(read => read.File != CompositionRoot).ToList();

        Assert.True(offenders.Count == 0, "wall-clock reads outside the composition root (take the run's TimeProvider instead):\n" + string.Join("\n", offenders));
        Assert.Contains(reads, read => read.File == CompositionRoot);
    }

    [Fact]
    public void The_scan_finds_each_kind_of_wall_clock_read()
    {
        using var folder = new TempFolder();
        var planted = new[]
        {
            "var now = DateTimeOffset.UtcNow;",
            "var today = DateTime.Today;",
            "var clock = TimeProvider.System;",
            "var watch = Stopwatch.StartNew();",
            "var ticks = Environment.TickCount64;",
        };
        Directory.CreateDirectory(folder.Combine("plugins", "Planted"));
        File.WriteAllLines(folder.Combine("plugins", "Planted", "Planted.cs"), ["// DateTime.UtcNow in a comment is no read", .. planted, "var fine = clock.GetUtcNow();"]);

        var reads = WallClockReads(folder.Path);

        Assert.Equal(Enumerable.Range(2, planted.Length), reads.Select(r => r.Line));
        Assert.All(reads, read => Assert.Equal("plugins/Planted/Planted.cs", read.File));
    }

    private static List<WallClockRead> WallClockReads(string root) =>
        RunCode
            .Select(folder => Path.Combine(root, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.*", SearchOption.AllDirectories))
            .Where(path => path.EndsWith(".cs", StringComparison.Ordinal) || path.EndsWith(".razor", StringComparison.Ordinal))
            .Where(path => !path.Split(Path.DirectorySeparatorChar).Any(part => part is "obj" or "bin"))
            .SelectMany(path => File.ReadLines(path).Select((text, i) => (Text: text, Line: i + 1))
                .Where(line => !line.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && WallClock().IsMatch(line.Text))
                .Select(line => new WallClockRead(Path.GetRelativePath(root, path).Replace('\\', '/'), line.Line, line.Text.Trim())))
            .OrderBy(read => read.File, StringComparer.Ordinal).ThenBy(read => read.Line)
            .ToList();

    [GeneratedRegex(@"\bDateTime(Offset)?\s*\.\s*(UtcNow|Now|Today)\b|\bTimeProvider\s*\.\s*System\b|\bStopwatch\b|\bEnvironment\s*\.\s*TickCount")]
    private static partial Regex WallClock();

    private sealed record WallClockRead(string File, int Line, string Text)
    {
        public override string ToString() => $"{File}:{Line}: {Text}";
    }
}

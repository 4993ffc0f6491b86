using System.Diagnostics;
using System.Text.RegularExpressions;
using OkrHost.Testing;

namespace OkrHost.Tests.Repository;

/// <summary>A clone anywhere carries everything it needs: nothing points outside the repository.</summary>
public sealed partial class SelfContainedRepositoryTests
{
    // Built from pieces so that this file does not match its own search.
    private static readonly string[] OutsidePaths = [".." + "/shared", "/work" + "/shared"];

    [Fact]
    public void No_tracked_file_refers_to_the_workspace_outside_the_repository()
    {
        var offenders = TrackedFiles()
            .Where(File.Exists)
            .SelectMany(path => OutsidePaths.Where(File.ReadAllText(path).Contains).Select(pattern => $"{Relative(path)}: {pattern}"))
            .ToList();
        Assert.Empty(offenders);
    }

    [Fact]
    public void Every_relative_markdown_link_points_to_a_file_of_the_repository()
    {
        var root = Path.GetFullPath(RepoPaths.Root);
        var broken = new List<string>();
        var markdown = TrackedFiles().Where(p => p.EndsWith(".md", StringComparison.OrdinalIgnoreCase) && File.Exists(p)).ToList();
        Assert.Contains(markdown, p => Relative(p) == "docs/metrics.md");
        foreach (var path in markdown)
        {
            foreach (var target in Links(File.ReadAllText(path)))
            {
                var external = target.Contains("://", StringComparison.Ordinal) || target.StartsWith("mailto:", StringComparison.Ordinal);
                if (external)
                {
                    // The product's own documentation is read offline: it never sends the reader away.
                    if (Relative(path).StartsWith("docs/", StringComparison.Ordinal))
                    {
                        broken.Add($"{Relative(path)}: {target} leaves the repository");
                    }

                    continue;
                }

                var file = target.Split('#')[0];
                if (file.Length == 0)
                {
                    continue;
                }

                var resolved = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, Uri.UnescapeDataString(file)));
                if (!resolved.StartsWith(root, StringComparison.Ordinal) || !(File.Exists(resolved) || Directory.Exists(resolved)))
                {
                    broken.Add($"{Relative(path)}: {target}");
                }
            }
        }

        Assert.Empty(broken);
    }

    [Fact]
    public void The_link_check_sees_links_and_skips_code()
    {
        var text = "See [metrics](docs/metrics.md#dora) and [site](https://example.com \"title\").\n```\n[x](not-a-link.md)\n```\n`[y](inline-code.md)`\n";
        Assert.Equal(["docs/metrics.md#dora", "https://example.com"], Links(text));
    }

    /// <summary>Targets of the inline links of <paramref name="markdown"/>, outside fenced and inline code.</summary>
    private static List<string> Links(string markdown)
    {
        var prose = InlineCode().Replace(FencedCode().Replace(markdown, ""), "");
        return InlineLink().Matches(prose).Select(m => m.Groups["target"].Value).ToList();
    }

    private static List<string> TrackedFiles()
    {
        var start = new ProcessStartInfo("git", ["-C", RepoPaths.Root, "ls-files", "-z"]) { RedirectStandardOutput = true, UseShellExecute = false };
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        Assert.Equal(0, git.ExitCode);
        var files = output.Split('\0', StringSplitOptions.RemoveEmptyEntries).Select(f => Path.Combine(RepoPaths.Root, f)).ToList();
        Assert.NotEmpty(files);
        return files;
    }

    private static string Relative(string path) => Path.GetRelativePath(RepoPaths.Root, path).Replace('\\', '/');

    [GeneratedRegex(@"^\s*```.*?^\s*```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex FencedCode();

    [GeneratedRegex(@"`[^`\n]*`")]
    private static partial Regex InlineCode();

    [GeneratedRegex(@"\[[^\]\n]*\]\((?<target>[^)\s]+)(?:\s+""[^""]*"")?\)")]
    private static partial Regex InlineLink();
}

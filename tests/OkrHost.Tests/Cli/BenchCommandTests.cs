using OkrHost.Cli;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

/// <summary>
/// <c>okrhost bench</c> on the demo profile, run as a process (its shard mode starts okrhost itself as
/// child processes). What is measured is printed, not asserted in time: these check what it claims.
/// </summary>
public class BenchCommandTests
{
    [Fact]
    public async Task The_bench_prints_the_incremental_ratios_and_finds_warm_and_next_week_reports_equal_to_the_cold_one()
    {
        using var folder = new TempFolder();
        var result = await ProcessRunner.DotnetAsync([RepoPaths.HostAssembly, "bench", "--profile", "demo", "--latency-ms", "0"], TimeSpan.FromMinutes(4), folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var pass in new[] { "cold run:", "warm run:", "next week run:" })
        {
            Assert.Contains(pass, result.Out, StringComparison.Ordinal);
        }

        Assert.Matches(@"warm re-run of the same period: \d+ of \d+ = [\d.]+% of the cold run's billable requests", result.Out);
        Assert.Matches(@"run a week after a stored one: +\d+ of \d+ = [\d.]+%", result.Out);
        Assert.Contains("warm: every metric and key result equals the cold run's", result.Out, StringComparison.Ordinal);
        Assert.Contains("next week: every metric and key result equals the cold run's", result.Out, StringComparison.Ordinal);
        // The report's own process, cold then warm: a peak resident set each, read while it ran.
        var peaks = System.Text.RegularExpressions.Regex.Matches(result.Out, @"^  (cold|warm) +(\d+\.\d) MB \(target at most 300\.0 MB: (met|NOT MET)\), exit 0$", System.Text.RegularExpressions.RegexOptions.Multiline);
        Assert.Equal(["cold", "warm"], peaks.Select(m => m.Groups[1].Value));
        Assert.All(peaks, m => Assert.InRange(double.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture), 20, 2000));
        Assert.Contains($"fresh clone to report --demo: not measured: {folder.Path} is not inside a clone of okrhost's repository", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clone_is_found_from_any_folder_inside_it_and_nowhere_else()
    {
        using var folder = new TempFolder();
        var nested = Directory.CreateDirectory(folder.Combine("clone", "host", "Cli")).FullName;
        Assert.Null(FreshCloneBench.FindCheckout(nested));

        File.WriteAllText(folder.Combine("clone", "OkrHost.sln"), "");
        Directory.CreateDirectory(folder.Combine("clone", ".git"));

        Assert.Equal(folder.Combine("clone"), FreshCloneBench.FindCheckout(nested));
        Assert.Equal(folder.Combine("clone"), FreshCloneBench.FindCheckout(folder.Combine("clone")));
        Assert.Null(FreshCloneBench.FindCheckout(folder.Path));
    }

    [Fact]
    public async Task The_shard_bench_runs_three_collect_processes_whose_merge_equals_the_single_report()
    {
        using var folder = new TempFolder();
        var result = await ProcessRunner.DotnetAsync([RepoPaths.HostAssembly, "bench", "--profile", "demo", "--latency-ms", "0", "--shards", "3"], TimeSpan.FromMinutes(4), folder.Path);

        Assert.True(result.ExitCode == 0, result.ToString());
        var shardLines = result.Out.Split('\n').Where(line => System.Text.RegularExpressions.Regex.IsMatch(line, @"^[123]/3 ")).ToArray();
        Assert.Equal(3, shardLines.Length);
        Assert.All(shardLines, line => Assert.EndsWith("exit 0", line.TrimEnd(), StringComparison.Ordinal));
        Assert.Contains("report: the merge of 3 shards equals the single run", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_shard_count_out_of_range_is_refused_before_anything_starts()
    {
        using var folder = new TempFolder();
        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "bench", "--shards", "0");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--shards 0: use 1 to 64 shards", result.Error, StringComparison.Ordinal);
    }
}

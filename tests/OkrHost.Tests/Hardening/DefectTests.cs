using OkrHost.Testing;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// A real defect (here: the environment itself failing) is one line and exit code 1; the stack trace
/// shows only with --verbose, and then also in the --log file.
/// </summary>
public class DefectTests
{
    private static readonly CliRunOptions BrokenEnvironment = new()
    {
        GetVariable = name => throw new InvalidOperationException($"the environment cannot be read ({name})"),
    };

    [Fact]
    public async Task A_defect_is_one_line_with_exit_code_1_and_no_stack_trace()
    {
        using var folder = new TempFolder();

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, BrokenEnvironment, "validate");

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("error: unexpected failure: InvalidOperationException: the environment cannot be read (", result.Error, StringComparison.Ordinal);
        Assert.Contains("run again with --verbose for details", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_verbose_the_stack_trace_is_printed_and_written_to_the_log_file()
    {
        using var folder = new TempFolder();

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, BrokenEnvironment, "validate", "--verbose", "--log", "logs/okrhost.log");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("   at ", result.Error, StringComparison.Ordinal);
        var log = File.ReadAllText(folder.Combine("logs", "okrhost.log"));
        Assert.Contains("error: unexpected failure: InvalidOperationException: the environment cannot be read (", log, StringComparison.Ordinal);
        Assert.Contains("   at OkrHost.", log, StringComparison.Ordinal);
    }
}

using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public class HistoryImportCheckTests
{
    [Fact]
    public async Task A_snapshot_whose_period_runs_backwards_is_refused_with_its_json_path_and_nothing_is_stored()
    {
        using var folder = new TempFolder();
        var sample = SampleSnapshots.Full();
        folder.File("report.json", SnapshotJson.Serialize(sample with { Period = new PeriodReport(sample.Period.To, sample.Period.From) }));

        var imported = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "history", "import", "report.json", "--store", "history.db");
        var list = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "history", "list", "--store", "history.db");

        Assert.True(imported.ExitCode == 2, imported.ToString());
        Assert.Contains("error: report.json: ", imported.Error, StringComparison.Ordinal);
        Assert.Contains("$.period", imported.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("stored as run", imported.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", imported.Error, StringComparison.Ordinal);
        Assert.Equal("", list.Out.Trim());
    }
}

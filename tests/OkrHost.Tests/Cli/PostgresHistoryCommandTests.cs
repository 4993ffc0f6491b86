using OkrHost.Reporting;
using OkrHost.Testing;
using OkrHost.Tests.History;
using OkrHost.UseCases;

namespace OkrHost.Tests.Cli;

/// <summary>The CLI end to end on a PostgreSQL store, its connection string only ever in a variable.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHistoryCommandTests(PostgresServer server)
{
    [Fact]
    public async Task A_report_run_and_an_import_land_in_postgres_and_export_from_there()
    {
        using var folder = HistoryCommandTests.ExampleConfig("""{ "history": { "connectionStringEnv": "OKRHOST_DATABASE" } }""");
        folder.File("old/report.json", SnapshotJson.Serialize(SampleSnapshots.Full()));
        var connectionString = await server.NewSchemaAsync();
        var variables = new Dictionary<string, string> { ["OKRHOST_DATABASE"] = connectionString };

        var report = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "report");
        var import = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "history", "import", "old/report.json");
        var list = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "history", "list");
        var export = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "history", "export", "--metric", "github.deployments");

        Assert.True(report.ExitCode == 0, report.ToString());
        Assert.Contains("run 1 stored in PostgreSQL history store 127.0.0.1:", report.Out, StringComparison.Ordinal);
        Assert.Equal(["old/report.json: stored as run 2"], HistoryCommandTests.Lines(import.Out));
        var runs = HistoryCommandTests.Lines(list.Out);
        Assert.Equal(2, runs.Length);
        Assert.StartsWith("    2  2026-11-02T09:00:00Z  2026-10-01 to 2026-11-01  3/6 sources ok  import", runs[0], StringComparison.Ordinal);
        Assert.EndsWith("0/5 sources ok  report", runs[1], StringComparison.Ordinal);
        Assert.Contains("2,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,github.deployments,github,count,42,37,", export.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(connectionString, report.ToString() + import + list + export, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("okrhost.db")));
    }
}

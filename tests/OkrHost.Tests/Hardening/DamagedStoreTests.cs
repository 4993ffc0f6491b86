using Microsoft.Data.Sqlite;
using OkrHost.Testing;
using OkrHost.Tests.Plugins;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// A SQLite history store whose header is fine but whose pages are damaged is found out before anything
/// is fetched: exit 2 naming the file and what can still read it, never exit 1 after collecting.
/// </summary>
[Collection(OnCallPluginCollection.Name)]
public sealed class DamagedStoreTests(OnCallPluginFixture onCall) : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task A_store_with_damaged_pages_is_refused_before_fetching_with_the_file_and_the_history_commands_named()
    {
        var plugins = onCall.InstallInto(_folder);
        _folder.File("pages.csv", "2026-10-03T23:30:00Z,checkout\n");
        _folder.File("plugins.json", """{ "sources": { "oncall": { "pagesFile": "pages.csv" } } }""");
        var first = await CliRunner.RunAsync(_folder.Path, plugins, null, "report", "--period", "2026-10");
        Assert.True(first.ExitCode == 0, first.ToString());
        var firstReport = File.ReadAllText(_folder.Combine("out", "report.json"));
        DamagePages(_folder.Combine("okrhost.db"), "runs", "metric_values", "key_results");

        var second = await CliRunner.RunAsync(_folder.Path, plugins, null, "report", "--period", "2026-09");

        Assert.True(second.ExitCode == 2, second.ToString());
        Assert.Contains("okrhost.db", second.Error, StringComparison.Ordinal);
        Assert.Contains("damaged", second.Error, StringComparison.Ordinal);
        Assert.Contains("okrhost history export", second.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was fetched", second.Error, StringComparison.Ordinal);
        Assert.Equal(firstReport, File.ReadAllText(_folder.Combine("out", "report.json")));
    }

    /// <summary>Overwrites the root pages of <paramref name="tables"/>, leaving the header and the schema page intact.</summary>
    private static void DamagePages(string path, params string[] tables)
    {
        var pages = new List<long>();
        long pageSize;
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            command.ExecuteNonQuery();
            command.CommandText = "PRAGMA page_size";
            pageSize = Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
            foreach (var table in tables)
            {
                command.CommandText = $"SELECT rootpage FROM sqlite_master WHERE name = '{table}'";
                pages.Add(Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        using var file = new FileStream(path, FileMode.Open, FileAccess.Write);
        var garbage = Enumerable.Repeat((byte)0xA5, (int)pageSize).ToArray();
        foreach (var page in pages)
        {
            file.Position = (page - 1) * pageSize;
            file.Write(garbage);
        }
    }
}

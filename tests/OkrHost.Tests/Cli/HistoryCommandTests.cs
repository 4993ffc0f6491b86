using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using OkrHost.History;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public class HistoryCommandTests
{
    private static readonly DateTimeOffset NextMonthEnd = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Dora_scores_and_the_new_dora_metrics_are_stored_and_exported_with_their_units_and_samples()
    {
        using var folder = new TempFolder();
        var snapshot = SampleSnapshots.WithDoraScores();
        folder.File("october/report.json", SnapshotJson.Serialize(snapshot));

        var imported = await Run(folder, "history", "import", "october/report.json", "--store", "history.db");
        var csv = await Run(folder, "history", "export", "--store", "history.db");
        var score = await Run(folder, "history", "export", "--format", "json", "--metric", "dora.score.overall", "--store", "history.db");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        var rows = csv.Out.Split("\r\n");
        Assert.Contains("1,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,dora.rework_rate,dora,ratio,0.119,0.0952,42", rows);
        Assert.Contains("1,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,dora.failed_deployment_recovery_hours.p50,dora,hours,20.5,31,2", rows);
        // No recovery score: two recovered deployments are too few.
        Assert.Contains("1,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,dora.score.recovery,dora,score,,,", rows);
        using var exported = JsonDocument.Parse(score.Out);
        var overall = Assert.Single(exported.RootElement.EnumerateArray());
        Assert.Equal("score", overall.GetProperty("unit").GetString());
        Assert.Equal(snapshot.Metrics.Single(m => m.Id == "dora.score.overall").Value, overall.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Imported_snapshots_are_listed_one_a_line_and_exported_one_row_per_run_and_metric()
    {
        using var folder = new TempFolder();
        var october = folder.File("october/report.json", SnapshotJson.Serialize(SampleSnapshots.WithSamplesAndTrends()));
        folder.File("november/report.json", SnapshotJson.Serialize(November()));

        var imported = await Run(folder, "history", "import", "october/report.json", "november/report.json", "--store", "history.db");
        var again = await Run(folder, "history", "import", october, "--store", "history.db");
        var list = await Run(folder, "history", "list", "--store", "history.db");
        var csv = await Run(folder, "history", "export", "--store", "history.db");
        var json = await Run(folder, "history", "export", "--format", "json", "--metric", "github.deployments", "--store", "history.db");

        Assert.True(imported.ExitCode == 0, imported.ToString());
        Assert.Equal(["october/report.json: stored as run 1", "november/report.json: stored as run 2"], Lines(imported.Out));
        Assert.Equal([$"{october}: already stored as run 1"], Lines(again.Out));
        Assert.Equal(
        [
            "    1  2026-11-02T09:00:00Z  2026-10-01 to 2026-11-01  3/6 sources ok  import",
            "    2  2026-12-01T08:30:00Z  2026-11-01 to 2026-12-01  3/6 sources ok  import",
        ], Lines(list.Out));

        var rows = csv.Out.Split("\r\n");
        Assert.Equal("runId,generatedAt,periodFrom,periodTo,metricId,source,unit,value,previous,sampleSize", rows[0]);
        Assert.Equal(1 + (2 * SampleSnapshots.Full().Metrics.Count) + 1, rows.Length); // header, rows, and the empty string after the last CRLF
        Assert.Contains("1,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,github.change_failure_rate,github,ratio,0.0455,0.0976,44", rows);
        Assert.Contains("2,2026-12-01T08:30:00Z,2026-11-01T00:00:00Z,2026-12-01T00:00:00Z,grafana.drifts,grafana,count,,,", rows);

        using var exported = JsonDocument.Parse(json.Out);
        Assert.Equal([42.0, 51.0], exported.RootElement.EnumerateArray().Select(r => r.GetProperty("value").GetDouble()));
        Assert.Equal(["2026-11-01T00:00:00+00:00", "2026-12-01T00:00:00+00:00"], exported.RootElement.EnumerateArray().Select(r => r.GetProperty("periodTo").GetString()));
    }

    [Fact]
    public void Csv_quotes_fields_with_commas_quotes_and_line_breaks()
    {
        var row = new StoredMetricValue(7, SampleSnapshots.GeneratedAt, SampleSnapshots.From, SampleSnapshots.To, "odd,\"id\"", "multi\nline", "count", 1e-7, -2.5, 12);

        var csv = HistoryExport.Csv([row]);

        Assert.EndsWith("\r\n7,2026-11-02T09:00:00Z,2026-10-01T00:00:00Z,2026-11-01T00:00:00Z,\"odd,\"\"id\"\"\",\"multi\nline\",count,1E-07,-2.5,12\r\n", csv, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Show_prints_a_run_and_its_key_results_or_the_stored_snapshot()
    {
        using var folder = new TempFolder();
        folder.File("report.json", SnapshotJson.Serialize(SampleSnapshots.Full()));
        await Run(folder, "history", "import", "report.json", "--store", "h.db");

        var show = await Run(folder, "history", "show", "1", "--store", "h.db");
        var json = await Run(folder, "history", "show", "1", "--json", "--store", "h.db");
        var missing = await Run(folder, "history", "show", "9", "--store", "h.db");

        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Contains("run 1: Platform team OKRs", show.Out, StringComparison.Ordinal);
        Assert.Contains("github ok, linear ok, slack ok, grafana failed, notion not-configured, pagerduty disabled", show.Out, StringComparison.Ordinal);
        Assert.Contains("off-track           5      0%  Fix what hurts customers first / No more than 2 urgent bugs open", show.Out, StringComparison.Ordinal);
        Assert.Equal(SnapshotJson.Serialize(SampleSnapshots.Full()), json.Out.TrimEnd('\n'));
        Assert.Equal(2, missing.ExitCode);
        Assert.Contains("no run 9 in history store", missing.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Prune_keeps_the_newest_runs_or_drops_the_older_ones()
    {
        using var folder = new TempFolder();
        folder.File("a.json", SnapshotJson.Serialize(SampleSnapshots.Full()));
        folder.File("b.json", SnapshotJson.Serialize(November()));
        folder.File("c.json", SnapshotJson.Serialize(November() with { GeneratedAt = NextMonthEnd.AddDays(3) }));
        await Run(folder, "history", "import", "a.json", "b.json", "c.json", "--store", "h.db");

        var before = await Run(folder, "history", "prune", "--before", "2026-11-15", "--store", "h.db");
        var keep = await Run(folder, "history", "prune", "--keep", "1", "--store", "h.db");
        var neither = await Run(folder, "history", "prune", "--store", "h.db");
        var list = await Run(folder, "history", "list", "--store", "h.db");

        Assert.True(before.ExitCode == 0, before.ToString());
        Assert.StartsWith("pruned 1 run from history store ", before.Out, StringComparison.Ordinal);
        Assert.EndsWith("; 2 left\n", before.Out, StringComparison.Ordinal);
        Assert.StartsWith("pruned 1 run ", keep.Out, StringComparison.Ordinal);
        Assert.Equal(2, neither.ExitCode);
        Assert.Contains("exactly one of --keep N", neither.Error, StringComparison.Ordinal);
        Assert.StartsWith("    3  2026-12-04T00:00:00Z", Assert.Single(Lines(list.Out)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reading_a_store_that_does_not_exist_says_so_and_creates_nothing()
    {
        using var folder = new TempFolder();

        var list = await Run(folder, "history", "list", "--store", "nothing.db");
        var both = await Run(folder, "history", "list", "--store", "nothing.db", "--config", "plugins.json");
        var bad = await Run(folder, "history", "import", "absent.json", "--store", "h.db");

        Assert.Equal(2, list.ExitCode);
        Assert.Contains("no history store at " + folder.Combine("nothing.db") + " yet", list.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("nothing.db")));
        Assert.Equal(2, both.ExitCode);
        Assert.Contains("use either --store or --config", both.Error, StringComparison.Ordinal);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("absent.json: cannot read the snapshot", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "history": 5 }""", "error: plugins.json: $.history: must be an object")]
    [InlineData("""{ "history": { "path": "a.db", "connectionStringEnv": "DB" } }""", "error: plugins.json: $.history: use either path (a SQLite file) or connectionStringEnv (PostgreSQL), not both")]
    [InlineData("""{ "history": { "path": "" } }""", "error: plugins.json: $.history.path: must not be empty")]
    [InlineData("""{ "history": { "enabled": "no" } }""", "error: plugins.json: $.history.enabled: must be true or false")]
    public async Task A_bad_history_setting_is_an_error_with_its_json_path(string config, string message)
    {
        using var folder = new TempFolder();
        folder.File("plugins.json", config);

        var validate = await Run(folder, "validate", "--config", "plugins.json");
        var list = await Run(folder, "history", "list", "--config", "plugins.json");

        Assert.Equal(2, validate.ExitCode);
        Assert.Contains(message, validate.Error, StringComparison.Ordinal);
        Assert.Equal(2, list.ExitCode);
        Assert.Contains(message, list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_report_run_is_stored_beside_the_config_unless_no_history_or_disabled()
    {
        using var folder = ExampleConfig();

        var first = await Run(folder, "report");
        var skipped = await Run(folder, "report", "--no-history");
        var list = await Run(folder, "history", "list");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains($"run 1 stored in history store {folder.Combine("okrhost.db")}", first.Out, StringComparison.Ordinal);
        Assert.True(skipped.ExitCode == 0, skipped.ToString());
        Assert.DoesNotContain("stored in", skipped.Out, StringComparison.Ordinal);
        Assert.EndsWith("0/5 sources ok  report", Assert.Single(Lines(list.Out)), StringComparison.Ordinal);

        folder.File("elsewhere/plugins.json", """{ "history": { "enabled": false } }""");
        var disabled = await Run(folder, "report", "--config", "elsewhere/plugins.json");
        Assert.True(disabled.ExitCode == 0, disabled.ToString());
        Assert.False(File.Exists(folder.Combine("elsewhere", "okrhost.db")));
        Assert.Contains("history is off", (await Run(folder, "history", "list", "--config", "elsewhere/plugins.json")).Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_from_a_newer_okrhost_stops_the_report_before_anything_is_fetched()
    {
        using var folder = ExampleConfig();
        Assert.Equal(0, (await Run(folder, "report")).ExitCode);
        File.Delete(folder.Combine("out", "report.json"));
        var known = SchemaMigrations.For("sqlite").Count;
        await ExecuteSqliteAsync(folder.Combine("okrhost.db"), $"INSERT INTO schema_version (version, name, applied_at) VALUES ({known + 1}, 'next.sql', '2030-01-01T00:00:00.0000000Z')");

        var report = await Run(folder, "report");
        var list = await Run(folder, "history", "list");

        Assert.Equal(2, report.ExitCode);
        Assert.Contains($"has schema version {known + 1}, written by a newer okrhost; this one reads up to version {known}", report.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was fetched", report.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(folder.Combine("out", "report.json")));
        Assert.Equal(2, list.ExitCode);
        Assert.Contains("Upgrade okrhost", list.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_failing_at_save_keeps_the_report_files_exits_3_and_says_how_to_store_the_run_later()
    {
        using var folder = ExampleConfig();
        Assert.Equal(0, (await Run(folder, "history", "import", "--store", "okrhost.db", WriteSnapshot(folder))).ExitCode);
        await ExecuteSqliteAsync(folder.Combine("okrhost.db"), "CREATE TRIGGER refuse BEFORE INSERT ON runs BEGIN SELECT RAISE(ABORT, 'disk quota exceeded'); END");

        var report = await Run(folder, "report");

        Assert.Equal(3, report.ExitCode);
        Assert.True(File.Exists(folder.Combine("out", "report.json")) && File.Exists(folder.Combine("out", "report.html")));
        Assert.Contains("error: the report was written but not stored in history: history store", report.Error, StringComparison.Ordinal);
        Assert.Contains("disk quota exceeded", report.Error, StringComparison.Ordinal);
        Assert.Contains($"okrhost history import {folder.Combine("out", "report.json")}", report.Error, StringComparison.Ordinal);

        await ExecuteSqliteAsync(folder.Combine("okrhost.db"), "DROP TRIGGER refuse");
        var imported = await Run(folder, "history", "import", "out/report.json");
        Assert.Equal(["out/report.json: stored as run 2"], Lines(imported.Out));
    }

    [Fact]
    public async Task An_unset_connection_string_variable_stops_the_report_and_is_a_validate_warning()
    {
        using var folder = ExampleConfig("""{ "history": { "connectionStringEnv": "OKRHOST_DATABASE" } }""");

        var report = await Run(folder, "report");
        var nothingWritten = !File.Exists(folder.Combine("out", "report.json"));
        var validate = await Run(folder, "validate");
        var withoutHistory = await Run(folder, "report", "--no-history");

        Assert.Equal(2, report.ExitCode);
        Assert.Contains("error: history.connectionStringEnv: the variable OKRHOST_DATABASE is not set", report.Error, StringComparison.Ordinal);
        Assert.True(nothingWritten);
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("warning: plugins.json: $.history.connectionStringEnv: the variable OKRHOST_DATABASE is not set", validate.Error, StringComparison.Ordinal);
        Assert.True(withoutHistory.ExitCode == 0, withoutHistory.ToString());
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Port=1;Username=okr;Password=hunter2-s3cret;Timeout=3")]
    [InlineData("Host=127.0.0.1;Passwrd=hunter2-s3cret")]
    public async Task A_postgres_store_that_cannot_be_used_is_named_without_its_connection_string(string connectionString)
    {
        using var folder = ExampleConfig("""{ "history": { "connectionStringEnv": "OKRHOST_DATABASE" } }""");
        var variables = new Dictionary<string, string> { ["OKRHOST_DATABASE"] = connectionString };

        var report = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "report");
        var list = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "history", "list");

        Assert.Equal(2, report.ExitCode);
        Assert.Equal(2, list.ExitCode);
        Assert.Contains("OKRHOST_DATABASE", report.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", report.ToString() + list, StringComparison.Ordinal);
    }

    internal static Task<CliResult> Run(TempFolder folder, params string[] args) => CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, args);

    internal static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The repository's example config and OKRs (no tokens: every source not-configured, so a report takes a second).</summary>
    internal static TempFolder ExampleConfig(string? history = null)
    {
        var folder = new TempFolder();
        var merged = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "plugins.json")), documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        if (history is not null)
        {
            merged["history"] = JsonNode.Parse(history)!["history"]!.DeepClone();
        }

        folder.File("plugins.json", merged.ToJsonString());
        File.Copy(Path.Combine(RepoPaths.Root, "okrs.json"), folder.Combine("okrs.json"));
        return folder;
    }

    private static string WriteSnapshot(TempFolder folder) => folder.File("old/report.json", SnapshotJson.Serialize(SampleSnapshots.Full()));

    private static ReportSnapshot November()
    {
        var sample = SampleSnapshots.Full();
        return sample with
        {
            GeneratedAt = NextMonthEnd.AddHours(8.5),
            Period = new PeriodReport(SampleSnapshots.To, NextMonthEnd),
            PreviousPeriod = sample.Period,
            Metrics = [.. sample.Metrics.Select(m => m.Id == "github.deployments" ? m with { Value = 51, Previous = 42 } : m)],
        };
    }

    private static async Task ExecuteSqliteAsync(string path, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

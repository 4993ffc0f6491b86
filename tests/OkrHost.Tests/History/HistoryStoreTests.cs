using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.History;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.History;

/// <summary>
/// The history store's behaviour, written once and run against every backend
/// (<see cref="SqliteHistoryStoreTests"/>, <see cref="PostgresHistoryStoreTests"/>).
/// </summary>
public abstract class HistoryStoreTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Week0 = SampleSnapshots.To;
    private readonly List<IHistoryStore> _opened = [];

    /// <summary>Opens this test's store (the same store on every call: a second process, as far as the store can tell).</summary>
    protected abstract Task<IHistoryStore> OpenStoreAsync();

    /// <summary>Runs SQL on this test's store behind the store's back (to play a newer or an older okrhost).</summary>
    protected abstract Task ExecuteRawAsync(string sql);

    /// <summary>The store's SQL dialect: which migrations it runs.</summary>
    protected abstract string Dialect { get; }

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_saved_run_reads_back_with_its_metric_values_key_results_and_snapshot()
    {
        var store = await OpenAsync();
        var snapshot = SampleSnapshots.WithSamplesAndTrends();

        var saved = await store.SaveRunAsync(new HistoryRun(snapshot, Provenance), [], default);

        Assert.True(saved.Created);
        var run = Assert.Single(await store.ListRunsAsync(default));
        Assert.Equal(saved.Id, run.Id);
        Assert.Equal((SampleSnapshots.GeneratedAt, SampleSnapshots.From, SampleSnapshots.To), (run.GeneratedAt, run.PeriodFrom, run.PeriodTo));
        Assert.Equal(("report", "9.9.9", "1.0.0", "abc123"), (run.Origin, run.ToolVersion, run.ContractsVersion, run.ConfigFingerprint));
        Assert.Equal((3, 6), (run.SourcesOk, run.SourcesTotal));

        var stored = await store.GetRunAsync(saved.Id, default);
        Assert.Equal(SnapshotJson.Serialize(snapshot), stored!.SnapshotJson);
        Assert.Null(await store.GetRunAsync(saved.Id + 1000, default));

        var values = await store.GetMetricValuesAsync(new MetricValueQuery { RunId = saved.Id }, default);
        Assert.Equal(snapshot.Metrics.Select(m => m.Id).Order(StringComparer.Ordinal), values.Select(v => v.MetricId));
        var leadTime = values.Single(v => v.MetricId == "github.lead_time_hours.p50");
        Assert.Equal(("github", "hours", 15.4, 22.5), (leadTime.Source, leadTime.Unit, leadTime.Value, leadTime.Previous));
        Assert.Equal(snapshot.Metrics.Select(m => m.SampleSize), snapshot.Metrics.Select(m => values.Single(v => v.MetricId == m.Id).SampleSize));
        Assert.Equal(44, values.Single(v => v.MetricId == "github.change_failure_rate").SampleSize);
        var warRoomsOpen = values.Single(v => v.MetricId == "slack.war_rooms_open");
        Assert.Equal((1.0, (double?)null), (warRoomsOpen.Value, warRoomsOpen.Previous));
        Assert.Null(values.Single(v => v.MetricId == "grafana.drifts").Value);

        var keyResults = await store.GetKeyResultsAsync(saved.Id, default);
        Assert.Equal(snapshot.Okrs.SelectMany(o => o.KeyResults.Select(k => (o.Title, k.Title, k.Status, k.Actual))),
            keyResults.Select(k => (k.Objective, k.KeyResult, k.Status, k.Actual)));
        var noData = keyResults.Single(k => k.Metric == "dora.postmortem_coverage");
        Assert.Equal((OkrStatus.NoData, (double?)null, (double?)null, KeyResultDirection.Increase), (noData.Status, noData.Progress, noData.Baseline, noData.Direction));
    }

    [Fact]
    public async Task The_same_snapshot_saved_twice_is_one_run()
    {
        var store = await OpenAsync();
        var first = await store.SaveRunAsync(new HistoryRun(SampleSnapshots.Full(), Provenance), [], default);

        var second = await store.SaveRunAsync(new HistoryRun(SampleSnapshots.Full(), Provenance with { Origin = "import" }), [], default);

        Assert.Equal(new SavedRun(first.Id, Created: false), second);
        Assert.Single(await store.ListRunsAsync(default));
    }

    [Fact]
    public async Task Re_running_a_period_replaces_its_facts_and_adds_a_run()
    {
        var store = await OpenAsync();
        var window = (From: Week0.AddDays(-62), To: Week0);
        await store.SaveRunAsync(Run(Week0, generatedAt: Week0.AddHours(1)),
        [
            new SourceFacts("github", window.From, window.To, Week0.AddHours(1), Gzip("""{"deployments":[{"id":"d1"}]}""")),
            new SourceFacts("linear", window.From, window.To, Week0.AddHours(1), Gzip("""{"issues":[{"id":"ENG-1"}]}""")),
        ], default);

        var rerun = await store.SaveRunAsync(Run(Week0, generatedAt: Week0.AddHours(5)),
            [new SourceFacts("github", window.From, window.To, Week0.AddHours(5), Gzip("""{"deployments":[{"id":"d1"},{"id":"d2"}]}"""))], default);

        Assert.Equal(2, (await store.ListRunsAsync(default)).Count);
        var github = Assert.Single(await store.GetFactsAsync("github", window.From, window.To, default));
        Assert.Equal(("""{"deployments":[{"id":"d1"},{"id":"d2"}]}""", Week0.AddHours(5)), (Gunzip(github), github.CollectedAt));
        var linear = Assert.Single(await store.GetFactsAsync("linear", window.From, window.To, default));
        Assert.Equal("""{"issues":[{"id":"ENG-1"}]}""", Gunzip(linear));
        Assert.True(rerun.Created);
    }

    [Fact]
    public async Task Facts_keep_the_fingerprint_of_the_settings_they_were_collected_with()
    {
        var store = await OpenAsync();
        await store.SaveRunAsync(Run(Week0, Week0),
        [
            new SourceFacts("github", Week0.AddDays(-7), Week0, Week0, Gzip("{}")) { SettingsFingerprint = "5e771e65" },
            new SourceFacts("linear", Week0.AddDays(-7), Week0, Week0, Gzip("{}")),
        ], default);

        Assert.Equal("5e771e65", Assert.Single(await store.GetFactsAsync("github", Week0.AddDays(-7), Week0, default)).SettingsFingerprint);
        Assert.Null(Assert.Single(await store.GetFactsAsync("linear", Week0.AddDays(-7), Week0, default)).SettingsFingerprint);
    }

    [Fact]
    public async Task Facts_are_found_by_any_overlap_with_the_window_asked_for()
    {
        var store = await OpenAsync();
        await store.SaveRunAsync(Run(Week0, Week0),
        [
            new SourceFacts("slack", Week0.AddDays(-14), Week0.AddDays(-7), Week0, Gzip("""{"week":"older"}""")),
            new SourceFacts("slack", Week0.AddDays(-7), Week0, Week0, Gzip("""{"week":"newer"}""")),
        ], default);

        Assert.Equal(["""{"week":"newer"}"""], (await store.GetFactsAsync("slack", Week0.AddDays(-3), Week0.AddDays(3), default)).Select(Gunzip));
        Assert.Equal(2, (await store.GetFactsAsync("slack", Week0.AddDays(-8), Week0, default)).Count);
        Assert.Empty(await store.GetFactsAsync("slack", Week0, Week0.AddDays(7), default));
        Assert.Empty(await store.GetFactsAsync("github", Week0.AddDays(-14), Week0, default));
    }

    [Fact]
    public async Task A_run_that_fails_half_way_leaves_the_store_as_it_was()
    {
        var store = await OpenAsync();
        var window = (From: Week0.AddDays(-30), To: Week0);
        await store.SaveRunAsync(Run(Week0, Week0), [new SourceFacts("github", window.From, window.To, Week0, Gzip("""{"v":1}"""))], default);
        var broken = Run(Week0, Week0.AddDays(1));
        // The same metric twice violates the key of metric_values after the run row and its facts'
        // replacement were already written in the transaction.
        broken = broken with { Snapshot = broken.Snapshot with { Metrics = [.. broken.Snapshot.Metrics, broken.Snapshot.Metrics[0]] } };

        await Assert.ThrowsAsync<HistoryStoreException>(() => store.SaveRunAsync(broken, [new SourceFacts("github", window.From, window.To, Week0.AddDays(1), Gzip("""{"v":2}"""))], default));

        var run = Assert.Single(await store.ListRunsAsync(default));
        Assert.Equal(Week0, run.GeneratedAt);
        Assert.Equal("""{"v":1}""", Gunzip(Assert.Single(await store.GetFactsAsync("github", window.From, window.To, default))));
        Assert.Equal(SampleSnapshots.Full().Metrics.Count, (await store.GetMetricValuesAsync(new MetricValueQuery(), default)).Count);
    }

    [Fact]
    public async Task Two_processes_saving_at_once_both_land()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();

        var saves = Enumerable.Range(0, 16).Select(i => (i % 2 == 0 ? first : second).SaveRunAsync(
            Run(Week0.AddDays(7 * (i / 2)), Week0.AddMinutes(i)),
            [new SourceFacts($"source{i}", Week0, Week0.AddDays(1), Week0, Gzip($$"""{"run":{{i}}}"""))], default));
        var saved = await Task.WhenAll(saves);

        Assert.Equal(16, saved.Select(s => s.Id).Distinct().Count());
        Assert.Equal(16, (await first.ListRunsAsync(default)).Count);
        Assert.Equal(16 * SampleSnapshots.Full().Metrics.Count, (await second.GetMetricValuesAsync(new MetricValueQuery(), default)).Count);
    }

    [Fact]
    public async Task Teams_storing_one_sources_facts_for_one_window_at_once_all_land()
    {
        // Four teams sharing the store: same source id, same fetch window, all storing at the same moment.
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));
        var window = (From: Week0.AddDays(-62), To: Week0);

        var saved = await Task.WhenAll(stores.Select((store, team) => store.SaveRunAsync(
            Run(Week0, Week0.AddMinutes(team)),
            [new SourceFacts("github", window.From, window.To, Week0.AddMinutes(team), Gzip($$"""{"team":{{team}}}"""))], default)));

        Assert.Equal(4, saved.Select(s => s.Id).Distinct().Count());
        Assert.Equal(4, (await stores[0].ListRunsAsync(default)).Count);
        Assert.Single(await stores[0].GetFactsAsync("github", window.From, window.To, default));
    }

    [Fact]
    public async Task Two_processes_opening_a_new_store_at_once_migrate_it_once()
    {
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => OpenAsync()));

        await stores[0].SaveRunAsync(Run(Week0, Week0), [], default);

        foreach (var store in stores)
        {
            Assert.Single(await store.ListRunsAsync(default));
        }
    }

    [Fact]
    public async Task A_store_written_by_a_newer_okrhost_is_refused()
    {
        var store = await OpenAsync();
        await store.SaveRunAsync(Run(Week0, Week0), [], default);
        await ExecuteRawAsync("INSERT INTO schema_version (version, name, applied_at) SELECT 99, '099_from_the_future.sql', applied_at FROM schema_version WHERE version = 1");

        var refused = await Assert.ThrowsAsync<HistoryStoreException>(OpenAsync);

        Assert.Equal(HistoryFailure.NewerSchema, refused.Failure);
        Assert.Contains("schema version 99", refused.Message, StringComparison.Ordinal);
        Assert.Contains("Upgrade okrhost", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Upgrading_a_store_that_kept_facts_as_text_keeps_its_runs_and_drops_those_facts()
    {
        var store = await OpenAsync();
        var saved = await store.SaveRunAsync(Run(Week0, Week0), [], default);
        // Back to schema version 2, as its own migrations left it, with one source's facts stored as text.
        var migrations = SchemaMigrations.For(Dialect);
        var textFactsTable = Regex.Match(migrations[0].Sql, @"CREATE TABLE source_facts \(.*?\n\);", RegexOptions.Singleline).Value;
        Assert.Contains("facts_json", textFactsTable, StringComparison.Ordinal);
        await ExecuteRawAsync($"DROP TABLE source_facts; {textFactsTable} {migrations[1].Sql} DELETE FROM schema_version WHERE version > 2;");
        await ExecuteRawAsync(
            $"INSERT INTO source_facts (run_id, source_id, fetch_from, fetch_to, collected_at, facts_json) VALUES ({saved.Id}, 'github', '2026-09-01T00:00:00Z', '2026-12-01T00:00:00Z', '2026-12-01T00:00:00Z', '{{}}')");

        var upgraded = await OpenAsync();
        await upgraded.SaveRunAsync(Run(Week0.AddDays(7), Week0.AddDays(7)), [new SourceFacts("github", Week0, Week0.AddDays(7), Week0.AddDays(7), Gzip("""{"v":3}"""))], default);

        Assert.Equal(2, (await upgraded.ListRunsAsync(default)).Count);
        Assert.Equal(["""{"v":3}"""], (await upgraded.GetFactsAsync("github", Week0.AddYears(-1), Week0.AddYears(1), default)).Select(Gunzip));
    }

    [Fact]
    public async Task Metric_values_are_read_by_metric_and_period_end_in_time_order()
    {
        var store = await OpenAsync();
        foreach (var week in new[] { 2, 0, 1 })
        {
            await store.SaveRunAsync(Run(Week0.AddDays(7 * week), Week0.AddDays(7 * week), deployments: 10 + week), [], default);
        }

        var all = await store.GetMetricValuesAsync(new MetricValueQuery { MetricId = "github.deployments" }, default);
        var lastTwo = await store.GetMetricValuesAsync(new MetricValueQuery
        {
            MetricId = "github.deployments", PeriodEndAfter = Week0, PeriodEndAtOrBefore = Week0.AddDays(14),
        }, default);

        Assert.Equal([10.0, 11, 12], all.Select(v => v.Value));
        Assert.Equal([Week0, Week0.AddDays(7), Week0.AddDays(14)], all.Select(v => v.PeriodTo));
        Assert.Equal([11.0, 12], lastTwo.Select(v => v.Value));
    }

    [Fact]
    public async Task The_latest_run_before_a_period_end_gives_the_key_results_to_compare_with()
    {
        var store = await OpenAsync();
        Assert.Null(await store.GetLatestRunAsync(null, default));
        var lastWeek = await store.SaveRunAsync(Run(Week0, Week0), [], default);
        var atRisk = Run(Week0.AddDays(7), Week0.AddDays(7));
        atRisk = atRisk with { Snapshot = atRisk.Snapshot with { Okrs = [.. atRisk.Snapshot.Okrs.Select(o => o with { KeyResults = [.. o.KeyResults.Select(k => k with { Status = OkrStatus.AtRisk })] })] } };
        var thisWeek = await store.SaveRunAsync(atRisk, [], default);

        var latest = await store.GetLatestRunAsync(null, default);
        var beforeThisWeek = await store.GetLatestRunAsync(Week0.AddDays(6), default);

        Assert.Equal(thisWeek.Id, latest!.Id);
        Assert.Equal(lastWeek.Id, beforeThisWeek!.Id);
        Assert.Null(await store.GetLatestRunAsync(Week0.AddDays(-1), default));
        Assert.All(await store.GetKeyResultsAsync(thisWeek.Id, default), k => Assert.Equal(OkrStatus.AtRisk, k.Status));
        Assert.Contains(await store.GetKeyResultsAsync(lastWeek.Id, default), k => k.Status == OkrStatus.Achieved);
    }

    [Fact]
    public async Task The_alert_ledger_answers_the_newest_state_per_key()
    {
        var store = await OpenAsync();
        var run = await store.SaveRunAsync(Run(Week0, Week0), [], default);
        Assert.Empty(await store.GetLatestAlertsAsync(default));

        await store.RecordAlertsAsync([new AlertRecord("kr:Fix what hurts/No more than 2", "at-risk", run.Id, Week0), new AlertRecord("source:grafana", "failed", run.Id, Week0)], default);
        await store.RecordAlertsAsync([new AlertRecord("kr:Fix what hurts/No more than 2", "off-track", null, Week0.AddDays(7))], default);

        var latest = await store.GetLatestAlertsAsync(default);
        Assert.Equal(new AlertRecord("kr:Fix what hurts/No more than 2", "off-track", null, Week0.AddDays(7)), latest["kr:Fix what hurts/No more than 2"]);
        Assert.Equal(new AlertRecord("source:grafana", "failed", run.Id, Week0), latest["source:grafana"]);
    }

    [Fact]
    public async Task Prune_deletes_runs_with_their_values_key_results_and_facts()
    {
        var store = await OpenAsync();
        for (var week = 0; week < 4; week++)
        {
            await store.SaveRunAsync(Run(Week0.AddDays(7 * week), Week0.AddDays(7 * week)),
                [new SourceFacts("github", Week0.AddDays(7 * week - 7), Week0.AddDays(7 * week), Week0, Gzip("{}"))], default);
        }

        var olderThanWeek1 = await store.PruneAsync(new RunsGeneratedBefore(Week0.AddDays(7)), default);
        var keptTwo = await store.PruneAsync(new KeepNewestRuns(2), default);

        Assert.Equal((1, 1), (olderThanWeek1, keptTwo));
        Assert.Equal([Week0.AddDays(14), Week0.AddDays(21)], (await store.ListRunsAsync(default)).Select(r => r.GeneratedAt));
        Assert.Equal(2 * SampleSnapshots.Full().Metrics.Count, (await store.GetMetricValuesAsync(new MetricValueQuery(), default)).Count);
        Assert.Equal(2, (await store.GetFactsAsync("github", Week0.AddDays(-7), Week0.AddDays(21), default)).Count);
        Assert.Equal(0, await store.PruneAsync(new KeepNewestRuns(2), default));
    }

    protected static RunProvenance Provenance { get; } = new("report", "9.9.9", "1.0.0", "abc123");

    /// <summary>A run of the sample snapshot for the month ending at <paramref name="periodEnd"/>.</summary>
    protected static HistoryRun Run(DateTimeOffset periodEnd, DateTimeOffset generatedAt, double deployments = 42)
    {
        var sample = SampleSnapshots.Full();
        return new HistoryRun(sample with
        {
            GeneratedAt = generatedAt,
            Period = new PeriodReport(periodEnd.AddDays(-31), periodEnd),
            PreviousPeriod = new PeriodReport(periodEnd.AddDays(-62), periodEnd.AddDays(-31)),
            Metrics = [.. sample.Metrics.Select(m => m.Id == "github.deployments" ? m with { Value = deployments } : m)],
        }, Provenance);
    }

    /// <summary>The store keeps facts as bytes it never reads; these tests give it readable JSON, compressed as a run would.</summary>
    private static byte[] Gzip(string json)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(json));
        }

        return buffer.ToArray();
    }

    private static string Gunzip(SourceFacts facts)
    {
        using var gzip = new GZipStream(new MemoryStream(facts.FactsGzip), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private async Task<IHistoryStore> OpenAsync()
    {
        var store = await OpenStoreAsync();
        lock (_opened)
        {
            _opened.Add(store);
        }

        return store;
    }
}

public class SchemaMigrationTests
{
    [Fact]
    public void Every_dialect_has_the_same_numbered_migrations_from_1_up()
    {
        var sqlite = SchemaMigrations.For("sqlite");
        var postgres = SchemaMigrations.For("postgres");

        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
        Assert.Equal(sqlite.Select(m => m.Name), postgres.Select(m => m.Name));
        Assert.All(sqlite.Concat(postgres), m => Assert.False(string.IsNullOrWhiteSpace(m.Sql), $"{m.Name} is empty"));
        Assert.Contains("CREATE TABLE", sqlite[0].Sql, StringComparison.Ordinal);
        Assert.Contains("CREATE TABLE", postgres[0].Sql, StringComparison.Ordinal);
    }
}

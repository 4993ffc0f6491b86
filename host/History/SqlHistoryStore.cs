using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.History;

/// <summary>
/// The history store in plain SQL over ADO.NET. The statements are written once for both dialects
/// (named <c>@parameters</c>, <c>RETURNING</c>, <c>LIMIT</c>); a dialect supplies its connections,
/// its write transaction, its timestamp representation and its migration scripts.
/// </summary>
/// <param name="clock">The run's clock: stamps when a migration was applied and a run stored.</param>
internal abstract class SqlHistoryStore(TimeProvider clock) : IHistoryStore
{
    private const string RunColumns =
        "id, generated_at, period_from, period_to, title, origin, tool_version, contracts_version, config_fingerprint, sources_ok, sources_total, stored_at";

    public abstract string Description { get; }

    /// <summary>The migration folder: <c>sqlite</c> or <c>postgres</c>.</summary>
    protected abstract string Dialect { get; }

    /// <summary>Creates the version table if missing; runs inside the migration transaction.</summary>
    protected abstract string SchemaVersionTableSql { get; }

    /// <summary>An open connection with the dialect's per-connection settings applied.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A transaction that holds the store's write lock from its start (so two writers queue, never deadlock).</summary>
    protected abstract Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken);

    protected abstract object Timestamp(DateTimeOffset instant);

    protected abstract DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal);

    /// <summary>The message of a database error, safe to show (no connection string, no password).</summary>
    protected abstract string Describe(Exception exception);

    /// <summary>Whether the exception means the store is not usable at all, as opposed to one statement failing.</summary>
    protected virtual bool IsStoreFailure(Exception exception) => exception is DbException or IOException;

    public abstract ValueTask DisposeAsync();

    /// <summary>Migrates a freshly opened store; a store that cannot be migrated is closed before the error leaves.</summary>
    protected static async Task<TStore> MigratedAsync<TStore>(TStore store, CancellationToken cancellationToken) where TStore : SqlHistoryStore
    {
        try
        {
            await store.MigrateAsync(cancellationToken);
            return store;
        }
        catch
        {
            await store.DisposeAsync();
            throw;
        }
    }

    /// <summary>Brings the schema to this build's version, or refuses a store written by a newer one.</summary>
    public Task MigrateAsync(CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        var migrations = SchemaMigrations.For(Dialect);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, SchemaVersionTableSql, cancellationToken);
        var current = Convert.ToInt32(await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        if (current > migrations.Count)
        {
            throw new HistoryStoreException(HistoryFailure.NewerSchema,
                $"{Description} has schema version {current}, written by a newer okrhost; this one reads up to version {migrations.Count}. Upgrade okrhost, or point history at another store.");
        }

        foreach (var migration in migrations.Where(m => m.Version > current))
        {
            await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_version (version, name, applied_at) VALUES (@version, @name, @at)", cancellationToken,
                ("version", migration.Version), ("name", migration.Name), ("at", Timestamp(clock.GetUtcNow())));
        }

        await transaction.CommitAsync(cancellationToken);
    });

    public Task<SavedRun> SaveRunAsync(HistoryRun run, IReadOnlyList<SourceFacts> facts, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentNullException.ThrowIfNull(facts);
        var snapshot = run.Snapshot;
        var json = SnapshotJson.Serialize(snapshot);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        if (await ScalarAsync(connection, transaction, "SELECT id FROM runs WHERE snapshot_sha256 = @hash", cancellationToken, ("hash", hash)) is { } existing and not DBNull)
        {
            return new SavedRun(Convert.ToInt64(existing, System.Globalization.CultureInfo.InvariantCulture), Created: false);
        }

        var provenance = run.Provenance;
        var id = Convert.ToInt64(await ScalarAsync(connection, transaction,
            """
            INSERT INTO runs (generated_at, period_from, period_to, title, origin, tool_version, contracts_version, config_fingerprint,
                              sources_ok, sources_total, snapshot_sha256, snapshot_json, stored_at)
            VALUES (@generated, @from, @to, @title, @origin, @tool, @contracts, @fingerprint, @ok, @total, @hash, @json, @stored)
            RETURNING id
            """,
            cancellationToken,
            ("generated", Timestamp(snapshot.GeneratedAt)), ("from", Timestamp(snapshot.Period.From)), ("to", Timestamp(snapshot.Period.To)),
            ("title", snapshot.Title), ("origin", provenance.Origin), ("tool", provenance.ToolVersion), ("contracts", provenance.ContractsVersion),
            ("fingerprint", provenance.ConfigFingerprint), ("ok", snapshot.Sources.Count(s => s.Status == SourceStatus.Ok)),
            ("total", snapshot.Sources.Count), ("hash", hash), ("json", json), ("stored", Timestamp(clock.GetUtcNow()))), System.Globalization.CultureInfo.InvariantCulture);

        foreach (var metric in snapshot.Metrics)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO metric_values (run_id, metric_id, source, unit, value, previous, sample_size) VALUES (@run, @metric, @source, @unit, @value, @previous, @samples)",
                cancellationToken,
                ("run", id), ("metric", metric.Id), ("source", metric.Source), ("unit", EnumText.Of(metric.Unit)), ("value", metric.Value), ("previous", metric.Previous),
                ("samples", metric.SampleSize));
        }

        var position = 0;
        foreach (var objective in snapshot.Okrs)
        {
            foreach (var keyResult in objective.KeyResults)
            {
                await ExecuteAsync(connection, transaction,
                    """
                    INSERT INTO key_results (run_id, position, objective, key_result, metric_id, target, baseline, direction, actual, progress, status)
                    VALUES (@run, @position, @objective, @title, @metric, @target, @baseline, @direction, @actual, @progress, @status)
                    """,
                    cancellationToken,
                    ("run", id), ("position", position++), ("objective", objective.Title), ("title", keyResult.Title), ("metric", keyResult.Metric),
                    ("target", keyResult.Target), ("baseline", keyResult.Baseline), ("direction", EnumText.Of(keyResult.Direction)),
                    ("actual", keyResult.Actual), ("progress", keyResult.Progress), ("status", EnumText.Of(keyResult.Status)));
            }
        }

        foreach (var sourceFacts in facts)
        {
            // Re-collecting a source's window replaces what was stored for it; the run itself is added.
            await ExecuteAsync(connection, transaction, "DELETE FROM source_facts WHERE source_id = @source AND fetch_from = @from AND fetch_to = @to", cancellationToken,
                ("source", sourceFacts.SourceId), ("from", Timestamp(sourceFacts.FetchFrom)), ("to", Timestamp(sourceFacts.FetchTo)));
            await ExecuteAsync(connection, transaction,
                "INSERT INTO source_facts (run_id, source_id, fetch_from, fetch_to, collected_at, facts_gzip, settings_fingerprint) VALUES (@run, @source, @from, @to, @collected, @facts, @fingerprint)",
                cancellationToken,
                ("run", id), ("source", sourceFacts.SourceId), ("from", Timestamp(sourceFacts.FetchFrom)), ("to", Timestamp(sourceFacts.FetchTo)),
                ("collected", Timestamp(sourceFacts.CollectedAt)), ("facts", sourceFacts.FactsGzip), ("fingerprint", sourceFacts.SettingsFingerprint));
        }

        await transaction.CommitAsync(cancellationToken);
        return new SavedRun(id, Created: true);
    });

    public Task<IReadOnlyList<RunSummary>> ListRunsAsync(CancellationToken cancellationToken) =>
        QueryAsync($"SELECT {RunColumns} FROM runs ORDER BY period_to, generated_at, id", ReadRun, cancellationToken);

    public Task<StoredRun?> GetRunAsync(long runId, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        var rows = await QueryAsync($"SELECT {RunColumns}, snapshot_json FROM runs WHERE id = @id",
            reader => new StoredRun(ReadRun(reader), reader.GetString(12)), cancellationToken, ("id", runId));
        return rows.Count == 0 ? null : rows[0];
    });

    public Task<RunSummary?> GetLatestRunAsync(DateTimeOffset? periodEndAtOrBefore, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        var rows = periodEndAtOrBefore is { } end
            ? await QueryAsync($"SELECT {RunColumns} FROM runs WHERE period_to <= @end ORDER BY period_to DESC, generated_at DESC, id DESC LIMIT 1", ReadRun, cancellationToken, ("end", Timestamp(end)))
            : await QueryAsync($"SELECT {RunColumns} FROM runs ORDER BY period_to DESC, generated_at DESC, id DESC LIMIT 1", ReadRun, cancellationToken);
        return rows.Count == 0 ? null : rows[0];
    });

    public Task<IReadOnlyList<StoredKeyResult>> GetKeyResultsAsync(long runId, CancellationToken cancellationToken) => QueryAsync(
        "SELECT run_id, objective, key_result, metric_id, target, baseline, direction, actual, progress, status FROM key_results WHERE run_id = @run ORDER BY position",
        reader => new StoredKeyResult(
            reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetDouble(4), NullableDouble(reader, 5),
            EnumText.Parse<KeyResultDirection>(reader.GetString(6)), NullableDouble(reader, 7), NullableDouble(reader, 8), EnumText.Parse<OkrStatus>(reader.GetString(9))),
        cancellationToken,
        ("run", runId));

    public Task<IReadOnlyList<StoredMetricValue>> GetMetricValuesAsync(MetricValueQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        void Where(string condition, string name, object value)
        {
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        if (query.MetricId is { } metric)
        {
            Where("m.metric_id = @metric", "metric", metric);
        }

        if (query.RunId is { } run)
        {
            Where("r.id = @run", "run", run);
        }

        if (query.PeriodEndAfter is { } after)
        {
            Where("r.period_to > @after", "after", Timestamp(after));
        }

        if (query.PeriodEndAtOrBefore is { } until)
        {
            Where("r.period_to <= @until", "until", Timestamp(until));
        }

        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        return QueryAsync(
            $"""
            SELECT r.id, r.generated_at, r.period_from, r.period_to, m.metric_id, m.source, m.unit, m.value, m.previous, m.sample_size
            FROM metric_values m JOIN runs r ON r.id = m.run_id {where}
            ORDER BY r.period_to, r.generated_at, r.id, m.metric_id
            """,
            reader => new StoredMetricValue(
                reader.GetInt64(0), ReadTimestamp(reader, 1), ReadTimestamp(reader, 2), ReadTimestamp(reader, 3), reader.GetString(4), reader.GetString(5),
                reader.GetString(6), NullableDouble(reader, 7), NullableDouble(reader, 8), reader.IsDBNull(9) ? null : reader.GetInt32(9)),
            cancellationToken,
            [.. parameters]);
    }

    public Task<IReadOnlyList<SourceFacts>> GetFactsAsync(string sourceId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) => QueryAsync(
        "SELECT source_id, fetch_from, fetch_to, collected_at, facts_gzip, settings_fingerprint FROM source_facts WHERE source_id = @source AND fetch_from < @to AND fetch_to > @from ORDER BY collected_at, id",
        reader => new SourceFacts(reader.GetString(0), ReadTimestamp(reader, 1), ReadTimestamp(reader, 2), ReadTimestamp(reader, 3), reader.GetFieldValue<byte[]>(4))
        {
            SettingsFingerprint = reader.IsDBNull(5) ? null : reader.GetString(5),
        },
        cancellationToken,
        ("source", sourceId), ("from", Timestamp(from)), ("to", Timestamp(to)));

    public Task<IReadOnlyDictionary<string, AlertRecord>> GetLatestAlertsAsync(CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        var rows = await QueryAsync(
            "SELECT a.alert_key, a.state, a.run_id, a.alerted_at FROM alerts a WHERE a.id = (SELECT MAX(b.id) FROM alerts b WHERE b.alert_key = a.alert_key)",
            reader => new AlertRecord(reader.GetString(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetInt64(2), ReadTimestamp(reader, 3)),
            cancellationToken);
        return (IReadOnlyDictionary<string, AlertRecord>)rows.ToDictionary(a => a.Key, StringComparer.Ordinal);
    });

    public Task RecordAlertsAsync(IReadOnlyList<AlertRecord> alerts, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        ArgumentNullException.ThrowIfNull(alerts);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        foreach (var alert in alerts)
        {
            await ExecuteAsync(connection, transaction, "INSERT INTO alerts (alert_key, state, run_id, alerted_at) VALUES (@key, @state, @run, @at)", cancellationToken,
                ("key", alert.Key), ("state", alert.State), ("run", alert.RunId), ("at", Timestamp(alert.AlertedAt)));
        }

        await transaction.CommitAsync(cancellationToken);
    });

    public Task<int> PruneAsync(PruneRule rule, CancellationToken cancellationToken) => GuardAsync(async () =>
    {
        var (sql, parameter) = rule switch
        {
            KeepNewestRuns keep => ("DELETE FROM runs WHERE id NOT IN (SELECT id FROM runs ORDER BY generated_at DESC, id DESC LIMIT @value)", (object)keep.Count),
            RunsGeneratedBefore before => ("DELETE FROM runs WHERE generated_at < @value", Timestamp(before.Instant)),
            _ => throw new ArgumentOutOfRangeException(nameof(rule)),
        };
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginWriteAsync(connection, cancellationToken);
        var deleted = await ExecuteAsync(connection, transaction, sql, cancellationToken, ("value", parameter));
        await transaction.CommitAsync(cancellationToken);
        return deleted;
    });

    private RunSummary ReadRun(DbDataReader reader) => new(
        reader.GetInt64(0), ReadTimestamp(reader, 1), ReadTimestamp(reader, 2), ReadTimestamp(reader, 3), reader.GetString(4), reader.GetString(5),
        reader.GetString(6), reader.GetString(7), reader.IsDBNull(8) ? null : reader.GetString(8), reader.GetInt32(9), reader.GetInt32(10), ReadTimestamp(reader, 11));

    private static double? NullableDouble(DbDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? null : reader.GetDouble(ordinal);

    private Task<IReadOnlyList<T>> QueryAsync<T>(string sql, Func<DbDataReader, T> read, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters) =>
        GuardAsync(async () =>
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var command = Command(connection, null, sql, parameters);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            var rows = new List<T>();
            while (await reader.ReadAsync(cancellationToken))
            {
                rows.Add(read(reader));
            }

            return (IReadOnlyList<T>)rows;
        });

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }

    /// <summary>Turns database and I/O errors into one store error the CLI can print; the transaction in flight rolls back on dispose.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception ex) when (IsStoreFailure(ex))
        {
            throw new HistoryStoreException(HistoryFailure.Unavailable, $"{Description}: {Describe(ex)}", ex);
        }
    }

    private async Task GuardAsync(Func<Task> action) => await GuardAsync(async () =>
    {
        await action();
        return true;
    });
}

/// <summary>The JSON names of the snapshot's enums (<c>on-track</c>, <c>per-week</c>), which the store keeps as text.</summary>
internal static class EnumText
{
    public static string Of<T>(T value)
        where T : struct, Enum => JsonSerializer.Serialize(value, SnapshotJson.Options).Trim('"');

    public static T Parse<T>(string text)
        where T : struct, Enum => JsonSerializer.Deserialize<T>($"\"{text}\"", SnapshotJson.Options);
}

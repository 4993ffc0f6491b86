using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace OkrHost.History;

/// <summary>
/// The embedded store: one SQLite file in WAL mode (readers never wait for the writer) with a busy
/// timeout, so a second okrhost writing at the same moment queues instead of failing.
/// </summary>
internal sealed class SqliteHistoryStore : SqlHistoryStore
{
    private const int BusyTimeoutSeconds = 30;
    private const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'";
    private readonly string _connectionString;

    private SqliteHistoryStore(string path, bool createIfMissing, TimeProvider clock)
        : base(clock)
    {
        Path = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = createIfMissing ? SqliteOpenMode.ReadWriteCreate : SqliteOpenMode.ReadWrite,
            DefaultTimeout = BusyTimeoutSeconds,
            Pooling = true,
        }.ToString();
    }

    public string Path { get; }

    public override string Description => $"history store {Path}";

    protected override string Dialect => "sqlite";

    protected override string SchemaVersionTableSql =>
        "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";

    /// <summary>Opens (and creates, unless <paramref name="createIfMissing"/> is false) the file and migrates it.</summary>
    public static async Task<SqliteHistoryStore> OpenAsync(string path, bool createIfMissing, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!createIfMissing && !File.Exists(path))
        {
            throw new HistoryStoreException(HistoryFailure.NotFound, $"no history store at {path} yet (a report run creates it)");
        }

        var existed = File.Exists(path);
        if (createIfMissing)
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        }

        var store = new SqliteHistoryStore(path, createIfMissing, clock);
        if (createIfMissing && existed)
        {
            try
            {
                await store.CheckIntactAsync(cancellationToken);
            }
            catch
            {
                await store.DisposeAsync();
                throw;
            }
        }

        return await MigratedAsync(store, cancellationToken);
    }

    /// <summary>
    /// A writer checks every page before it starts (a run would otherwise collect every source and then
    /// fail on a damaged page); readers skip it, so what is intact can still be listed and exported.
    /// </summary>
    private async Task CheckIntactAsync(CancellationToken cancellationToken)
    {
        string verdict;
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA quick_check(1)";
            verdict = Convert.ToString(await check.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture) ?? "no answer";
        }
        catch (SqliteException ex)
        {
            verdict = ex.Message;
        }

        if (verdict != "ok")
        {
            throw new HistoryStoreException(HistoryFailure.Damaged,
                $"{Description} is damaged ({verdict.Split('\n')[0]}); nothing can be stored in it. What is intact may still be read with "
                + $"`okrhost history list --store {Path}` and `okrhost history export --store {Path}`; move the file aside (the next run starts a new store) or run with --no-history");
        }
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(cancellationToken);
            await using var pragmas = connection.CreateCommand();
            // WAL is a property of the file (set once, kept); foreign keys and the busy timeout are per connection.
            pragmas.CommandText = $"PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = {BusyTimeoutSeconds * 1000};";
            await pragmas.ExecuteNonQueryAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    // BEGIN IMMEDIATE: take the write lock up front, so two writers queue on the busy timeout
    // instead of both reading and then failing to upgrade.
    protected override Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) =>
        Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));

    protected override object Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString(TimestampFormat, CultureInfo.InvariantCulture);

    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), TimestampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    protected override string Describe(Exception exception) => exception.Message;

    public override ValueTask DisposeAsync()
    {
        // Pooled connections keep the file open; release them so the file can be moved or deleted.
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
        return ValueTask.CompletedTask;
    }
}

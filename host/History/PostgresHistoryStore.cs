using System.Data.Common;
using Npgsql;
using OkrHost.Security;

namespace OkrHost.History;

/// <summary>
/// The shared store: a PostgreSQL database named by a connection string that only ever lives in
/// memory (it comes from the variable <c>history.connectionStringEnv</c> names and is never printed).
/// </summary>
internal sealed class PostgresHistoryStore : SqlHistoryStore
{
    // Any fixed number: the transaction-scoped advisory lock that makes two okrhosts migrating the
    // same fresh database take turns.
    private const long MigrationLockKey = 0x6F6B72686F7374;

    // Another fixed number: the transaction-scoped lock every write holds, so concurrent runs take turns.
    private const long WriteLockKey = 0x6F6B72686F7375;
    private readonly NpgsqlDataSource _dataSource;
    private readonly Redactor _redactor;

    private PostgresHistoryStore(NpgsqlDataSource dataSource, Redactor redactor, string description, TimeProvider clock)
        : base(clock)
    {
        _dataSource = dataSource;
        _redactor = redactor;
        Description = description;
    }

    public override string Description { get; }

    protected override string Dialect => "postgres";

    protected override string SchemaVersionTableSql =>
        $"SELECT pg_advisory_xact_lock({MigrationLockKey}); CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)";

    /// <param name="connectionString">The secret; only the host, port and database appear in messages.</param>
    /// <param name="variable">The variable it came from, to name in messages.</param>
    /// <param name="redactor">The run's redactor: told the connection string before anything can quote it.</param>
    public static async Task<PostgresHistoryStore> OpenAsync(string connectionString, string variable, Redactor redactor, TimeProvider clock, CancellationToken cancellationToken)
    {
        redactor.AddConnectionString(connectionString);
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
            // Npgsql also reads the password under names the generic parser does not know as secret (PSW).
            redactor.AddSecret(builder.Password);
        }
        catch (ArgumentException)
        {
            // The parser's message can quote the string: say only where it came from.
            throw new HistoryStoreException(HistoryFailure.NotConfigured, $"history.connectionStringEnv: the variable {variable} does not hold a valid PostgreSQL connection string");
        }

        var description = $"PostgreSQL history store {builder.Host}:{builder.Port}/{builder.Database ?? builder.Username} (from {variable})";
        return await MigratedAsync(new PostgresHistoryStore(NpgsqlDataSource.Create(builder), redactor, description, clock), cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await _dataSource.OpenConnectionAsync(cancellationToken);

    // Under READ COMMITTED two runs replacing one source's facts would both delete, then both insert,
    // and the second would break the unique key: writers take the store's lock first and queue, as on SQLite.
    protected override async Task<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        try
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"SELECT pg_advisory_xact_lock({WriteLockKey})";
            await command.ExecuteNonQueryAsync(cancellationToken);
            return transaction;
        }
        catch
        {
            await transaction.DisposeAsync();
            throw;
        }
    }

    protected override object Timestamp(DateTimeOffset instant) => instant.ToUniversalTime();

    protected override DateTimeOffset ReadTimestamp(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    protected override string Describe(Exception exception) => _redactor.Redact(exception.Message);

    protected override bool IsStoreFailure(Exception exception) => base.IsStoreFailure(exception) || exception is TimeoutException or System.Net.Sockets.SocketException;

    public override ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}

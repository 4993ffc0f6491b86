using Microsoft.Data.Sqlite;
using Npgsql;
using OkrHost.History;
using OkrHost.Security;
using OkrHost.Testing;
using OkrHost.Configuration;
using OkrHost.UseCases;

namespace OkrHost.Tests.History;

/// <summary>The store suite on the embedded default: a SQLite file in a temporary folder.</summary>
public sealed class SqliteHistoryStoreTests : HistoryStoreTests
{
    private readonly TempFolder _folder = new();

    private string StorePath => _folder.Combine("okrhost.db");

    protected override string Dialect => "sqlite";

    protected override async Task<IHistoryStore> OpenStoreAsync() =>
        (await HistoryStores.OpenAsync(new SqliteHistory(StorePath), _ => null, new Redactor(), TimeProvider.System, createIfMissing: true, default))!;

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={StorePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        _folder.Dispose();
    }
}

[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    public const string Name = "PostgreSQL server";
}

/// <summary>The store suite on PostgreSQL: each test in a schema of its own on the server of <see cref="PostgresServer"/>.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresHistoryStoreTests(PostgresServer server) : HistoryStoreTests
{
    private const string Variable = "OKRHOST_DATABASE";
    private string _connectionString = "";

    protected override string Dialect => "postgres";

    public override async Task InitializeAsync() => _connectionString = await server.NewSchemaAsync();

    protected override async Task<IHistoryStore> OpenStoreAsync() =>
        (await HistoryStores.OpenAsync(new PostgresHistory(Variable), name => name == Variable ? _connectionString : null, new Redactor(), TimeProvider.System, createIfMissing: true, default))!;

    protected override async Task ExecuteRawAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}

using Npgsql;
using Xunit;

namespace OkrHost.Testing;

/// <summary>
/// The PostgreSQL server the store tests run against: the one <c>OKRHOST_TEST_POSTGRES</c> names
/// (.ci/run starts one), else a throwaway cluster this fixture starts and stops with
/// <c>.ci/postgres.sh</c> when the PostgreSQL binaries are installed. Without either, every
/// PostgreSQL test fails with how to run it: a backend that was not tested must not look tested.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    public const string Variable = "OKRHOST_TEST_POSTGRES";

    private string? _clusterDirectory;

    /// <summary>A connection string to the server's <c>postgres</c> database.</summary>
    public string ConnectionString { get; private set; } = "";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given)
        {
            ConnectionString = given;
            return;
        }

        var script = Path.Combine(RepoPaths.Root, ".ci", "postgres.sh");
        var (exitCode, output, error) = await ProcessRunner.RunAsync("bash", [script, "start"], TimeSpan.FromMinutes(2));
        if (exitCode != 0)
        {
            throw new InvalidOperationException(
                $"The PostgreSQL store tests need a server. Set {Variable} to a connection string (e.g. \"Host=127.0.0.1;Port=5432;Username=postgres;Database=postgres\"), " +
                $"or install PostgreSQL (apt-get install postgresql) so they start their own, or run .ci/run. .ci/postgres.sh said: {error.Trim()}");
        }

        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var (name, value) = (line["export ".Length..line.IndexOf('=', StringComparison.Ordinal)], line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('\''));
            if (name == Variable)
            {
                ConnectionString = value;
            }
            else if (name == Variable + "_DIR")
            {
                _clusterDirectory = value;
            }
        }
    }

    /// <summary>
    /// A connection string whose tables live in a new, empty schema: every test gets a store of its own
    /// on the one server.
    /// </summary>
    public async Task<string> NewSchemaAsync()
    {
        var schema = "okrhost_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(ConnectionString) { SearchPath = schema }.ToString();
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_clusterDirectory is not null)
        {
            await ProcessRunner.RunAsync("bash", [Path.Combine(RepoPaths.Root, ".ci", "postgres.sh"), "stop", _clusterDirectory], TimeSpan.FromMinutes(1));
        }
    }
}

using OkrHost.Security;
using OkrHost.Configuration;

namespace OkrHost.History;

/// <summary>Opens the store the settings name, migrated to this build's schema.</summary>
public static class HistoryStores
{
    /// <param name="settings">Where the store is.</param>
    /// <param name="variable">Reads a variable (environment, then .env) for the PostgreSQL connection string.</param>
    /// <param name="redactor">Learns the PostgreSQL connection string, so no message, log or report can show it.</param>
    /// <param name="clock">The run's clock: stamps when migrations were applied and runs stored.</param>
    /// <param name="createIfMissing">False for commands that only read: a missing SQLite file is an error, not a new store.</param>
    /// <param name="cancellationToken">Cancels opening and migrating.</param>
    /// <returns>The store, or null when history is off.</returns>
    public static async Task<IHistoryStore?> OpenAsync(HistorySettings settings, Func<string, string?> variable, Redactor redactor, TimeProvider clock, bool createIfMissing, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(redactor);
        ArgumentNullException.ThrowIfNull(clock);
        switch (settings)
        {
            case SqliteHistory sqlite:
                return await SqliteHistoryStore.OpenAsync(sqlite.Path, createIfMissing, clock, cancellationToken);
            case PostgresHistory postgres:
                var connectionString = variable(postgres.ConnectionStringEnv);
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new HistoryStoreException(HistoryFailure.NotConfigured,
                        $"history.connectionStringEnv: the variable {postgres.ConnectionStringEnv} is not set (it holds the PostgreSQL connection string)");
                }

                return await PostgresHistoryStore.OpenAsync(connectionString, postgres.ConnectionStringEnv, redactor, clock, cancellationToken);
            default:
                return null;
        }
    }
}

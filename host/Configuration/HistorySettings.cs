using OkrHost.Contracts;
using System.Text.Json;

namespace OkrHost.Configuration;

/// <summary>Where runs are remembered: <c>history</c> in plugins.json (PRODUCT.md section 9).</summary>
public abstract record HistorySettings
{
    public const string DefaultFileName = "okrhost.db";

    /// <summary><c>{ "enabled": false }</c> or <c>report --no-history</c>: nothing is stored.</summary>
    public static readonly HistorySettings None = new NoHistory();

    private static readonly string[] Keys = ["enabled", "path", "connectionStringEnv"];

    /// <summary>Reads <c>$.history</c>; absent means an <c>okrhost.db</c> beside the config.</summary>
    internal static HistorySettings Read(JsonReader reader, JsonElement root, string configDirectory)
    {
        var defaultFile = new SqliteHistory(Path.Combine(configDirectory, DefaultFileName));
        if (reader.Object(root, "history", "$.history") is not { } history)
        {
            return defaultFile;
        }

        reader.WarnUnknownKeys(history, "$.history", Keys);
        var enabled = reader.Boolean(history, "enabled", "$.history.enabled");
        var path = NonEmpty(reader, history, "path");
        var variable = NonEmpty(reader, history, "connectionStringEnv");
        if (path is not null && variable is not null)
        {
            reader.Error("$.history", "use either path (a SQLite file) or connectionStringEnv (PostgreSQL), not both");
        }

        return enabled == false ? None
            : variable is not null ? new PostgresHistory(variable)
            : path is not null ? new SqliteHistory(Path.GetFullPath(Path.Combine(configDirectory, path)))
            : defaultFile;
    }

    /// <summary>
    /// What <c>validate</c> can tell about the store without opening it: the connection string's
    /// variable must be set (its value is never looked at beyond that).
    /// </summary>
    internal static IEnumerable<Problem> CheckEnvironment(HostConfig config, Func<string, string?> environment)
    {
        if (config.History is PostgresHistory postgres && string.IsNullOrWhiteSpace(config.Variable(environment, postgres.ConnectionStringEnv)))
        {
            // A warning, like a missing token: the variable may only exist where the report runs (a CI secret, a pod).
            yield return Problem.Warning(config.File, "$.history.connectionStringEnv",
                $"the variable {postgres.ConnectionStringEnv} is not set (it holds the PostgreSQL connection string)");
        }
    }

    private static string? NonEmpty(JsonReader reader, JsonElement history, string key)
    {
        var value = reader.String(history, key, $"$.history.{key}");
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            reader.Error($"$.history.{key}", "must not be empty");
            return null;
        }

        return value;
    }
}

public sealed record NoHistory : HistorySettings;

/// <summary>An embedded SQLite file (absolute path).</summary>
public sealed record SqliteHistory(string Path) : HistorySettings;

/// <summary>A PostgreSQL database whose connection string is in the variable <c>ConnectionStringEnv</c>.</summary>
public sealed record PostgresHistory(string ConnectionStringEnv) : HistorySettings;

using OkrHost.Contracts;

namespace OkrHost.Configuration;

/// <summary>Where runs are remembered: <c>history</c> in plugins.json (PRODUCT.md section 9).</summary>
public abstract record HistorySettings
{
    public const string DefaultFileName = "okrhost.db";

    /// <summary><c>{ "enabled": false }</c> or <c>report --no-history</c>: nothing is stored.</summary>
    public static readonly HistorySettings None = new NoHistory();

    /// <summary>The store <c>$.history</c> names; absent (null) means an <c>okrhost.db</c> beside the config.</summary>
    internal static HistorySettings From(HistoryConfig? history, string configDirectory, ICollection<Problem> problems)
    {
        var defaultFile = new SqliteHistory(Path.Combine(configDirectory, DefaultFileName));
        if (history is null)
        {
            return defaultFile;
        }

        var path = NonEmpty(history.Path, "path", problems);
        var variable = NonEmpty(history.ConnectionStringEnv, "connectionStringEnv", problems);
        if (path is not null && variable is not null)
        {
            problems.Add(Problem.Error("$.history", "use either path (a SQLite file) or connectionStringEnv (PostgreSQL), not both"));
        }

        return history.Enabled == false ? None
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

    private static string? NonEmpty(string? value, string key, ICollection<Problem> problems)
    {
        if (value is not null && string.IsNullOrWhiteSpace(value))
        {
            problems.Add(Problem.Error($"$.history.{key}", "must not be empty"));
            return null;
        }

        return value;
    }
}

/// <summary><c>$.history</c> as written.</summary>
public sealed class HistoryConfig
{
    public bool? Enabled { get; set; }

    /// <summary>A SQLite file, relative to the config.</summary>
    public string? Path { get; set; }

    /// <summary>The variable holding a PostgreSQL connection string.</summary>
    public string? ConnectionStringEnv { get; set; }
}

public sealed record NoHistory : HistorySettings;

/// <summary>An embedded SQLite file (absolute path).</summary>
public sealed record SqliteHistory(string Path) : HistorySettings;

/// <summary>A PostgreSQL database whose connection string is in the variable <c>ConnectionStringEnv</c>.</summary>
public sealed record PostgresHistory(string ConnectionStringEnv) : HistorySettings;

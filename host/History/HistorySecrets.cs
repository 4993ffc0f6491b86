using Npgsql;

namespace OkrHost.History;

/// <summary>
/// Keeps the store's connection string out of every message. The one place the history store
/// redacts, so it can defer to the host-wide redactor once there is one.
/// </summary>
internal static class HistorySecrets
{
    public const string Mask = "***";

    public static string Redact(string text, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(text);
        var secrets = new List<string> { connectionString };
        try
        {
            if (new NpgsqlConnectionStringBuilder(connectionString).Password is { Length: > 0 } password)
            {
                secrets.Add(password);
            }
        }
        catch (ArgumentException)
        {
            // Not parseable: the whole string is still masked.
        }

        return secrets.Where(s => s.Length > 0).OrderByDescending(s => s.Length)
            .Aggregate(text, (current, secret) => current.Replace(secret, Mask, StringComparison.Ordinal));
    }
}

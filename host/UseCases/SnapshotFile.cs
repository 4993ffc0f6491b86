using System.Text.Json;
using OkrHost.Reporting;

namespace OkrHost.UseCases;

/// <summary>Reads a report.json named on the command line (render, ask, history import).</summary>
internal static class SnapshotFile
{
    /// <summary>The snapshot, or null after printing why it cannot be used (unreadable, not a snapshot, another schema version).</summary>
    public static async Task<ReportSnapshot?> ReadAsync(string path, string displayName, TextWriter error, CancellationToken cancellationToken)
    {
        ReportSnapshot report;
        try
        {
            report = SnapshotJson.Deserialize(await File.ReadAllTextAsync(path, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or JsonException or NotSupportedException)
        {
            error.WriteLine($"error: {displayName}: cannot read the snapshot: {ex.Message}");
            return null;
        }

        if (report.SchemaVersion != ReportSnapshot.CurrentSchemaVersion)
        {
            error.WriteLine($"error: {displayName}: $.schemaVersion: {report.SchemaVersion} is not supported (this okrhost reads {ReportSnapshot.CurrentSchemaVersion})");
            return null;
        }

        return report;
    }
}

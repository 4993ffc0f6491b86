using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Security;

namespace OkrHost.History;

/// <summary>How a <c>report</c> run meets the store: opened before anything is fetched, written after the files.</summary>
internal static class ReportHistory
{
    /// <summary>The contracts assembly's version (plugins compile against it); stored with every run.</summary>
    public static string ContractsVersion { get; } = typeof(ISourcePlugin).Assembly.GetName().Version?.ToString(3) ?? "unknown";

    public static RunProvenance Provenance(string origin, string? configFingerprint) =>
        new(origin, HtmlReportRenderer.Version, ContractsVersion, configFingerprint);

    /// <summary>
    /// Opens the configured store, or returns null when history is off. Throws
    /// <see cref="HistoryStoreException"/> when it cannot be used, before a single request is spent.
    /// </summary>
    public static Task<IHistoryStore?> OpenAsync(HostConfig config, Func<string, string?> environment, Redactor redactor, TimeProvider clock, bool noHistory, CancellationToken cancellationToken) =>
        noHistory
            ? Task.FromResult<IHistoryStore?>(null)
            : HistoryStores.OpenAsync(config.History, name => config.Variable(environment, name), redactor, clock, createIfMissing: true, cancellationToken);

    /// <summary>
    /// Stores the run and its sources' facts after its files are written. A failure is reported with the way to store the
    /// run later (<c>history import</c>), and never touches the files; returns the stored run, or null when it was not stored.
    /// </summary>
    public static async Task<SavedRun?> SaveAsync(IHistoryStore store, ReportSnapshot snapshot, IReadOnlyList<SourceFacts> facts, HostConfig config, string snapshotPath, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            var saved = await store.SaveRunAsync(new HistoryRun(snapshot, Provenance("report", config.Fingerprint)), facts, cancellationToken);
            output.WriteLine($"run {saved.Id} stored in {store.Description}");
            return saved;
        }
        catch (HistoryStoreException ex)
        {
            error.WriteLine($"error: the report was written but not stored in history: {ex.Message}");
            error.WriteLine($"  once the store is back: okrhost history import {snapshotPath}");
            return null;
        }
    }
}

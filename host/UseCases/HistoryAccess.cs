using OkrHost.Analysis;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Reporting;

namespace OkrHost.UseCases;

/// <summary>
/// The store the history subcommands work on: the SQLite file <c>--store</c> names, else the config's
/// <c>history</c>. Every store problem is a message, the connection string never in it.
/// </summary>
internal sealed class HistoryAccess(RunEnvironment environment)
{
    /// <summary>Opens the store and runs <paramref name="work"/> on it; a store problem prints and exits 2.</summary>
    public async Task<int> WithStoreAsync(string? configOption, string? storeOption, bool createIfMissing, Func<IHistoryStore, Task<int>> work, CancellationToken cancellationToken)
    {
        if (Settings(configOption, storeOption) is not var (settings, variable))
        {
            return ExitCodes.InvalidInput;
        }

        try
        {
            await using var store = await HistoryStores.OpenAsync(settings, variable, environment.Redactor, environment.Clock, createIfMissing, cancellationToken);
            return await work(store!);
        }
        catch (HistoryStoreException ex)
        {
            environment.Error.WriteLine($"error: {ex.Message}");
            return ExitCodes.InvalidInput;
        }
    }

    /// <summary>Stores a snapshot written elsewhere as a run of its own (or finds it stored already).</summary>
    public static Task<SavedRun> ImportAsync(IHistoryStore store, ReportSnapshot snapshot, CancellationToken cancellationToken) =>
        store.SaveRunAsync(new HistoryRun(snapshot, ReportHistory.Provenance("import", configFingerprint: null)), [], cancellationToken);

    /// <summary>The store from <c>--store</c>, else from the config's <c>history</c>; null after printing why there is none.</summary>
    private (HistorySettings, Func<string, string?>)? Settings(string? configOption, string? storeOption)
    {
        if (storeOption is not null)
        {
            if (configOption is not null)
            {
                environment.Error.WriteLine("error: use either --store or --config, not both");
                return null;
            }

            return (new SqliteHistory(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, storeOption))), environment.GetVariable);
        }

        var displayName = configOption ?? HostConfig.DefaultFileName;
        var problems = new List<Problem>();
        var config = HostConfigLoader.Load(Path.GetFullPath(Path.Combine(environment.CurrentDirectory, displayName)), displayName, required: configOption is not null,
            AnalyzerCatalog.All.Select(a => a.Id).ToArray(), problems, environment.Clock);
        if (RunOutput.PrintProblems(environment.Error, problems))
        {
            return null;
        }

        if (config.History is NoHistory)
        {
            environment.Error.WriteLine($"error: {displayName}: $.history.enabled: history is off for this config (use --store PATH for a SQLite file)");
            return null;
        }

        return (config.History, name => config.Variable(environment.GetVariable, name));
    }
}

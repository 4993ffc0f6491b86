using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Running;

namespace OkrHost.History;

/// <summary>
/// What a run hands each plugin as <see cref="CollectContext.Known"/>: the facts of the source's last
/// stored collection, when building on them gives the numbers a cold collection would (PRODUCT.md
/// section 9, incremental collection).
/// </summary>
public static class KnownFacts
{
    /// <summary>
    /// A hash of what decides what a source collects: its bound settings, base URL and plugin build.
    /// Facts collected under another fingerprint (a repository added, another workspace, a plugin that
    /// now collects differently) are never built on. The build is the plugin assembly's module id, which a
    /// deterministic build changes with any change to the plugin and only then, so an upgrade collects cold
    /// once even when the plugin's version number was not bumped. The token is left out: it is a secret,
    /// and a rotated token sees the same records.
    /// </summary>
    public static string Fingerprint(SourcePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var settings = JsonSerializer.Serialize(plan.Settings.Values, plan.Settings.Values.GetType());
        var build = plan.Source.GetType().Assembly.ManifestModule.ModuleVersionId;
        var text = $"{plan.Id}\n{plan.Plugin.Version}\n{build}\n{plan.Settings.BaseUrl}\n{settings}";
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>
    /// For each runnable source, its newest stored facts whose window overlaps <paramref name="fetchWindow"/>,
    /// collected with the same fingerprint and not after <paramref name="now"/>. Stored facts that no longer
    /// read (a kind the plugin dropped) are skipped: the source is then collected cold.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, FactSet>> LoadAsync(
        IHistoryStore store,
        IReadOnlyList<SourcePlan> plans,
        ReportPeriod fetchWindow,
        DateTimeOffset now,
        Serilog.ILogger logger,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(plans);
        var json = new FactJson(plans.SelectMany(p => p.FactTypes));
        var known = new Dictionary<string, FactSet>(StringComparer.Ordinal);
        foreach (var plan in plans.Where(p => p.Runnable && p.Fault is null))
        {
            var fingerprint = Fingerprint(plan);
            var stored = (await store.GetFactsAsync(plan.Id, fetchWindow.From, fetchWindow.To, cancellationToken))
                .Where(f => f.SettingsFingerprint == fingerprint && f.CollectedAt <= now)
                .MaxBy(f => f.CollectedAt);
            if (stored is null)
            {
                continue;
            }

            try
            {
                known[plan.Id] = stored.Read(json);
                logger.Debug("{Source}: building on the facts collected at {CollectedAt} for {From:u} to {To:u}", plan.Id, stored.CollectedAt, stored.FetchFrom, stored.FetchTo);
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or InvalidDataException)
            {
                logger.Debug(ex, "{Source}: stored facts no longer read; collecting cold", plan.Id);
            }
        }

        return known;
    }
}

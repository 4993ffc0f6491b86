using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// What the source's last stored collection (<see cref="CollectContext.Known"/>) settled, so that a re-run
/// reads only what can have changed since: deployments created from <see cref="ReadFrom"/> on, of those
/// only the ones whose outcome was still open, and compares only for successes whose predecessor is new.
/// With nothing stored, everything is read, as on a first run.
/// </summary>
internal sealed class KnownHistory
{
    /// <summary>
    /// GitHub's clock and this machine's may differ, and a status written while the stored collection was
    /// reading may have been missed: what began this long before it is treated as possibly unseen.
    /// </summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(10);

    private readonly ReportPeriod? _stored;
    private readonly DateTimeOffset _settledBefore;
    private readonly bool _standsIn;
    private readonly Dictionary<string, ResolvedDeployment> _deployments = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ResolvedDeployment> _previous = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ChangeFact[]> _changes = new(StringComparer.Ordinal);

    public KnownHistory(FactSet? known, CollectionWindow window)
    {
        ReadFrom = window.Cushion;
        if (known is null)
        {
            return;
        }

        _stored = known.Window;
        // As on a cold run, a deployment is assumed to reach its final state within the lookback of its
        // creation: created before this, the stored collection saw its last status.
        _settledBefore = known.CollectedAt - CollectionWindow.StatusLookback - ClockMargin;
        foreach (var fact in known.Facts.OfType<DeploymentFact>())
        {
            _deployments[fact.Id] = ResolvedDeployment.FromFact(fact);
        }

        foreach (var (previous, deployment) in LeadTimes.Successions(_deployments.Values))
        {
            _previous[deployment.Id] = previous;
        }

        foreach (var changes in known.Facts.OfType<ChangeFact>().GroupBy(c => c.Id[..c.Id.LastIndexOf('/')], StringComparer.Ordinal))
        {
            _changes[changes.Key] = changes.ToArray();
        }

        // The stored facts hold every outcome inside their window of the deployments created from their
        // cushion on (and each environment's success before it). For a window starting no earlier, they
        // stand in for the deployments that had settled and were created early enough to end inside it.
        var storedUpTo = Min(_settledBefore, known.Window.To - CollectionWindow.StatusLookback);
        _standsIn = window.From >= known.Window.From && storedUpTo > window.Cushion;
        if (_standsIn)
        {
            ReadFrom = Min(storedUpTo, window.To);
        }
    }

    /// <summary>
    /// Deployments (or runs) created from here on are listed and looked at; the ones created between the
    /// window's cushion and here are the stored ones. The cushion itself when nothing stands in for them.
    /// </summary>
    public DateTimeOffset ReadFrom { get; }

    /// <summary>
    /// The stored outcomes of <paramref name="repository"/>'s deployments (to <paramref name="environment"/>,
    /// when given) that were not listed again, once the listing has passed <see cref="ReadFrom"/>.
    /// </summary>
    public IEnumerable<ResolvedDeployment> Unlisted(string repository, string? environment, IReadOnlySet<string> listed) => _standsIn
        ? _deployments.Values.Where(d => d.Repository == repository && (environment is null || d.Environment == environment) && !listed.Contains(d.Id))
        : [];

    /// <summary>
    /// The stored outcome of a deployment listed again, when it cannot have changed: a success stays one at
    /// the same time (a later status never moves the first success), anything else once settled. A settled
    /// deployment that was not stored had no outcome, provided every outcome it could have had lies inside
    /// the stored window. <c>false</c>: read its statuses.
    /// </summary>
    public bool TryReuse(string id, DateTimeOffset createdAt, out ResolvedDeployment? deployment)
    {
        deployment = null;
        if (_stored is not { } stored)
        {
            return false;
        }

        if (_deployments.TryGetValue(id, out var known))
        {
            deployment = known;
            return known.Outcome == DeploymentOutcome.Success || createdAt < _settledBefore;
        }

        return createdAt < _settledBefore && createdAt >= stored.From && createdAt + CollectionWindow.StatusLookback <= stored.To;
    }

    /// <summary>
    /// The stored changes of <paramref name="deployment"/> when it was stored as the same success, inside the
    /// stored window, after the same predecessor; <c>null</c> when they must be compared again.
    /// </summary>
    public IReadOnlyList<ChangeFact>? Changes(ResolvedDeployment previous, ResolvedDeployment deployment) =>
        _stored is { } stored && stored.Contains(deployment.At)
        && _deployments.GetValueOrDefault(deployment.Id) == deployment
        && _previous.GetValueOrDefault(deployment.Id) == previous
            ? _changes.GetValueOrDefault(deployment.Id) ?? []
            : null;

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
}

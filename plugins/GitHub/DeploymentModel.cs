using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>A production deployment whose outcome is known: successful (at its first success) or failed.</summary>
/// <param name="Id">Stable id of the deployment or run, unique across repositories.</param>
internal sealed record ResolvedDeployment(
    string Id, string Repository, string Environment, string Sha, DateTimeOffset At, DeploymentOutcome Outcome, string? Url)
{
    public DeploymentFact ToFact() => new(Id, Repository, Environment, Sha, At, Outcome) { Url = Url, UpdatedAt = At };

    public static ResolvedDeployment FromFact(DeploymentFact fact) =>
        new(fact.Id, fact.Repository, fact.Environment, fact.Sha, fact.At, fact.Outcome, fact.Url);
}

/// <summary>
/// What must be read: outcomes in the host's fetch window, plus each environment's last success before
/// it (the base of the first lead time).
/// </summary>
internal readonly record struct CollectionWindow(ReportPeriod FetchWindow)
{
    /// <summary>
    /// How long after its creation a deployment is assumed to reach its final state. A deployment
    /// created before the window can succeed inside it (a required reviewer approving next morning), so
    /// everything created from <see cref="Cushion"/> on is looked at; GitHub has no way to list
    /// deployments by status time, and a longer wait is rare enough not to pay statuses for.
    /// </summary>
    public static readonly TimeSpan StatusLookback = TimeSpan.FromDays(3);

    public DateTimeOffset From => FetchWindow.From;

    public DateTimeOffset To => FetchWindow.To;

    public DateTimeOffset Cushion => From - StatusLookback;

    public bool Contains(DateTimeOffset at) => at >= From && at < To;

    /// <summary>Per repository and environment with a success in the window, the last success before it.</summary>
    public IEnumerable<ResolvedDeployment> Bases(IEnumerable<ResolvedDeployment> deployments)
    {
        var window = this;
        return deployments
            .Where(d => d.Outcome == DeploymentOutcome.Success)
            .GroupBy(d => (d.Repository, d.Environment))
            .Where(environment => environment.Any(d => window.Contains(d.At)))
            .Select(environment => environment.Where(d => d.At < window.From).OrderBy(d => d.At).ThenBy(d => d.Id, StringComparer.Ordinal).LastOrDefault())
            .OfType<ResolvedDeployment>();
    }
}

/// <summary>
/// Tracks, per environment, whether the walk back in time has found what lead times need: for an
/// environment with a success in the window, one success before the window.
/// </summary>
internal sealed class BaseTracker(CollectionWindow window)
{
    private readonly HashSet<string> _inWindow = new(StringComparer.Ordinal);
    private readonly HashSet<string> _based = new(StringComparer.Ordinal);

    public void Add(ResolvedDeployment deployment)
    {
        if (deployment.Outcome != DeploymentOutcome.Success)
        {
            return;
        }

        if (window.Contains(deployment.At))
        {
            _inWindow.Add(deployment.Environment);
        }
        else if (deployment.At < window.From)
        {
            _based.Add(deployment.Environment);
        }
    }

    public bool NeedsBase(string environment) => _inWindow.Contains(environment) && !_based.Contains(environment);

    public bool Complete => _inWindow.All(_based.Contains);
}

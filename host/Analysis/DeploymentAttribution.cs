using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Analysis;

/// <summary>
/// How DORA ties incidents to successful deployments (PRODUCT.md 6.6 and 14). An incident opened in the
/// period is attributed to the latest deployment strictly before it, at most the incident window earlier:
/// that deployment failed (change failure rate) and recovered when the last of its incidents closed
/// (failed deployment recovery time). A deployment made during an incident's first window while it was
/// open was made to fix production (rework rate).
/// </summary>
internal static class DeploymentAttribution
{
    /// <summary>The change failure rate and the failed deployment recovery time of one window.</summary>
    public sealed record Attribution(MetricValue ChangeFailureRate, MetricValue RecoveryTime);

    /// <param name="deployments">Successful deployment times of every deployment source, ascending.</param>
    /// <param name="incidents">Every incident of the incident sources, opened whenever.</param>
    /// <param name="period">The window the metrics are for.</param>
    /// <param name="window">How long after a deployment an incident is still its doing (<c>incidentWindowHours</c>).</param>
    public static Attribution Attribute(DateTimeOffset[] deployments, IReadOnlyList<IncidentFact> incidents, ReportPeriod period, TimeSpan window)
    {
        var attributed = new Dictionary<int, List<IncidentFact>>();
        foreach (var incident in incidents.Where(i => period.Contains(i.OpenedAt)))
        {
            var index = LastIndexBefore(deployments, incident.OpenedAt);
            if (index >= 0 && incident.OpenedAt - deployments[index] <= window)
            {
                (attributed.TryGetValue(index, out var list) ? list : attributed[index] = []).Add(incident);
            }
        }

        var inPeriod = Enumerable.Range(0, deployments.Length).Where(i => period.Contains(deployments[i])).ToArray();
        var failed = inPeriod.Where(attributed.ContainsKey).ToArray();
        // A deployment recovers when the last incident it caused closes; one with an incident still open has not recovered yet.
        var recoveries = failed.Where(i => attributed[i].All(incident => incident.ClosedAt is not null))
            .Select(i => (attributed[i].Max(incident => incident.ClosedAt!.Value) - deployments[i]).TotalHours)
            .ToArray();
        return new Attribution(
            MetricValue.Rate("dora.change_failure_rate", failed.Length, inPeriod.Length),
            MetricValue.Median(DoraAnalyzer.RecoveryId, recoveries));
    }

    /// <summary>
    /// Successful deployments in the period made while some incident was open and at most
    /// <paramref name="window"/> old (opened ≤ deployed &lt; min(closed, opened + window); never closed counts as open),
    /// over the successful deployments in the period; null when there were none.
    /// </summary>
    public static MetricValue ReworkRate(DateTimeOffset[] deployments, IReadOnlyList<IncidentFact> incidents, ReportPeriod period, TimeSpan window)
    {
        var byOpening = incidents.OrderBy(i => i.OpenedAt).ToArray();
        var opened = byOpening.Select(i => i.OpenedAt).ToArray();
        var inPeriod = deployments.Where(period.Contains).ToArray();
        // Only incidents opened in (deployed − window, deployed] can still be in their first window at deployed.
        var reworked = inPeriod.Count(deployed =>
        {
            for (var i = LastIndexBefore(opened, deployed - window) + 1; i < byOpening.Length && opened[i] <= deployed; i++)
            {
                var end = byOpening[i].OpenedAt + window;
                if (byOpening[i].ClosedAt is { } closed && closed < end)
                {
                    end = closed;
                }

                if (deployed < end)
                {
                    return true;
                }
            }

            return false;
        });
        return MetricValue.Rate(DoraAnalyzer.ReworkRateId, reworked, inPeriod.Length);
    }

    /// <summary>Index of the last element strictly before <paramref name="instant"/>, or -1.</summary>
    private static int LastIndexBefore(DateTimeOffset[] ascending, DateTimeOffset instant)
    {
        var index = Array.BinarySearch(ascending, instant);
        if (index < 0)
        {
            return ~index - 1;
        }

        // Equal times are not "strictly before"; step back past every element at this instant.
        while (index >= 0 && ascending[index] >= instant)
        {
            index--;
        }

        return index;
    }
}

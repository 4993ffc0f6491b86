using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>
/// The report in one line: "3 of 5 objectives on track · 2 key results off track · 5 of 5 sources reporting
/// · 1 key result changed status since 30 Nov" (the last part when a stored run came before this one).
/// </summary>
public static class Headline
{
    public static IReadOnlyList<string> Parts(ReportSnapshot snapshot)
    {
        var parts = new List<string>();
        if (snapshot.Okrs.Count == 0)
        {
            parts.Add("No OKRs yet");
        }
        else
        {
            // Achieved is more than on track, so it counts as on track here.
            var onTrack = snapshot.Okrs.Count(o => o.Status is OkrStatus.Achieved or OkrStatus.OnTrack);
            parts.Add($"{onTrack} of {Plural(snapshot.Okrs.Count, "objective")} on track");
            var offTrack = snapshot.Okrs.Sum(o => o.KeyResults.Count(k => k.Status == OkrStatus.OffTrack));
            parts.Add($"{Plural(offTrack, "key result")} off track");
        }

        var enabled = snapshot.Sources.Count(s => s.Status != SourceStatus.Disabled);
        var reporting = snapshot.Sources.Count(s => s.Status == SourceStatus.Ok);
        parts.Add($"{reporting} of {Plural(enabled, "source")} reporting");
        if (snapshot.LastRunAt is { } lastRun)
        {
            var changed = snapshot.Insights.Count(i => i.Kind == InsightKind.StatusChanged);
            parts.Add($"{Plural(changed, "key result")} changed status since {ReportFormat.ShortDate(lastRun)}");
        }

        return parts;
    }

    private static string Plural(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";
}

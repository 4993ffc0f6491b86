using System.Globalization;

namespace OkrHost.Http;

/// <summary>Durations as people read them in messages: "500 ms", "3 s", "41 min", "2.5 h".</summary>
internal static class HumanTime
{
    public static string Describe(TimeSpan span)
    {
        if (span < TimeSpan.FromSeconds(1))
        {
            return $"{Math.Round(span.TotalMilliseconds).ToString(CultureInfo.InvariantCulture)} ms";
        }

        if (span < TimeSpan.FromMinutes(2))
        {
            return $"{Math.Round(span.TotalSeconds, 1).ToString(CultureInfo.InvariantCulture)} s";
        }

        if (span < TimeSpan.FromHours(2))
        {
            return $"{Math.Round(span.TotalMinutes).ToString(CultureInfo.InvariantCulture)} min";
        }

        return $"{Math.Round(span.TotalHours, 1).ToString(CultureInfo.InvariantCulture)} h";
    }
}

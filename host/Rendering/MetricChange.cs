using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Rendering;

/// <summary>How a metric moved against the previous period, and whether that is good news.</summary>
/// <param name="Arrow">▲, ▼ or = ; empty when either value is missing.</param>
/// <param name="Text">The change in words ("+12.5%", "+2.0 pp"), or "—".</param>
/// <param name="Tone">CSS class: good, bad or neutral.</param>
public sealed record MetricChange(string Arrow, string Text, string Tone)
{
    public static MetricChange Of(double? value, double? previous, MetricUnit unit, bool? higherIsBetter)
    {
        if (ReportFormat.Finite(value) is not { } current || ReportFormat.Finite(previous) is not { } before)
        {
            return new("", ReportFormat.Missing, "neutral");
        }

        var delta = current - before;
        if (delta == 0)
        {
            return new("=", "no change", "neutral");
        }

        var tone = higherIsBetter is { } higher ? (delta > 0 == higher ? "good" : "bad") : "neutral";
        return new(delta > 0 ? "▲" : "▼", Describe(delta, before, unit), tone);
    }

    private static string Describe(double delta, double before, MetricUnit unit)
    {
        var sign = delta > 0 ? "+" : "−";
        var magnitude = Math.Abs(delta);
        // A ratio's relative change ("+50% of 4%") misleads; percentage points say what moved.
        if (unit == MetricUnit.Ratio)
        {
            return sign + (magnitude * 100).ToString("0.0", CultureInfo.InvariantCulture) + " pp";
        }

        // A score moves in points of its 0–10 scale, like a ratio in percentage points.
        if (unit == MetricUnit.Score)
        {
            return sign + magnitude.ToString("0.0#", CultureInfo.InvariantCulture);
        }

        return before == 0
            ? sign + ReportFormat.Value(magnitude, unit)
            : sign + (magnitude / Math.Abs(before) * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%";
    }
}

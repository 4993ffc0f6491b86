using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Reporting;

/// <summary>
/// The one way numbers are written (PRODUCT.md section 13), on the page, the console, alerts, the
/// narrative check and <c>ask</c>: ratios as percentages with one decimal, durations in hours under
/// 48 hours and in days above (shorter ones in minutes, seconds or milliseconds), counts as integers,
/// per-week values and DORA scores with one decimal, anything else with at most three decimals. Culture-invariant so
/// every run reads the same.
/// </summary>
public static class NumberFormat
{
    /// <summary>What the page writes for nothing to measure.</summary>
    public const string Missing = "—";

    /// <summary>Most digits after the point of a number with no unit to format it by.</summary>
    public const int MaxDecimals = 3;

    private const double SecondsPerMinute = 60;
    private const double SecondsPerHour = 3600;
    private const double SecondsPerDay = 86_400;

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>One value with its unit: "27.4 h", "7.1%", "9.5 / week", "12".</summary>
    public static string Value(double? value, MetricUnit unit, string missing = Missing) => Row(unit, [value])(value, missing);

    /// <summary>
    /// A formatter for the numbers of one row (a key result's actual, target and baseline; a change
    /// "8.7 → 9.6"): durations all take the unit the largest of them needs, so a row never reads
    /// "22.0 h of 2.0 days".
    /// </summary>
    public static Func<double?, string, string> Row(MetricUnit unit, IEnumerable<double?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (SecondsPer(unit) is not { } perUnit)
        {
            return (value, missing) => Finite(value) is { } v ? Plain(v, unit) : missing;
        }

        var largest = values.Select(Finite).OfType<double>().Select(Math.Abs).DefaultIfEmpty(0).Max();
        var scale = DurationScale.For(largest * perUnit);
        return (value, missing) => Finite(value) is { } v ? scale.Write(v * perUnit) : missing;
    }

    /// <summary>Seconds in the unit a duration of <paramref name="seconds"/> is written in <paramref name="seconds"/> in (1 for seconds, 3600 for hours, …).</summary>
    public static double UnitSeconds(double seconds) => DurationScale.For(seconds).Seconds;

    /// <summary>The suffix a duration of <paramref name="seconds"/> is written with (" h", " days", …).</summary>
    public static string UnitSuffix(double seconds) => DurationScale.For(seconds).Suffix;

    /// <summary>Seconds in one unit of a duration metric; null for units that are not durations.</summary>
    public static double? SecondsPer(MetricUnit unit) => unit switch
    {
        MetricUnit.Hours => SecondsPerHour,
        MetricUnit.Minutes => SecondsPerMinute,
        MetricUnit.Milliseconds => 0.001,
        _ => null,
    };

    /// <summary>
    /// A number for a machine reader that people also read (<c>ask</c>'s tool results): at most
    /// <see cref="MaxDecimals"/> digits after the point, so no binary float like 23.241666666666667 reaches an answer.
    /// </summary>
    public static double? Round(double? value) => Finite(value) is { } v ? Math.Round(v, MaxDecimals, MidpointRounding.AwayFromZero) : null;

    /// <summary>report.json may carry NaN or ±Infinity; they are "nothing to measure", never text like "NaN".</summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    private static string Plain(double v, MetricUnit unit) => unit switch
    {
        MetricUnit.Count => v.ToString("N0", Invariant),
        MetricUnit.Ratio => (v * 100).ToString("N1", Invariant) + "%",
        MetricUnit.PerWeek => v.ToString("N1", Invariant) + " / week",
        MetricUnit.Score => v.ToString("0.0", Invariant),
        _ => v.ToString("#,0.###", Invariant),
    };

    private sealed record DurationScale(double Seconds, string Suffix)
    {
        public static DurationScale For(double seconds) => Math.Abs(seconds) switch
        {
            < 1 => new(0.001, " ms"),
            < SecondsPerMinute => new(1, " s"),
            < SecondsPerHour => new(SecondsPerMinute, " min"),
            < 2 * SecondsPerDay => new(SecondsPerHour, " h"),
            _ => new(SecondsPerDay, " days"),
        };

        public string Write(double seconds)
        {
            var amount = seconds / Seconds;
            return amount.ToString(Math.Abs(amount) >= 100 && Seconds < SecondsPerHour ? "N0" : "N1", Invariant) + Suffix;
        }
    }
}

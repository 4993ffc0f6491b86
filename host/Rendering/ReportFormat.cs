using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>How the report writes numbers, dates and statuses. Culture-invariant so every run reads the same.</summary>
public static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string Missing = "—";

    /// <summary>
    /// report.json may carry NaN or ±Infinity (its reader allows them); they are "nothing to measure" here,
    /// never text like "NaN" or a width of "NaN%".
    /// </summary>
    public static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;

    public static string Value(double? value, MetricUnit unit) => Finite(value) is not { } v ? Missing : unit switch
    {
        MetricUnit.Count => v.ToString("N0", Invariant),
        MetricUnit.Ratio => (v * 100).ToString("N1", Invariant) + "%",
        MetricUnit.Hours => Elapsed(v * SecondsPerHour),
        MetricUnit.Minutes => Elapsed(v * SecondsPerMinute),
        MetricUnit.Milliseconds => Elapsed(v / 1000),
        MetricUnit.PerWeek => v.ToString("N1", Invariant) + " / week",
        MetricUnit.Score => v.ToString("0.0", Invariant),
        _ => v.ToString("N1", Invariant),
    };

    /// <summary>
    /// A duration in the unit a person would say: "523 ms", "4.2 s", "45 min", "28.1 h", "7.4 days". Hours
    /// stay hours up to two days, since "a day and a half" reads better as 36 h than as 1.5 days.
    /// </summary>
    public static string Elapsed(double seconds)
    {
        var scale = DurationScale.For(seconds);
        var amount = seconds / scale.Seconds;
        return amount.ToString(Math.Abs(amount) >= 100 && scale.Seconds < SecondsPerHour ? "N0" : "N1", Invariant) + scale.Suffix;
    }

    /// <summary>Short axis label: no decimals unless the scale needs them. <paramref name="top"/> is the axis' top, which picks one duration unit for every label.</summary>
    public static string Axis(double value, MetricUnit unit, double top)
    {
        if (SecondsPer(unit) is { } perUnit)
        {
            var scale = DurationScale.For(top * perUnit);
            return Number(value * perUnit / scale.Seconds) + scale.Suffix;
        }

        return unit == MetricUnit.Ratio ? Number(value * 100) + "%" : Number(value);

        static string Number(double number) => number.ToString(Math.Abs(number) >= 100 ? "N0" : "0.#", Invariant);
    }

    private const double SecondsPerMinute = 60;
    private const double SecondsPerHour = 3600;
    private const double SecondsPerDay = 86_400;

    /// <summary>Seconds in one unit of a duration metric; null for units that are not durations.</summary>
    public static double? SecondsPer(MetricUnit unit) => unit switch
    {
        MetricUnit.Hours => SecondsPerHour,
        MetricUnit.Minutes => SecondsPerMinute,
        MetricUnit.Milliseconds => 0.001,
        _ => null,
    };

    /// <summary>Seconds in the unit <see cref="Elapsed"/> writes <paramref name="seconds"/> in (1 for seconds, 3600 for hours, …).</summary>
    public static double UnitSeconds(double seconds) => DurationScale.For(seconds).Seconds;

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
    }

    public static string Percent(double? fraction) =>
        Finite(fraction) is { } f ? (f * 100).ToString("0", Invariant) + "%" : Missing;

    /// <summary>Width of a progress bar's fill, clamped to 0–100, for an inline style.</summary>
    public static string BarWidth(double? fraction) =>
        (Math.Clamp(Finite(fraction) ?? 0, 0, 1) * 100).ToString("0.#", Invariant) + "%";

    public static string Svg(double coordinate) => coordinate.ToString("0.#", Invariant);

    public static string Date(DateTimeOffset instant) => instant.UtcDateTime.ToString("d MMM yyyy", Invariant);

    public static string ShortDate(DateTimeOffset instant) => instant.UtcDateTime.ToString("d MMM", Invariant);

    public static string Timestamp(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC";

    /// <summary>"1 Oct 2026 – 31 Oct 2026": the end is exclusive, so the last day shown is the one before it.</summary>
    public static string Period(PeriodReport period) =>
        $"{Date(period.From)} – {Date(period.To.AddTicks(-1))}";

    public static string Days(PeriodReport period)
    {
        var days = (period.To - period.From).TotalDays;
        return days.ToString("0.#", Invariant) + (days == 1 ? " day" : " days");
    }

    /// <summary>How long before <paramref name="now"/> an instant was, in whole units: "today", "3 days earlier".</summary>
    public static string Age(DateTimeOffset instant, DateTimeOffset now)
    {
        var days = (int)Math.Floor((now - instant).TotalDays);
        return days switch
        {
            < 1 => "same day",
            1 => "1 day earlier",
            _ => $"{days.ToString(Invariant)} days earlier",
        };
    }

    public static string Duration(long milliseconds) => milliseconds < 1000
        ? $"{milliseconds} ms"
        : (milliseconds / 1000.0).ToString("N1", Invariant) + " s";

    public static string Slug(OkrStatus status) => status switch
    {
        OkrStatus.Achieved => "achieved",
        OkrStatus.OnTrack => "on-track",
        OkrStatus.AtRisk => "at-risk",
        OkrStatus.OffTrack => "off-track",
        _ => "no-data",
    };

    public static string Label(OkrStatus status) => status switch
    {
        OkrStatus.Achieved => "Achieved",
        OkrStatus.OnTrack => "On track",
        OkrStatus.AtRisk => "At risk",
        OkrStatus.OffTrack => "Off track",
        _ => "No data",
    };

    public static string Count(long count) => count.ToString("N0", Invariant);

    /// <summary>What the reader needs to know about a source that is not reporting; null when it is ok.</summary>
    public static string? Problem(SourceReport source) => source.Status switch
    {
        SourceStatus.Failed => source.Error ?? "It failed without a recorded reason.",
        SourceStatus.NotConfigured => "Missing: " + (source.Error ?? "a required setting"),
        SourceStatus.Disabled => "Disabled in plugins.json",
        _ => null,
    };

    public static string Slug(SourceStatus status) => status switch
    {
        SourceStatus.Ok => "ok",
        SourceStatus.Failed => "failed",
        SourceStatus.NotConfigured => "not-configured",
        _ => "disabled",
    };

    public static string Label(SourceStatus status) => status switch
    {
        SourceStatus.Ok => "OK",
        SourceStatus.Failed => "Failed",
        SourceStatus.NotConfigured => "Not configured",
        _ => "Disabled",
    };

    /// <summary>
    /// The link target when it is an absolute http(s) URL to a host a reader can reach; anything else
    /// (javascript:, data:, relative) is not a link. A loopback host (127.0.0.0/8, ::1, localhost) is not one
    /// either: it names the machine of whoever opens the report, so the link is dead for everyone but the
    /// author, and in a demo run the sandbox behind it is gone once the report is written.
    /// </summary>
    public static string? SafeLink(string? link) =>
        WebLink(link) is { IsLoopback: false } uri ? uri.AbsoluteUri : null;

    /// <summary>Whether <paramref name="link"/> is an http(s) link to this machine, shown as text by <see cref="SafeLink"/>.</summary>
    public static bool IsLocalLink(string? link) => WebLink(link) is { IsLoopback: true };

    private static Uri? WebLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;

    /// <summary>"n = 12" for a median or rate computed over <paramref name="sampleSize"/> items; null when unknown.</summary>
    public static string? Sample(int? sampleSize) => sampleSize is { } n ? "n = " + n.ToString("N0", Invariant) : null;
}

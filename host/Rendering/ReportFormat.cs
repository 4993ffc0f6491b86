using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>How the report writes numbers, dates and statuses. Culture-invariant so every run reads the same.</summary>
public static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public const string Missing = NumberFormat.Missing;

    /// <summary>report.json may carry NaN or ±Infinity (its reader allows them); they are "nothing to measure" here.</summary>
    public static double? Finite(double? value) => NumberFormat.Finite(value);

    /// <summary>A value as <see cref="NumberFormat"/> writes it everywhere.</summary>
    public static string Value(double? value, MetricUnit unit) => NumberFormat.Value(value, unit);

    /// <summary>Short axis label: no decimals unless the scale needs them. <paramref name="top"/> is the axis' top, which picks one duration unit for every label.</summary>
    public static string Axis(double value, MetricUnit unit, double top)
    {
        if (NumberFormat.SecondsPer(unit) is { } perUnit)
        {
            return Number(value * perUnit / NumberFormat.UnitSeconds(top * perUnit)) + NumberFormat.UnitSuffix(top * perUnit);
        }

        return unit == MetricUnit.Ratio ? Number(value * 100) + "%" : Number(value);

        static string Number(double number) => number.ToString(Math.Abs(number) >= 100 ? "N0" : "0.#", Invariant);
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

    /// <summary>An owner's check-in confidence as report.json writes it; it shares the status colours.</summary>
    public static string Slug(KeyResultConfidence confidence) => confidence switch
    {
        KeyResultConfidence.OnTrack => "on-track",
        KeyResultConfidence.AtRisk => "at-risk",
        _ => "off-track",
    };

    public static string Label(KeyResultConfidence confidence) => confidence switch
    {
        KeyResultConfidence.OnTrack => "On track",
        KeyResultConfidence.AtRisk => "At risk",
        _ => "Off track",
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

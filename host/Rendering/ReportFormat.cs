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
        MetricUnit.Hours => v.ToString("N1", Invariant) + " h",
        MetricUnit.Minutes => v.ToString("N1", Invariant) + " min",
        MetricUnit.Milliseconds => v.ToString("N1", Invariant) + " ms",
        MetricUnit.PerWeek => v.ToString("N1", Invariant) + " / week",
        _ => v.ToString("N1", Invariant),
    };

    /// <summary>Short axis label: no decimals unless the scale needs them.</summary>
    public static string Axis(double value, MetricUnit unit)
    {
        var number = unit == MetricUnit.Ratio ? value * 100 : value;
        var text = number.ToString(Math.Abs(number) >= 100 ? "N0" : "0.#", Invariant);
        return unit switch
        {
            MetricUnit.Ratio => text + "%",
            MetricUnit.Hours => text + " h",
            MetricUnit.Minutes => text + " min",
            MetricUnit.Milliseconds => text + " ms",
            _ => text,
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
        return days == Math.Round(days) ? $"{days:0} days" : $"{days.ToString("0.#", Invariant)} days";
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

    /// <summary>The link target when it is an absolute http(s) URL; anything else (javascript:, data:, relative) is not a link.</summary>
    public static string? SafeLink(string? link) =>
        Uri.TryCreate(link, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri.AbsoluteUri
            : null;
}

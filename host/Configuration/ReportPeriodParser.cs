using System.Globalization;
using System.Text.RegularExpressions;
using OkrHost.Contracts;

namespace OkrHost.Configuration;

/// <summary>
/// Turns the CLI's and plugins.json's period forms into a half-open UTC window. Rolling windows end at
/// the start of today (UTC), so a report run twice on one day covers the same complete days.
/// </summary>
public static partial class ReportPeriodParser
{
    public const string Forms = "last-7d, last-30d, last-90d, this-quarter, last-quarter, YYYY-Qn, YYYY-MM";

    /// <summary>
    /// Earliest instant a period or its previous period may reach: services count time from the Unix
    /// epoch, and a window before it is a typo, not a report.
    /// </summary>
    public static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>End of the latest period that can be represented with room to spare.</summary>
    public static readonly DateTimeOffset Latest = new(9999, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static bool TryParse(string text, DateTimeOffset now, out ReportPeriod period, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        period = default;
        error = "";
        switch (text.Trim().ToLowerInvariant())
        {
            case "last-7d":
                period = new ReportPeriod(today.AddDays(-7), today);
                return true;
            case "last-30d":
                period = new ReportPeriod(today.AddDays(-30), today);
                return true;
            case "last-90d":
                period = new ReportPeriod(today.AddDays(-90), today);
                return true;
            case "this-quarter":
                // Quarter to date, today included, so the first day of a quarter is not an empty window.
                period = new ReportPeriod(QuarterStart(today), today.AddDays(1));
                return true;
            case "last-quarter":
                var thisQuarter = QuarterStart(today);
                period = new ReportPeriod(thisQuarter.AddMonths(-3), thisQuarter);
                return true;
        }

        if (QuarterForm().Match(text.Trim()) is { Success: true } quarter)
        {
            var year = int.Parse(quarter.Groups[1].Value, CultureInfo.InvariantCulture);
            if (year is < 1970 or > 9998)
            {
                error = $"'{text}': the year must be from 1970 to 9998";
                return false;
            }

            var start = new DateTimeOffset(year, (int.Parse(quarter.Groups[2].Value, CultureInfo.InvariantCulture) - 1) * 3 + 1, 1, 0, 0, 0, TimeSpan.Zero);
            period = new ReportPeriod(start, start.AddMonths(3));
            return WithinBounds(period, $"'{text}'", out error);
        }

        if (MonthForm().Match(text.Trim()) is { Success: true } month)
        {
            var year = int.Parse(month.Groups[1].Value, CultureInfo.InvariantCulture);
            var monthNumber = int.Parse(month.Groups[2].Value, CultureInfo.InvariantCulture);
            if (monthNumber is >= 1 and <= 12 && year is < 1970 or > 9998)
            {
                error = $"'{text}': the year must be from 1970 to 9998";
                return false;
            }

            if (monthNumber is >= 1 and <= 12)
            {
                var start = new DateTimeOffset(year, monthNumber, 1, 0, 0, 0, TimeSpan.Zero);
                period = new ReportPeriod(start, start.AddMonths(1));
                return WithinBounds(period, $"'{text}'", out error);
            }
        }

        error = $"'{text}' is not a period; use one of {Forms}";
        return false;
    }

    /// <summary>
    /// The previous period of a calendar form (PRODUCT.md section 2): the previous calendar month of
    /// <c>YYYY-MM</c>, the previous calendar quarter of <c>YYYY-Qn</c>, <c>this-quarter</c> (the whole
    /// quarter, though this one is still running) and <c>last-quarter</c>; null for rolling forms, whose
    /// previous period is the window of the same length just before.
    /// </summary>
    public static ReportPeriod? CalendarPrevious(string text, ReportPeriod period)
    {
        ArgumentNullException.ThrowIfNull(text);
        var form = text.Trim();
        var months = form.ToLowerInvariant() is "this-quarter" or "last-quarter" || QuarterForm().IsMatch(form) ? 3
            : MonthForm().IsMatch(form) ? 1
            : 0;
        return months == 0 ? null : new ReportPeriod(period.From.AddMonths(-months), period.From);
    }

    /// <summary>An explicit <c>--from</c>/<c>--to</c> pair of UTC dates; <c>to</c> is exclusive.</summary>
    public static bool TryParseRange(string from, string to, out ReportPeriod period, out string error)
    {
        period = default;
        if (!TryParseDate(from, out var start))
        {
            error = $"--from '{from}' is not a date (YYYY-MM-DD)";
            return false;
        }

        if (!TryParseDate(to, out var end))
        {
            error = $"--to '{to}' is not a date (YYYY-MM-DD)";
            return false;
        }

        if (end <= start)
        {
            error = $"--to {to} must be after --from {from} (--to is exclusive)";
            return false;
        }

        period = new ReportPeriod(start, end);
        return WithinBounds(period, $"--from {from} --to {to}", out error);
    }

    /// <summary>
    /// Whether the period and its previous period (same length, just before it) lie between
    /// <see cref="Earliest"/> and <see cref="Latest"/>; every metric is computed for both.
    /// </summary>
    private static bool WithinBounds(ReportPeriod period, string what, out string error)
    {
        error = "";
        if (period.To > Latest)
        {
            error = $"{what} ends after {Latest:yyyy-MM-dd}";
        }
        else if (period.From - Earliest < period.Length)
        {
            error = $"{what} is too early: the previous period of the same length, which every metric is compared with, would start before {Earliest:yyyy-MM-dd}";
        }

        return error.Length == 0;
    }

    private static bool TryParseDate(string text, out DateTimeOffset date)
    {
        var ok = DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day);
        date = ok ? new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) : default;
        return ok;
    }

    private static DateTimeOffset QuarterStart(DateTimeOffset day) =>
        new(day.Year, (day.Month - 1) / 3 * 3 + 1, 1, 0, 0, 0, TimeSpan.Zero);

    [GeneratedRegex(@"^(\d{4})-[Qq]([1-4])$")]
    private static partial Regex QuarterForm();

    [GeneratedRegex(@"^(\d{4})-(\d{2})$")]
    private static partial Regex MonthForm();
}

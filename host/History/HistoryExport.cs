using System.Globalization;
using System.Text;
using System.Text.Json;
using OkrHost.Reporting;

namespace OkrHost.History;

/// <summary>
/// <c>history export</c>: one row per run and metric, in a shape a spreadsheet or BI tool imports as is —
/// CSV (RFC 4180: a header, CRLF, quoted when needed, invariant numbers, UTC ISO-8601 times, empty for
/// no value) or a JSON array with the same fields.
/// </summary>
public static class HistoryExport
{
    private static readonly string[] Header = ["runId", "generatedAt", "periodFrom", "periodTo", "metricId", "source", "unit", "value", "previous", "sampleSize"];

    public static string Csv(IReadOnlyList<StoredMetricValue> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var row in rows)
        {
            Line(csv,
            [
                row.RunId.ToString(CultureInfo.InvariantCulture), Instant(row.GeneratedAt), Instant(row.PeriodFrom), Instant(row.PeriodTo),
                row.MetricId, row.Source, row.Unit, Number(row.Value), Number(row.Previous), row.SampleSize?.ToString(CultureInfo.InvariantCulture) ?? "",
            ]);
        }

        return csv.ToString();
    }

    public static string Json(IReadOnlyList<StoredMetricValue> rows) => JsonSerializer.Serialize(rows, SnapshotJson.Options) + "\n";

    private static void Line(StringBuilder csv, IReadOnlyList<string> fields)
    {
        for (var i = 0; i < fields.Count; i++)
        {
            if (i > 0)
            {
                csv.Append(',');
            }

            var field = fields[i];
            if (field.AsSpan().IndexOfAny(",\"\r\n") >= 0)
            {
                csv.Append('"').Append(field.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            }
            else
            {
                csv.Append(field);
            }
        }

        csv.Append("\r\n");
    }

    private static string Instant(DateTimeOffset instant) => instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private static string Number(double? value) => value?.ToString("R", CultureInfo.InvariantCulture) ?? "";
}

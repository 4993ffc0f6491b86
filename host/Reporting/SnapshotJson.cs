using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrHost.Reporting;

/// <summary>The one set of JSON options report.json is written and read with.</summary>
public static class SnapshotJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        // report.json is data, not HTML: keep it readable. The HTML renderer escapes on its own.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Reading a file someone may have edited: a null where the schema has none is an error, not a crash later.</summary>
    private static readonly JsonSerializerOptions ReadOptions = new(Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    public static string Serialize(ReportSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Options);

    /// <exception cref="JsonException">Not JSON, or not a complete snapshot (the message names the JSON path).</exception>
    public static ReportSnapshot Deserialize(string json)
    {
        var snapshot = JsonSerializer.Deserialize<ReportSnapshot>(json, ReadOptions) ?? throw new JsonException("report.json is empty");
        EnsureNoNullItems(snapshot);
        EnsureForwards(snapshot.Period, "$.period");
        EnsureForwards(snapshot.PreviousPeriod, "$.previousPeriod");
        return snapshot;
    }

    /// <summary>A period whose end is not after its start would be stored and compared as if it were one.</summary>
    private static void EnsureForwards(PeriodReport period, string path)
    {
        if (period.To <= period.From)
        {
            throw new JsonException($"{path}: runs backwards or is empty (from {period.From:O}, to {period.To:O}); the end must come after the start");
        }
    }

    /// <summary>Nullable annotations cover properties, not list items: those are checked here.</summary>
    private static void EnsureNoNullItems(ReportSnapshot snapshot)
    {
        NoNulls(snapshot.Sources, "$.sources");
        NoNulls(snapshot.Metrics, "$.metrics");
        NoNulls(snapshot.Okrs, "$.okrs");
        NoNulls(snapshot.OkrProblems, "$.okrProblems");
        for (var i = 0; i < snapshot.Sources.Count; i++)
        {
            var source = snapshot.Sources[i];
            var path = $"$.sources[{i}]";
            NoNulls(source.Series, $"{path}.series");
            NoNulls(source.Tables, $"{path}.tables");
            NoNulls(source.Notes, $"{path}.notes");
            for (var s = 0; s < source.Series.Count; s++)
            {
                NoNulls(source.Series[s].Points, $"{path}.series[{s}].points");
            }

            for (var t = 0; t < source.Tables.Count; t++)
            {
                var table = source.Tables[t];
                NoNulls(table.Columns, $"{path}.tables[{t}].columns");
                NoNulls(table.Rows, $"{path}.tables[{t}].rows");
                for (var r = 0; r < table.Rows.Count; r++)
                {
                    NoNulls(table.Rows[r], $"{path}.tables[{t}].rows[{r}]");
                }
            }
        }

        for (var o = 0; o < snapshot.Okrs.Count; o++)
        {
            NoNulls(snapshot.Okrs[o].KeyResults, $"$.okrs[{o}].keyResults");
        }
    }

    private static void NoNulls<T>(IReadOnlyList<T?> items, string path)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] is null)
            {
                throw new JsonException($"{path}[{i}] is null");
            }
        }
    }
}

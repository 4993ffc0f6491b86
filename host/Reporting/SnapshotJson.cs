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
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize(ReportSnapshot snapshot) => JsonSerializer.Serialize(snapshot, Options);

    public static ReportSnapshot Deserialize(string json) =>
        JsonSerializer.Deserialize<ReportSnapshot>(json, Options) ?? throw new JsonException("report.json is empty");
}

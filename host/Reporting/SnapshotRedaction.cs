using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Security;

namespace OkrHost.Reporting;

/// <summary>
/// Masks secrets in every string of a snapshot before it is written or rendered: source errors quoting
/// a service's answer, notes, table cells, titles — whatever field a later version adds, since the walk
/// goes over the snapshot's JSON form rather than a list of properties.
/// </summary>
public static class SnapshotRedaction
{
    public static ReportSnapshot Redact(ReportSnapshot snapshot, Redactor redactor)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(redactor);
        var node = JsonSerializer.SerializeToNode(snapshot, SnapshotJson.Options)!;
        RedactStrings(node, redactor);
        return node.Deserialize<ReportSnapshot>(SnapshotJson.Options)!;
    }

    private static void RedactStrings(JsonNode node, Redactor redactor)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToArray())
                {
                    if (child is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        obj[key] = redactor.Redact(value.GetValue<string>());
                    }
                    else if (child is not null)
                    {
                        RedactStrings(child, redactor);
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
                    {
                        array[i] = redactor.Redact(value.GetValue<string>());
                    }
                    else if (array[i] is { } child)
                    {
                        RedactStrings(child, redactor);
                    }
                }

                break;
        }
    }
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Plugins;

namespace OkrHost.Running;

/// <summary>
/// Shard <see cref="Index"/> of <see cref="Count"/> of <c>okrhost collect --shard i/N</c> (PRODUCT.md
/// section 11): each partitionable source gets every N-th entry of its partition setting, sorted, starting
/// at the i-th; the rest of the sources are collected whole by shard 1.
/// </summary>
public sealed record Shard(int Index, int Count)
{
    public override string ToString() => $"{Index}/{Count}";

    /// <summary>Parses <c>i/N</c> with 1 ≤ i ≤ N.</summary>
    public static bool TryParse(string text, out Shard? shard, out string error)
    {
        ArgumentNullException.ThrowIfNull(text);
        shard = null;
        var parts = text.Split('/');
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
        {
            error = $"'{text}' is not a shard: write i/N, e.g. 2/3 for the second of three shards";
            return false;
        }

        if (count < 1 || index < 1 || index > count)
        {
            error = $"'{text}': the shard number must be 1 to {Math.Max(count, 1)}";
            return false;
        }

        shard = new Shard(index, count);
        error = "";
        return true;
    }

    /// <summary>What this shard does with one source: its part of the partition setting, or the whole source, or nothing.</summary>
    /// <param name="Setting">The partition setting; null when the source is not split.</param>
    /// <param name="Units">This shard's entries of <see cref="Setting"/>; null when the source is not split.</param>
    /// <param name="Collects">Whether this shard collects the source at all.</param>
    public sealed record Work(string? Setting, IReadOnlyList<string>? Units, bool Collects);

    /// <summary>
    /// This shard's work on <paramref name="plugin"/> and the source's settings narrowed to it
    /// (<paramref name="settings"/> itself when the source is not split).
    /// </summary>
    public (Work Work, JsonElement Settings) Assign(DiscoveredPlugin plugin, JsonElement settings)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var setting = plugin.Metadata.PartitionSetting;
        if (setting is null
            || settings.ValueKind != JsonValueKind.Object
            || !settings.TryGetProperty(setting, out var list)
            || list.ValueKind != JsonValueKind.Array
            || list.GetArrayLength() == 0
            || list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            return (new Work(null, null, Collects: Index == 1), settings);
        }

        // Sorted so every shard of every machine cuts the same list the same way, whatever its order in the file.
        var units = list.EnumerateArray().Select(e => e.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Where((_, i) => i % Count == Index - 1).ToArray();
        var narrowed = JsonNode.Parse(settings.GetRawText())!.AsObject();
        narrowed[setting] = new JsonArray(units.Select(u => (JsonNode)JsonValue.Create(u)).ToArray());
        return (new Work(setting, units, Collects: units.Length > 0), JsonSerializer.SerializeToElement(narrowed));
    }
}

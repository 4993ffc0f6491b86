using System.Collections;
using System.Collections.Concurrent;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using OkrHost.Contracts;
using OkrHost.Okrs;

namespace OkrHost.Running;

/// <summary>
/// What a facts bundle must be beyond its JSON types (PRODUCT.md section 7: every input checked where it
/// is read): no null among the items of any list, a shard that names one of its count, and OKRs that pass
/// the checks of okrs.json. Each problem names the bundle and the JSON path.
/// </summary>
internal static class FactsBundleCheck
{
    // Deeper than any bundle's records go; a guard, not a limit a real bundle meets.
    private const int MaxDepth = 32;

    // A bundle holds many facts of few types: each type's properties are looked up once.
    private static readonly ConcurrentDictionary<Type, (PropertyInfo Property, string Name)[]> Settable = new();

    /// <summary>Every problem of <paramref name="bundle"/>, read from <paramref name="root"/>; empty when it may be used.</summary>
    /// <param name="knownMetrics">The metric ids a key result may name; null leaves them unchecked.</param>
    public static IReadOnlyList<string> Problems(FactsBundle bundle, JsonElement root, string name, IReadOnlySet<string>? knownMetrics)
    {
        var problems = new List<string>();
        if (NullItem(bundle, "$", 0) is { } path)
        {
            problems.Add($"{name}: {path}: is null");
        }

        if (bundle.Shard is { } shard && (shard.Count < 1 || shard.Index < 1 || shard.Index > shard.Count))
        {
            problems.Add($"{name}: {(shard.Count < 1 ? "$.shard.count" : "$.shard.index")}: shard {shard.Index} of {shard.Count} is not a shard (1 ≤ index ≤ count)");
        }

        if (knownMetrics is not null && root.TryGetProperty("okrs", out var okrs) && okrs.ValueKind == JsonValueKind.Object
            && okrs.TryGetProperty("document", out var document) && document.ValueKind == JsonValueKind.Object)
        {
            var okrProblems = new List<Problem>();
            OkrFileLoader.Read(document, name, "$.okrs.document", okrProblems, knownMetrics);
            problems.AddRange(okrProblems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => $"{p.File}: {p.JsonPath}: {p.Message}"));
        }

        return problems;
    }

    /// <summary>The path of the first null list item under <paramref name="value"/>; null properties are the serializer's to refuse.</summary>
    private static string? NullItem(object? value, string path, int depth)
    {
        if (value is null or string || depth > MaxDepth || value.GetType().IsPrimitive || value.GetType().IsEnum)
        {
            return null;
        }

        if (value is IEnumerable items)
        {
            var index = 0;
            foreach (var item in items)
            {
                var itemPath = $"{path}[{index++}]";
                if ((item is null ? itemPath : NullItem(item, itemPath, depth + 1)) is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        if (value.GetType().IsValueType)
        {
            return null;
        }

        foreach (var (property, name) in Settable.GetOrAdd(value.GetType(), SettableProperties))
        {
            if (NullItem(property.GetValue(value), $"{path}.{name}", depth + 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The properties a bundle sets, as its JSON names them; computed ones have no setter.</summary>
    private static (PropertyInfo Property, string Name)[] SettableProperties(Type type) =>
        type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is not null && p.GetIndexParameters().Length == 0)
            .Select(p => (p, p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? JsonNamingPolicy.CamelCase.ConvertName(p.Name)))
            .ToArray();
}

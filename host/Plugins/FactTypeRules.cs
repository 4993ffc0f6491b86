using System.Reflection;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins;

/// <summary>
/// What a plugin may declare as its fact types (PRODUCT.md section 7): each a <see cref="Fact"/> with a
/// <see cref="FactKindAttribute"/> whose kind is <c>&lt;its source id&gt;.&lt;name&gt;</c>, or one of the
/// contracts' shared kinds declared by the contracts' own type. Anything else would clash with another
/// plugin's facts, or with the shared ones, when facts are written and read back.
/// </summary>
public static class FactTypeRules
{
    /// <summary>Kinds every host knows and every plugin may emit: the contracts' shared ones.</summary>
    public static readonly IReadOnlyList<Type> SharedKinds = [typeof(DeploymentFact), typeof(IncidentFact), typeof(PostmortemFact), typeof(ChangeFact)];

    /// <summary>The kind a fact type declares, or null when it declares none.</summary>
    public static string? KindOf(Type type) => type.GetCustomAttribute<FactKindAttribute>(inherit: false)?.Name;

    /// <summary>What is wrong with <paramref name="types"/> for source <paramref name="sourceId"/>; null when nothing is.</summary>
    public static string? Clash(string sourceId, IReadOnlyList<Type> types)
    {
        ArgumentNullException.ThrowIfNull(types);
        var shared = SharedKinds.ToDictionary(t => KindOf(t)!, StringComparer.Ordinal);
        var seen = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in types)
        {
            if (type is null || !typeof(Fact).IsAssignableFrom(type))
            {
                return $"fact type {type?.FullName ?? "null"} is not a {nameof(Fact)}";
            }

            if (KindOf(type) is not { } kind)
            {
                return $"fact type {type.Name} has no [FactKind]";
            }

            if (shared.TryGetValue(kind, out var sharedType) && sharedType != type)
            {
                return $"fact type {type.Name} declares the shared kind '{kind}'; declare the contracts' {sharedType.Name} instead";
            }

            if (!shared.ContainsKey(kind) && !kind.StartsWith(sourceId + ".", StringComparison.Ordinal))
            {
                return $"fact type {type.Name} declares the kind '{kind}', which is not its own: a kind is '{sourceId}.<name>' or a shared one ({string.Join(", ", shared.Keys)})";
            }

            if (seen.TryGetValue(kind, out var other) && other != type)
            {
                return $"fact kind '{kind}' is declared by both {other.Name} and {type.Name}";
            }

            seen[kind] = type;
        }

        return null;
    }
}

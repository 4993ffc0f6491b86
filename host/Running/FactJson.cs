using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using OkrHost.Contracts;

namespace OkrHost.Running;

/// <summary>
/// Facts as JSON (PRODUCT.md sections 8 and 9): each fact carries its kind in <c>"kind"</c>, the name of
/// its type's <see cref="FactKindAttribute"/>, so a fact set written by one run reads back as the same
/// typed records in another, given the same plugins.
/// </summary>
public sealed class FactJson
{
    private readonly JsonSerializerOptions _options;

    /// <param name="factTypes">Every plugin's fact types; the shared kinds are added.</param>
    /// <exception cref="ArgumentException">A type without <see cref="FactKindAttribute"/>, or two types of one kind name.</exception>
    public FactJson(IEnumerable<Type> factTypes)
    {
        ArgumentNullException.ThrowIfNull(factTypes);
        var kinds = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var type in Plugins.FactTypeRules.SharedKinds.Concat(factTypes).Distinct())
        {
            var name = type.GetCustomAttribute<FactKindAttribute>(inherit: false)?.Name
                ?? throw new ArgumentException($"fact type {type.FullName} has no [FactKind] attribute", nameof(factTypes));
            if (!kinds.TryAdd(name, type) && kinds[name] != type)
            {
                throw new ArgumentException($"fact kind '{name}' is declared by both {kinds[name].FullName} and {type.FullName}", nameof(factTypes));
            }
        }

        _options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            WriteIndented = false,
            // Computed members (a window's length) are derived on reading; writing them would only add noise.
            IgnoreReadOnlyProperties = true,
            Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
            TypeInfoResolver = new DefaultJsonTypeInfoResolver
            {
                Modifiers =
                {
                    info =>
                    {
                        if (info.Type == typeof(ReportPeriod))
                        {
                            // A window is its two ends; Length, Days and Previous derive from them (Previous without end).
                            foreach (var derived in info.Properties.Where(p => p.Name is not ("from" or "to")).ToArray())
                            {
                                info.Properties.Remove(derived);
                            }

                            return;
                        }

                        if (info.Type != typeof(Fact))
                        {
                            return;
                        }

                        info.PolymorphismOptions = new JsonPolymorphismOptions
                        {
                            TypeDiscriminatorPropertyName = "kind",
                            UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization,
                        };
                        foreach (var (name, type) in kinds)
                        {
                            info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, name));
                        }
                    },
                },
            },
        };
    }

    /// <summary>The options that write and read <see cref="FactSet"/>s and <see cref="Fact"/>s.</summary>
    public JsonSerializerOptions Options => _options;

    /// <summary>Writes <paramref name="facts"/> as UTF-8 JSON to <paramref name="utf8"/>, a buffer at a time: a large source's facts are never one string.</summary>
    public void Serialize(Stream utf8, FactSet facts) => JsonSerializer.Serialize(utf8, facts, _options);

    /// <exception cref="JsonException">Not a fact set, or a fact of a kind no installed plugin declares.</exception>
    public FactSet Deserialize(Stream utf8) =>
        JsonSerializer.Deserialize<FactSet>(utf8, _options) ?? throw new JsonException("the fact set is null");
}

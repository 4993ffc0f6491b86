using System.Text.Json;
using System.Text.Json.Serialization;

namespace OkrHost.Configuration;

/// <summary>
/// plugins.json as typed sections: a file is bound into one (<see cref="HostConfigLoader"/>), the demo
/// builds one directly. A source's settings stay JSON: its plugin binds them to its own type.
/// </summary>
public sealed record PluginsFile
{
    /// <summary>How plugins.json spells a typed section: camelCase keys, unset values left out.</summary>
    public static JsonSerializerOptions SectionJson { get; } = new(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };

    public ReportConfig? Report { get; init; }

    public OkrsConfig? Okrs { get; init; }

    public IReadOnlyDictionary<string, JsonElement> Sources { get; init; } = new Dictionary<string, JsonElement>();

    public HttpConfig? Http { get; init; }

    public HistoryConfig? History { get; init; }

    public InsightsConfig? Insights { get; init; }

    public AlertsConfig? Alerts { get; init; }

    /// <summary>The sections of the host's analyzers (<c>dora</c>), which check their own.</summary>
    public IReadOnlyDictionary<string, JsonElement> Analyzers { get; init; } = new Dictionary<string, JsonElement>();
}

using System.Text.Json;
using OkrHost.Http;

namespace OkrHost.Configuration;

/// <summary>plugins.json, read and checked (PRODUCT.md section 3). Paths are absolute.</summary>
public sealed record HostConfig
{
    public const string DefaultFileName = "plugins.json";
    public const string DefaultTitle = "Engineering OKRs";
    public const string DefaultPeriod = "last-30d";

    /// <summary>The file as the user named it, for messages.</summary>
    public required string File { get; init; }

    /// <summary>Folder relative paths resolve against.</summary>
    public required string Directory { get; init; }

    public string Title { get; init; } = DefaultTitle;
    public string? Period { get; init; }

    /// <summary>Default of <c>report.trendWeeks</c>: a quarter of weekly trend points.</summary>
    public const int DefaultTrendWeeks = 13;

    /// <summary>Most trend weeks <c>report.trendWeeks</c> accepts: a year and a week.</summary>
    public const int MaxTrendWeeks = 53;

    /// <summary>Weeks of trend per metric and key result (PRODUCT.md section 8); 0 turns trends off.</summary>
    public int TrendWeeks { get; init; } = DefaultTrendWeeks;
    public required string OutputDirectory { get; init; }
    public string? OkrsFile { get; init; }
    public string? OkrsSource { get; init; }

    /// <summary>Each source's settings object by source id, as written.</summary>
    public IReadOnlyDictionary<string, JsonElement> Sources { get; init; } = new Dictionary<string, JsonElement>();

    /// <summary>Other top-level objects (analyzer settings such as <c>dora</c>), by key.</summary>
    public IReadOnlyDictionary<string, JsonElement> Sections { get; init; } = new Dictionary<string, JsonElement>();

    public HttpPolicy Http { get; init; } = new();

    /// <summary>Where runs are remembered (<c>history</c>); the loader defaults it to okrhost.db beside the config.</summary>
    public HistorySettings History { get; init; } = HistorySettings.None;

    /// <summary>SHA-256 of the config file as read (null without one): which config made a stored run.</summary>
    public string? Fingerprint { get; init; }

    /// <summary><c>insights.llm</c>; null when no model is configured (no narrative, no ask).</summary>
    public LlmSettings? Llm { get; init; }

    /// <summary><c>alerts</c>; null when no alerts are configured.</summary>
    public AlertSettings? Alerts { get; init; }

    /// <summary>Variables from the <c>.env</c> file beside the config; the process environment wins over them.</summary>
    public IReadOnlyDictionary<string, string> DotEnv { get; init; } = new Dictionary<string, string>();

    /// <summary>A variable from the environment, else from <c>.env</c>.</summary>
    public string? Variable(Func<string, string?> environment, string name)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var value = environment(name);
        return !string.IsNullOrEmpty(value) ? value : DotEnv.GetValueOrDefault(name);
    }

    public string Resolve(string path) => Path.GetFullPath(Path.Combine(Directory, path));
}

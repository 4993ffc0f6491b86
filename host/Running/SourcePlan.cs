using System.Text.Json;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Plugins;

namespace OkrHost.Running;

/// <summary>What the host will do with one known source, decided before anything is fetched.</summary>
public sealed record SourcePlan(DiscoveredPlugin Plugin, SourceSettings Settings, bool Enabled, string? DisabledReason, IReadOnlyList<string> Missing)
{
    public string Id => Plugin.Id;

    /// <summary>The plugin's code: what the run calls to collect and compute.</summary>
    public ISourcePlugin Source => Plugin.Plugin;

    /// <summary>The metrics the source can report.</summary>
    public IReadOnlyList<MetricDefinition> Metrics => Source.Metrics;

    /// <summary>The fact types its collection stores (the history store and facts bundles read them back).</summary>
    public IReadOnlyList<Type> FactTypes => Source.FactTypes;

    /// <summary>The component rendering its panel's section; null for the default one.</summary>
    public Type? SectionComponent => Plugin.SectionComponent;

    /// <summary>The source's OKR reader, when its plugin can provide OKRs (<c>okrs.source</c>).</summary>
    public IOkrProvider? OkrProvider => Source as IOkrProvider;

    public bool Runnable => Enabled && Missing.Count == 0;

    /// <summary>Why the plugin itself is broken (its settings check threw or hung): the source fails, the others run.</summary>
    public string? Fault { get; init; }

    /// <summary>What <c>collect --shard</c> gave this source to do; null in an unsharded run.</summary>
    public Shard.Work? ShardWork { get; init; }

    /// <summary>Left out by the command line (<c>--only</c>, another shard's work), not by the config: no verdict on the config.</summary>
    public bool LeftOutByCommand { get; init; }
}

/// <summary>
/// Decides, for every discovered plugin, whether it is disabled, not configured (and what exactly is
/// missing) or runnable, and collects every settings problem with its JSON path.
/// </summary>
public static class SourcePlanner
{
    public static IReadOnlyList<SourcePlan> Plan(
        HostConfig config,
        PluginCatalog catalog,
        Func<string, string?> environment,
        IReadOnlyCollection<string>? only,
        List<Problem> problems,
        TimeProvider clock,
        Shard? shard = null,
        string? tokenEnvSuffix = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(problems);
        foreach (var id in config.Sources.Keys.Where(id => catalog.Find(id) is null))
        {
            problems.Add(Problem.Warning(config.File, $"$.sources.{id}",
                $"no installed plugin provides source '{id}' (installed: {string.Join(", ", catalog.Plugins.Select(p => p.Id))})"));
        }

        foreach (var id in only ?? [])
        {
            if (catalog.Find(id) is null)
            {
                problems.Add(Problem.Error("--only", id, $"unknown source '{id}' (installed: {string.Join(", ", catalog.Plugins.Select(p => p.Id))})"));
            }
        }

        // Sources appear in the order plugins.json lists them, then the rest in discovery order.
        var ordered = config.Sources.Keys.Select(catalog.Find).OfType<DiscoveredPlugin>()
            .Concat(catalog.Plugins.Where(p => !config.Sources.ContainsKey(p.Id)));
        return ordered.Select(plugin => PlanOne(config, plugin, environment, only, problems, clock, shard, tokenEnvSuffix)).ToArray();
    }

    private static SourcePlan PlanOne(
        HostConfig config,
        DiscoveredPlugin plugin,
        Func<string, string?> environment,
        IReadOnlyCollection<string>? only,
        List<Problem> problems,
        TimeProvider clock,
        Shard? shard,
        string? tokenEnvSuffix)
    {
        var path = $"$.sources.{plugin.Id}";
        var json = config.Sources.TryGetValue(plugin.Id, out var element) ? element : EmptyObject;
        Shard.Work? work = null;
        if (shard is not null)
        {
            (work, json) = shard.Assign(plugin, json);
        }

        var tokenEnv = json.TryGetProperty("tokenEnv", out var te) && te.ValueKind == JsonValueKind.String ? te.GetString() : plugin.Metadata.DefaultTokenEnv;
        // A shard spends its own quota: GITHUB_TOKEN_2 when set, else the shared GITHUB_TOKEN (a source
        // collected by one shard only needs no token per shard).
        if (tokenEnv is not null && !string.IsNullOrEmpty(tokenEnvSuffix) && !string.IsNullOrEmpty(config.Variable(environment, tokenEnv + tokenEnvSuffix)))
        {
            tokenEnv += tokenEnvSuffix;
        }

        var token = tokenEnv is null ? null : config.Variable(environment, tokenEnv);
        var bindingProblems = new List<Problem>();
        var values = SettingsBinder.Bind(plugin.Plugin.SettingsType, json, path, bindingProblems);
        var settings = new SourceSettings(plugin.Id, path, values, token, tokenEnv, BaseUrl(json, plugin.Metadata.DefaultBaseUrl), config.Directory);

        var enabled = !(json.TryGetProperty("enabled", out var en) && en.ValueKind == JsonValueKind.False);
        var disabledReason = enabled ? null : $"disabled in {config.File} ({path}.enabled)";
        var leftOut = false;
        if (enabled && only is { Count: > 0 } && !only.Contains(plugin.Id))
        {
            enabled = false;
            leftOut = true;
            disabledReason = "not selected by --only";
        }

        if (enabled && work is { Collects: false })
        {
            enabled = false;
            leftOut = true;
            disabledReason = work.Setting is null
                ? $"collected by shard 1/{shard!.Count}: its work is not split"
                : $"shard {shard} has none of its {work.Setting}";
        }

        var missing = new List<string>();
        if (tokenEnv is not null && string.IsNullOrEmpty(token))
        {
            missing.Add($"environment variable {tokenEnv} is not set (token for {plugin.DisplayName}; {path}.tokenEnv names it)");
        }

        // Binding keeps every value of the right type, so the plugin still checks the rest when one is
        // wrong: one bad value must not hide the other problems.
        var settingProblems = bindingProblems;
        var wrongTypes = bindingProblems.Where(p => p.Severity == ProblemSeverity.Error).Select(p => p.JsonPath).ToHashSet(StringComparer.Ordinal);
        string? fault = null;
        try
        {
            var checkedProblems = PluginCall.Run(() => plugin.Plugin.ValidateSettings(settings), config.Http.SourceTimeout, clock) ?? [];
            settingProblems.AddRange(checkedProblems.OfType<Problem>().Where(p => !wrongTypes.Contains(p.JsonPath)));
        }
        catch (Exception ex) when (wrongTypes.Count == 0)
        {
            // A plugin that throws or hangs here is broken, not the user's config: its source fails, the rest run.
            var why = ex is TimeoutException ? $"did not return within {config.Http.SourceTimeout.TotalSeconds:0} s" : $"threw {ex.GetType().Name}: {ex.Message}";
            fault = SourceResultValidator.Truncate($"{plugin.DisplayName}: the plugin failed while checking its settings ({why})");
        }
        catch (Exception) when (wrongTypes.Count > 0)
        {
            // The settings already fail with their wrong types; a plugin tripping over a default left in
            // their place adds nothing the user can act on.
        }

        foreach (var problem in settingProblems)
        {
            switch (problem.Severity)
            {
                case ProblemSeverity.Missing:
                    missing.Add($"{problem.JsonPath}: {problem.Message}");
                    break;
                case ProblemSeverity.Error when enabled:
                    // The plugin knows its service better than the host's generic check of the same
                    // key (a baseUrl), so its message replaces the host's rather than repeating it.
                    problems.RemoveAll(p => p.Severity == ProblemSeverity.Error && p.File == config.File && p.JsonPath == problem.JsonPath);
                    problems.Add(problem with { File = config.File });
                    break;
                case ProblemSeverity.Error:
                case ProblemSeverity.Warning:
                    // A disabled source's wrong value cannot stop the run: it is only worth fixing.
                    problems.Add(problem with { Severity = ProblemSeverity.Warning, File = config.File });
                    break;
            }
        }

        return new SourcePlan(plugin, settings, enabled, disabledReason, missing) { Fault = enabled ? fault : null, ShardWork = work, LeftOutByCommand = leftOut };
    }

    /// <summary>The configured <c>baseUrl</c> (checked by the config loader), else the plugin's default.</summary>
    private static Uri? BaseUrl(JsonElement json, string? defaultBaseUrl)
    {
        var text = json.TryGetProperty("baseUrl", out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : defaultBaseUrl;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) ? uri : null;
    }

    private static readonly JsonElement EmptyObject = JsonDocument.Parse("{}").RootElement.Clone();
}

using System.Composition;
using System.Composition.Hosting;
using System.Reflection;
using System.Text.RegularExpressions;
using McMaster.NETCore.Plugins;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.Logging;
using OkrHost.Contracts;
using OkrHost.Contracts.Sections;

namespace OkrHost.Plugins;

/// <summary>A source plugin that loaded, composed and passed the eager checks.</summary>
public sealed record DiscoveredPlugin(SourcePluginMetadata Metadata, string Folder, string Version, ISourcePlugin Plugin)
{
    public string Id => Metadata.Id;

    public string DisplayName => Metadata.DisplayName;

    /// <summary>The Razor component that renders the source's section, when the plugin brings its own.</summary>
    public Type? SectionComponent => (Plugin as ISectionRenderer)?.SectionComponent;
}

/// <summary>
/// Finds source plugins in <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>, each in its own load context, and
/// checks every one eagerly: a plugin that cannot load, targets another contracts major version,
/// exports nothing, or declares a bad catalogue is skipped with a one-line warning naming its folder
/// and the reason. Nothing here throws for a bad plugin.
/// </summary>
public sealed partial class PluginCatalog : IDisposable
{
    /// <summary>
    /// Types whose assemblies the host and every plugin must share. Without this a plugin would load
    /// its own copy of the contracts or of System.Composition's attributes, and MEF would find zero
    /// exports without any error.
    /// </summary>
    /// <summary>The contract major this host speaks: the major version of the OkrHost.Contracts it is built with.</summary>
    public static int ContractsMajor { get; } = typeof(ISourcePlugin).Assembly.GetName().Version!.Major;

    private static readonly Type[] SharedTypes =
    [
        typeof(ISourcePlugin),
        typeof(ExportAttribute),
        typeof(ILogger),
        typeof(ComponentBase),
    ];

    /// <summary>Ids of the host's cross-source analyzers: their metric prefixes belong to the host.</summary>
    private static readonly HashSet<string> ReservedIds = Analysis.AnalyzerCatalog.All.Select(a => a.Id).ToHashSet(StringComparer.Ordinal);

    private readonly List<PluginLoader> _loaders = [];

    private PluginCatalog()
    {
    }

    public IReadOnlyList<DiscoveredPlugin> Plugins { get; private set; } = [];

    /// <summary>One line per skipped plugin folder: "plugins/Broken: …".</summary>
    public IReadOnlyList<string> Warnings { get; private set; } = [];

    public DiscoveredPlugin? Find(string id) => Plugins.FirstOrDefault(p => p.Id == id);

    public static PluginCatalog Discover(string pluginsDirectory)
    {
        var catalog = new PluginCatalog();
        var plugins = new List<DiscoveredPlugin>();
        var warnings = new List<string>();
        if (!Directory.Exists(pluginsDirectory))
        {
            warnings.Add($"{pluginsDirectory}: plugins folder not found; no sources are available");
        }
        else
        {
            foreach (var folder in Directory.GetDirectories(pluginsDirectory).Order(StringComparer.Ordinal))
            {
                catalog.LoadFolder(folder, plugins, warnings);
            }
        }

        // Two folders claiming one source id: either could be an impostor after the other's token and
        // metrics, so neither runs and both are named.
        foreach (var clash in plugins.GroupBy(p => p.Id).Where(g => g.Count() > 1).ToArray())
        {
            var folders = string.Join(" and ", clash.Select(p => $"plugins/{Path.GetFileName(p.Folder)}"));
            warnings.Add($"{folders}: both skipped, each declares source id '{clash.Key}'; remove one of them");
            plugins.RemoveAll(p => p.Id == clash.Key);
        }

        catalog.Plugins = plugins;
        catalog.Warnings = warnings;
        return catalog;
    }

    private void LoadFolder(string folder, List<DiscoveredPlugin> plugins, List<string> warnings)
    {
        var name = Path.GetFileName(folder);
        var label = $"plugins/{name}";
        var assemblyPath = Path.Combine(folder, name + ".dll");
        if (!File.Exists(assemblyPath))
        {
            warnings.Add($"{label}: skipped, no {name}.dll in the folder");
            return;
        }

        Assembly assembly;
        try
        {
            var loader = PluginLoader.CreateFromAssemblyFile(assemblyPath, SharedTypes, config => config.PreferSharedTypes = true);
            _loaders.Add(loader);
            assembly = loader.LoadDefaultAssembly();
        }
        catch (Exception ex) when (ex is BadImageFormatException or FileLoadException or FileNotFoundException or IOException)
        {
            warnings.Add($"{label}: skipped, {name}.dll could not be loaded ({FirstLine(ex.Message)})");
            return;
        }

        var contracts = assembly.GetReferencedAssemblies().FirstOrDefault(a => a.Name == typeof(ISourcePlugin).Assembly.GetName().Name);
        if (contracts?.Version is null)
        {
            warnings.Add($"{label}: skipped, {name}.dll does not reference OkrHost.Contracts");
            return;
        }

        if (contracts.Version.Major != ContractsMajor)
        {
            warnings.Add($"{label}: skipped, built against OkrHost.Contracts {contracts.Version.Major}.x but this host speaks {ContractsMajor}.x; rebuild the plugin against contracts {ContractsMajor}.x");
            return;
        }

        IReadOnlyList<Lazy<ISourcePlugin, SourcePluginMetadata>> exports;
        try
        {
            using var container = new ContainerConfiguration().WithAssembly(assembly).CreateContainer();
            exports = container.GetExports<Lazy<ISourcePlugin, SourcePluginMetadata>>().ToArray();
            if (exports.Count == 0)
            {
                warnings.Add($"{label}: skipped, {name}.dll exports no ISourcePlugin (add [Export(typeof(ISourcePlugin))] and [SourcePlugin(...)])");
                return;
            }

            var version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
                ?? assembly.GetName().Version?.ToString() ?? "?";
            foreach (var export in exports)
            {
                if (Check(label, export, warnings) is { } plugin)
                {
                    plugins.Add(new DiscoveredPlugin(export.Metadata, folder, version, plugin));
                }
            }
        }
        catch (Exception ex) when (ex is ReflectionTypeLoadException or TypeLoadException or CompositionFailedException or MissingMethodException or TargetInvocationException)
        {
            warnings.Add($"{label}: skipped, its exports could not be created ({FirstLine(ex.InnerException?.Message ?? ex.Message)})");
        }
    }

    private static ISourcePlugin? Check(string label, Lazy<ISourcePlugin, SourcePluginMetadata> export, List<string> warnings)
    {
        var id = export.Metadata.Id;
        if (!IdForm().IsMatch(id ?? ""))
        {
            warnings.Add($"{label}: skipped, source id '{id}' must be lower-case letters, digits and dashes");
            return null;
        }

        if (ReservedIds.Contains(id!))
        {
            warnings.Add($"{label}: skipped, source id '{id}' is the host's own (its metrics would be mistaken for the host's)");
            return null;
        }

        ISourcePlugin plugin;
        IReadOnlyList<MetricDefinition> metrics;
        try
        {
            plugin = export.Value;
            metrics = plugin.Metrics;
        }
        catch (Exception ex)
        {
            warnings.Add($"{label}: skipped, source '{id}' failed to start ({FirstLine(ex.Message)})");
            return null;
        }

        // Checked here, once, whether the source is enabled or not: every run writes and reads facts with all plugins' kinds.
        string? factTypeClash;
        try
        {
            factTypeClash = FactTypeRules.Clash(id!, plugin.FactTypes ?? []);
        }
        catch (Exception ex)
        {
            factTypeClash = $"its fact types could not be listed ({FirstLine(ex.Message)})";
        }

        if (factTypeClash is not null)
        {
            warnings.Add($"{label}: skipped, source '{id}': {factTypeClash}");
            return null;
        }

        var foreign = metrics.FirstOrDefault(m => !m.Id.StartsWith(id + ".", StringComparison.Ordinal));
        if (foreign is not null)
        {
            warnings.Add($"{label}: skipped, metric id '{foreign.Id}' must start with '{id}.'");
            return null;
        }

        var duplicate = metrics.GroupBy(m => m.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            warnings.Add($"{label}: skipped, metric id '{duplicate.Key}' is declared twice");
            return null;
        }

        return plugin;
    }

    private static string FirstLine(string message) => message.Split('\n')[0].Trim();

    public void Dispose()
    {
        foreach (var loader in _loaders)
        {
            loader.Dispose();
        }
    }

    [GeneratedRegex("^[a-z][a-z0-9-]*$")]
    private static partial Regex IdForm();
}

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using OkrHost.Plugins;
using OkrHost.Testing;
using OkrHost.UseCases;

namespace OkrHost.Tests.Plugins;

[Collection(OnCallPluginCollection.Name)]
public class DiscoveryTests(OnCallPluginFixture plugin)
{
    [Fact]
    public void A_corrupt_plugin_dll_is_skipped_with_a_warning_and_the_others_still_load()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins/Broken/Broken.dll", "this is not an assembly");

        using var catalog = PluginCatalog.Discover(plugins);

        Assert.Equal(["oncall"], catalog.Plugins.Select(p => p.Id));
        var warning = Assert.Single(catalog.Warnings);
        Assert.StartsWith("plugins/Broken: skipped, Broken.dll could not be loaded", warning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(1)]
    public void A_plugin_built_against_another_contracts_major_version_is_skipped_with_the_reason(int offset)
    {
        var hostMajor = typeof(OkrHost.Contracts.ISourcePlugin).Assembly.GetName().Version!.Major;
        var major = hostMajor + offset;
        using var folder = new TempFolder();
        var futureContracts = Compile("OkrHost.Contracts", $"{major}.0.0.0", """
            namespace OkrHost.Contracts { public interface ISourcePlugin { } }
            """);
        var plugin = Compile("Future", "1.0.0.0", """
            [System.Composition.Export(typeof(OkrHost.Contracts.ISourcePlugin))]
            public sealed class FutureSource : OkrHost.Contracts.ISourcePlugin { }
            """, MetadataReference.CreateFromImage(futureContracts));
        Directory.CreateDirectory(folder.Combine("plugins", "Future"));
        File.WriteAllBytes(folder.Combine("plugins", "Future", "Future.dll"), plugin);

        using var catalog = PluginCatalog.Discover(folder.Combine("plugins"));

        Assert.Empty(catalog.Plugins);
        Assert.Equal(
            $"plugins/Future: skipped, built against OkrHost.Contracts {major}.x but this host speaks {hostMajor}.x; rebuild the plugin against contracts {hostMajor}.x",
            Assert.Single(catalog.Warnings));
    }

    [Fact]
    public void An_assembly_that_exports_no_source_is_skipped_with_a_hint()
    {
        using var folder = new TempFolder();
        var contracts = MetadataReference.CreateFromFile(typeof(OkrHost.Contracts.ISourcePlugin).Assembly.Location);
        var plugin = Compile("Forgetful", "1.0.0.0", """
            public sealed class ForgotTheExport : OkrHost.Contracts.ISourcePlugin
            {
                public System.Collections.Generic.IReadOnlyList<OkrHost.Contracts.MetricDefinition> Metrics => [];
                public System.Collections.Generic.IReadOnlyList<System.Type> FactTypes => [];
                public System.Type SettingsType => typeof(object);
                public System.Collections.Generic.IReadOnlyList<OkrHost.Contracts.Problem> ValidateSettings(OkrHost.Contracts.SourceSettings s) => [];
                public System.Threading.Tasks.Task<OkrHost.Contracts.FactSet> CollectAsync(OkrHost.Contracts.CollectContext c, System.Threading.CancellationToken t) => throw null!;
                public OkrHost.Contracts.SourceComputation Compute(OkrHost.Contracts.FactSet f, OkrHost.Contracts.ComputeWindow w) => throw null!;
            }
            """, contracts);
        Directory.CreateDirectory(folder.Combine("plugins", "Forgetful"));
        File.WriteAllBytes(folder.Combine("plugins", "Forgetful", "Forgetful.dll"), plugin);

        using var catalog = PluginCatalog.Discover(folder.Combine("plugins"));

        Assert.Empty(catalog.Plugins);
        Assert.Contains("plugins/Forgetful: skipped, Forgetful.dll exports no ISourcePlugin", Assert.Single(catalog.Warnings), StringComparison.Ordinal);
    }

    [Fact]
    public void A_folder_without_its_dll_is_skipped_with_a_warning()
    {
        using var folder = new TempFolder();
        folder.File("plugins/Empty/readme.txt", "nothing here");

        using var catalog = PluginCatalog.Discover(folder.Combine("plugins"));

        Assert.Equal("plugins/Empty: skipped, no Empty.dll in the folder", Assert.Single(catalog.Warnings));
    }

    [Fact]
    public void The_in_repo_plugins_built_with_the_solution_are_discovered_sharing_the_hosts_contracts()
    {
        using var catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);

        Assert.Empty(catalog.Warnings);
        Assert.Equal(["github", "grafana", "linear", "notion", "slack"], catalog.Plugins.Select(p => p.Id).Order(StringComparer.Ordinal));
        Assert.All(catalog.Plugins, p => Assert.Same(typeof(OkrHost.Contracts.ISourcePlugin).Assembly, p.Plugin.GetType().GetInterfaces().Single(i => i.Name == "ISourcePlugin").Assembly));
    }

    private static byte[] Compile(string name, string version, string source, params MetadataReference[] extra)
    {
        var runtime = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll" or "System.Collections.dll" or "System.Composition.AttributedModel.dll" or "System.Threading.Tasks.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var composition = MetadataReference.CreateFromFile(typeof(System.Composition.ExportAttribute).Assembly.Location);
        var compilation = CSharpCompilation.Create(
            name,
            [CSharpSyntaxTree.ParseText($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]\n{source}")],
            [.. runtime, composition, .. extra],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var stream = new MemoryStream();
        var emitted = compilation.Emit(stream);
        Assert.True(emitted.Success, string.Join("\n", emitted.Diagnostics));
        return stream.ToArray();
    }
}

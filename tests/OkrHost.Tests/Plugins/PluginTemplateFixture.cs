using OkrHost.Contracts;
using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// Does what docs/plugins.md tells a plugin author to do, once per test run: packs the contracts into a
/// folder feed, installs templates/okrhost-plugin into a private template hive (the user's template list
/// is untouched), creates <c>PagerDuty</c> from it in a folder outside the repository and builds it
/// against the package. Tests run the generated tests and drop <see cref="PluginOutput"/> into plugins.
/// </summary>
public sealed class PluginTemplateFixture : IAsyncLifetime
{
    public const string Name = "PagerDuty";
    public const string SourceId = "pagerduty";

    private readonly TempFolder _folder = new();

    /// <summary>The contracts' version as the host's copy declares it, which the package must carry.</summary>
    public static string ContractsVersion { get; } = typeof(ISourcePlugin).Assembly.GetName().Version!.ToString(3);

    public string Feed => _folder.Combine("feed");

    public string Package => Path.Combine(Feed, $"OkrHost.Contracts.{ContractsVersion}.nupkg");

    /// <summary>The generated solution: the plugin project, its test project, the shared props.</summary>
    public string Solution => _folder.Combine("work", Name);

    /// <summary>The plugin project's build output, as copied into <c>plugins/PagerDuty/</c>.</summary>
    public string PluginOutput => Path.Combine(Solution, Name, "bin", "Debug", "net10.0");

    public async Task InitializeAsync()
    {
        // --no-build: the tests run on a fresh build of the contracts.
        await Dotnet(RepoPaths.Root, "pack", Path.Combine(RepoPaths.Root, "contracts"), "--no-build", "-c", RepoPaths.Configuration, "-o", Feed, "--nologo", "-v", "q");

        var hive = _folder.Combine("template-hive");
        await Dotnet(_folder.Path, "new", "install", Path.Combine(RepoPaths.Root, "templates", "okrhost-plugin"), "--debug:custom-hive", hive);

        // The feed serves OkrHost.* only and nuget.org the rest; a package folder of its own makes the
        // build take the contracts just packed, never an older one from the machine's package cache.
        _folder.File(Path.Combine("work", "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <config>
                <add key="globalPackagesFolder" value="{_folder.Combine("packages")}" />
              </config>
              <packageSources>
                <clear />
                <add key="okrhost" value="{Feed}" />
                <add key="nuget.org" value="https://api.nuget.org/v3/index.json" />
              </packageSources>
              <packageSourceMapping>
                <packageSource key="okrhost">
                  <package pattern="OkrHost.*" />
                </packageSource>
                <packageSource key="nuget.org">
                  <package pattern="*" />
                </packageSource>
              </packageSourceMapping>
            </configuration>
            """);
        await Dotnet(_folder.Combine("work"), "new", "okrhost-plugin", "-n", Name, "--sourceId", SourceId, "--debug:custom-hive", hive);
        await Dotnet(Solution, "build", "--nologo", "-v", "q");
    }

    /// <summary>Runs dotnet in <paramref name="directory"/> and fails the fixture, with what it printed, if it fails.</summary>
    public static async Task<CliResult> Dotnet(string directory, params string[] arguments)
    {
        var result = await ProcessRunner.DotnetAsync(arguments, TimeSpan.FromMinutes(5), directory);
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed:\n{result}");
        return result;
    }

    /// <summary>A plugins folder holding only the generated plugin, as its author would drop it in.</summary>
    public string InstallInto(TempFolder folder) => ThrowawayPlugins.InstallOutput(folder, PluginOutput, Name);

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

using System.Collections.Concurrent;
using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// Builds plugins that are not part of the host's build (tests/OnCallPlugin, tests/FaultyPlugin,
/// tests/ImpostorPlugin) exactly as a third party would, each once per test run, and installs them
/// into a test's own plugins folder.
/// </summary>
public static class ThrowawayPlugins
{
    private static readonly ConcurrentDictionary<string, Lazy<string>> Builds = new(StringComparer.Ordinal);

    // One build at a time: concurrent restores of the shared contracts project would fight over its obj folder.
    private static readonly Lock BuildLock = new();

    /// <summary>The folder holding the build output of tests/<paramref name="folder"/>/<paramref name="name"/>.csproj.</summary>
    public static string BuildOutput(string folder, string name) =>
        Builds.GetOrAdd($"{folder}/{name}", _ => new Lazy<string>(() => Build(folder, name))).Value;

    /// <summary>Copies the plugin into <c>plugins/&lt;name&gt;/</c> of <paramref name="target"/>; returns that plugins folder.</summary>
    public static string InstallInto(TempFolder target, string folder, string name) =>
        InstallOutput(target, BuildOutput(folder, name), name);

    /// <summary>Copies a plugin's build output into <c>plugins/&lt;name&gt;/</c> of <paramref name="target"/>; returns that plugins folder.</summary>
    public static string InstallOutput(TempFolder target, string output, string name)
    {
        ArgumentNullException.ThrowIfNull(target);
        var destination = target.Combine("plugins", name);
        Directory.CreateDirectory(destination);
        foreach (var file in Directory.GetFiles(output))
        {
            File.Copy(file, Path.Combine(destination, Path.GetFileName(file)), overwrite: true);
        }

        return target.Combine("plugins");
    }

    /// <summary>Copies one of the solution's own plugins (built into the host's plugins folder) beside the others.</summary>
    public static void InstallBuiltIn(TempFolder target, string name)
    {
        ArgumentNullException.ThrowIfNull(target);
        var source = Path.Combine(RepoPaths.HostPlugins, name);
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            var destination = target.Combine("plugins", name, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(destination)!);
            File.Copy(file, destination, overwrite: true);
        }
    }

    private static string Build(string folder, string name)
    {
        lock (BuildLock)
        {
            var output = Path.Combine(AppContext.BaseDirectory, "throwaway-plugins", name);
            var project = Path.Combine(RepoPaths.Root, "tests", folder, name + ".csproj");
            // Synchronous on purpose: Lazy + lock serialise the builds, and a build is seconds long.
            var build = ProcessRunner.DotnetAsync(
                ["build", project, "-c", RepoPaths.Configuration, "-o", output, "-p:BuildProjectReferences=false", "--nologo", "-v", "q"],
                TimeSpan.FromMinutes(3)).GetAwaiter().GetResult();
            if (build.ExitCode != 0)
            {
                throw new InvalidOperationException($"building the {name} plugin failed:\n{build}");
            }

            return output;
        }
    }
}

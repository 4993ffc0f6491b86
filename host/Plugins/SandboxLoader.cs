using McMaster.NETCore.Plugins;
using OkrHost.Sandbox;

namespace OkrHost.Plugins;

/// <summary>
/// Starts the sandbox shipped in <c>sandbox/</c> beside OkrHost.dll, loaded in its own context the way
/// plugins are: the host compiles against <see cref="ISandboxLauncher"/> only, never the emulators.
/// </summary>
public static class SandboxLoader
{
    private const string AssemblyFile = "OkrHost.Sandbox.dll";

    /// <exception cref="FileNotFoundException">No sandbox ships in <paramref name="directory"/>.</exception>
    /// <exception cref="IOException">The port cannot be listened on.</exception>
    public static Task<IRunningSandbox> StartAsync(string directory, SandboxOptions options, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, AssemblyFile);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"the sandbox is not installed: {path} is missing", path);
        }

        // Not collectible, so the loader needs no disposing: the sandbox's assemblies stay loaded with the host.
        var loader = PluginLoader.CreateFromAssemblyFile(path, [typeof(ISandboxLauncher)], config => config.PreferSharedTypes = true);
        var launcher = loader.LoadDefaultAssembly().GetExportedTypes()
            .Single(type => typeof(ISandboxLauncher).IsAssignableFrom(type) && type is { IsAbstract: false, IsInterface: false });
        return ((ISandboxLauncher)Activator.CreateInstance(launcher)!).StartAsync(options, cancellationToken);
    }
}

using System.Reflection;

namespace OkrHost.Testing;

/// <summary>Where the repository and the host's built plugins are, for tests.</summary>
public static class RepoPaths
{
    private static string Metadata(string key) =>
        typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    /// <summary>Root of the repository (ends with a separator).</summary>
    public static string Root => Metadata("RepoRoot");

    /// <summary>Build configuration the tests were built with.</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The host's plugins folder, where building the solution publishes every in-repo plugin.</summary>
    public static string HostPlugins => Path.Combine(Root, "host", "bin", Configuration, "net10.0", "plugins");

    /// <summary>The sandbox a built host loads for the demo, <c>sandbox</c> and <c>bench</c>.</summary>
    public static string HostSandbox => Path.Combine(Root, "host", "bin", Configuration, "net10.0", "sandbox");

    /// <summary>The built host, for tests that run it as a process: <c>dotnet HostAssembly …</c>.</summary>
    public static string HostAssembly => Path.Combine(Root, "host", "bin", Configuration, "net10.0", "OkrHost.dll");

    /// <summary>The sandbox's data files, among them the services' published reference schemas.</summary>
    public static string SandboxData => Path.Combine(Root, "sandbox", "Data");
}

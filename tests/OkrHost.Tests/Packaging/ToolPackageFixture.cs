using System.Reflection;
using System.Runtime.InteropServices;
using OkrHost.Cli;
using OkrHost.Testing;

namespace OkrHost.Tests.Packaging;

/// <summary>
/// Packs the host as the <c>okrhost</c> dotnet tool from the build the tests run on and installs it
/// into a temporary tool path, once per test run, the way a user installs it from a feed. The install
/// sees only the local feed and its own package folder, so it never reuses an older okrhost package.
/// </summary>
public sealed class ToolPackageFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    /// <summary>The version the host declares, which the package carries and the install asks for.</summary>
    public static string Version { get; } =
        typeof(CliApp).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];

    public string Feed => _folder.Combine("feed");

    public string Package => Path.Combine(Feed, $"okrhost.{Version}.nupkg");

    /// <summary>The installed command.</summary>
    public string Command => _folder.Combine("tools", OperatingSystem.IsWindows() ? "okrhost.exe" : "okrhost");

    /// <summary>
    /// Variables for running the installed command: the runtime it runs on (the one running the
    /// tests) and a cache inside the temporary folder.
    /// </summary>
    public IReadOnlyDictionary<string, string> Variables => new Dictionary<string, string>
    {
        ["DOTNET_ROOT"] = DotnetRoot,
        ["XDG_CACHE_HOME"] = _folder.Combine("cache"),
        ["CI"] = "true",
    };

    private static string DotnetRoot => Path.GetFullPath(Path.Combine(RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));

    public async Task InitializeAsync()
    {
        // --no-build: the tests already run on a fresh build of the host and its plugins.
        var pack = await ProcessRunner.DotnetAsync(
            ["pack", Path.Combine(RepoPaths.Root, "host", "OkrHost.csproj"), "--no-build", "-c", RepoPaths.Configuration, "-o", Feed, "--nologo", "-v", "q"],
            TimeSpan.FromMinutes(5));
        Assert.True(pack.ExitCode == 0, $"dotnet pack failed:\n{pack}");

        var config = _folder.File("nuget.config", $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="okrhost" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        var install = await ProcessRunner.DotnetAsync(
            ["tool", "install", "okrhost", "--version", Version, "--tool-path", _folder.Combine("tools"), "--configfile", config],
            TimeSpan.FromMinutes(3),
            variables: new Dictionary<string, string> { ["NUGET_PACKAGES"] = _folder.Combine("nuget-packages") });
        Assert.True(install.ExitCode == 0, $"dotnet tool install failed:\n{install}");
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }
}

using System.Diagnostics;
using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// Builds tests/OnCallPlugin, a plugin that is not part of the host's build, exactly as a third party
/// would, once per test run. Tests copy <see cref="BuildOutput"/> into a fresh plugins folder.
/// </summary>
public sealed class OnCallPluginFixture : IDisposable
{
    private readonly TempFolder _folder = new();

    public OnCallPluginFixture()
    {
        BuildOutput = _folder.Combine("build");
        var project = Path.Combine(RepoPaths.Root, "tests", "OnCallPlugin", "OnCall.csproj");
        var start = new ProcessStartInfo("dotnet", ["build", project, "-c", RepoPaths.Configuration, "-o", BuildOutput, "-p:BuildProjectReferences=false", "--nologo", "-v", "q"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException("building the OnCall plugin took more than 3 minutes");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the OnCall plugin failed:\n{output.Result}\n{error.Result}");
        }
    }

    public string BuildOutput { get; }

    /// <summary>A plugins folder holding only the OnCall plugin, as a user would drop it in.</summary>
    public string InstallInto(TempFolder folder)
    {
        var target = folder.Combine("plugins", "OnCall");
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(BuildOutput))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        return folder.Combine("plugins");
    }

    public void Dispose() => _folder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class OnCallPluginCollection : ICollectionFixture<OnCallPluginFixture>
{
    public const string Name = "OnCall plugin";
}

using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// Builds tests/OnCallPlugin, a plugin that is not part of the host's build, exactly as a third party
/// would, once per test run. Tests copy <see cref="BuildOutput"/> into a fresh plugins folder.
/// </summary>
public sealed class OnCallPluginFixture : IAsyncLifetime
{
    private readonly TempFolder _folder = new();

    public async Task InitializeAsync()
    {
        var project = Path.Combine(RepoPaths.Root, "tests", "OnCallPlugin", "OnCall.csproj");
        var build = await ProcessRunner.DotnetAsync(
            ["build", project, "-c", RepoPaths.Configuration, "-o", BuildOutput, "-p:BuildProjectReferences=false", "--nologo", "-v", "q"],
            TimeSpan.FromMinutes(3));
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"building the OnCall plugin failed:\n{build}");
        }
    }

    public Task DisposeAsync()
    {
        _folder.Dispose();
        return Task.CompletedTask;
    }

    public string BuildOutput => _folder.Combine("build");

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
}

[CollectionDefinition(Name)]
public sealed class OnCallPluginCollection : ICollectionFixture<OnCallPluginFixture>
{
    public const string Name = "OnCall plugin";
}

using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// tests/OnCallPlugin, a plugin that is not part of the host's build, built as a third party would
/// (<see cref="ThrowawayPlugins"/>, once per test run).
/// </summary>
public sealed class OnCallPluginFixture
{
    public string BuildOutput => ThrowawayPlugins.BuildOutput("OnCallPlugin", "OnCall");

    /// <summary>A plugins folder holding only the OnCall plugin, as a user would drop it in.</summary>
    public string InstallInto(TempFolder folder) => ThrowawayPlugins.InstallInto(folder, "OnCallPlugin", "OnCall");
}

[CollectionDefinition(Name)]
public sealed class OnCallPluginCollection : ICollectionFixture<OnCallPluginFixture>
{
    public const string Name = "OnCall plugin";
}

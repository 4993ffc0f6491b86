using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Slack;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;

namespace Slack.Tests;

/// <summary>Runs the Slack plugin against a sandbox the way the host does.</summary>
internal static class SlackRun
{
    public static async Task<SandboxServer> StartAsync(SandboxProfile profile = SandboxProfile.Demo) =>
        await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = profile });

    public static SlackEmulator Emulator(this SandboxServer server) => (SlackEmulator)server.Emulator("slack");

    public static JsonObject Settings(SandboxServer server) => server.Emulator().DemoSettings(server.BaseUrl("slack"));

    public static async Task<PluginRun> CollectAsync(
        SandboxServer server, ReportPeriod period, string? token = null, JsonObject? settings = null, bool useToken = true)
    {
        var plugin = new SlackSource();
        var (context, _, factory) = TestSources.Context(
            plugin,
            "slack", settings ?? Settings(server), useToken ? token ?? server.Emulator().Token : null, period, SandboxFixture.Now);
        using (factory)
        {
            return await TestSources.RunAsync(plugin, context);
        }
    }

    public static void AssertMetric(this PluginRun result, string id, double? value, double? previous)
    {
        var metric = result.Metrics.Single(m => m.Id == id);
        Assert.Equal(value, metric.Value);
        Assert.Equal(previous, metric.Previous);
    }
}

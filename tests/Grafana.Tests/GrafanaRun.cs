using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Plugins.Grafana;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Grafana;
using OkrHost.Testing;

namespace Grafana.Tests;

/// <summary>Runs the plugin the way the host does: validate, then collect through the host's HTTP pipeline.</summary>
internal static class GrafanaRun
{
    /// <summary>The tests' report period: the 30 days before the sandbox's pinned now.</summary>
    public static readonly ReportPeriod Period = TestSources.Last30Days(SandboxFixture.Now);

    public static GrafanaEmulator Emulator(SandboxServer server) => (GrafanaEmulator)server.Emulator("grafana");

    /// <summary>The demo settings with <paramref name="change"/> applied.</summary>
    public static JsonObject Settings(SandboxServer server, Action<JsonObject>? change = null)
    {
        var settings = Emulator(server).DemoSettings(server.BaseUrl("grafana"));
        change?.Invoke(settings);
        return settings;
    }

    public static async Task<Outcome> CollectAsync(JsonObject settings, string? token, DateTimeOffset now, ReportPeriod? period = null)
    {
        var plugin = new GrafanaSource();
        var (context, http, factory) = TestSources.Context(plugin, "grafana", settings, token, period ?? Period, now);
        using (factory)
        {
            var problems = TestSources.Validate(plugin, "grafana", settings, token);
            Assert.DoesNotContain(problems, p => p.Severity != ProblemSeverity.Warning);
            var result = await TestSources.RunAsync(plugin, context);
            return new Outcome(result, http.Requests);
        }
    }

    public static Task<Outcome> CollectAsync(SandboxServer server, Action<JsonObject>? change = null, string? token = null) =>
        CollectAsync(Settings(server, change), token ?? Emulator(server).Token, server.Org.Now);

    /// <summary>A fresh demo sandbox whose Grafana data a test may replace.</summary>
    public static Task<SandboxServer> StartAsync() => SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now });

    /// <summary>An instant <paramref name="days"/> days after the start of <see cref="Period"/>.</summary>
    public static DateTimeOffset InPeriod(double days) => Period.From + TimeSpan.FromDays(days);

    /// <summary>An instant <paramref name="days"/> days after the start of the previous period.</summary>
    public static DateTimeOffset InPrevious(double days) => Period.Previous.From + TimeSpan.FromDays(days);
}

internal sealed record Outcome(PluginRun Result, long Requests)
{
    public PluginMetric Metric(string id) => Result.Metrics.Single(m => m.Id == id);

    public double? Value(string id) => Metric(id).Value;

    public double? Previous(string id) => Metric(id).Previous;
}

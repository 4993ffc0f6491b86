using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Plugins.Notion;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Notion;
using OkrHost.Testing;
using NotionPage = OkrHost.Sandbox.Notion.NotionPage;

namespace Notion.Tests;

/// <summary>Runs the Notion plugin the way the host does, against a sandbox or any base URL.</summary>
internal static class NotionTestKit
{
    public static readonly DateTimeOffset Now = SandboxFixture.Now;

    /// <summary>[2026-10-03, 2026-11-02); previous [2026-09-03, 2026-10-03).</summary>
    public static readonly ReportPeriod Period = TestSources.Last30Days(Now);

    public static readonly IReadOnlyDictionary<string, string> OkrSchema = new Dictionary<string, string>
    {
        ["Key Result"] = "title", ["Objective"] = "select", ["Metric"] = "select", ["Target"] = "number",
        ["Baseline"] = "number", ["Direction"] = "select", ["Owner"] = "people",
    };

    public static Task<SandboxServer> StartSandboxAsync() => SandboxServer.StartAsync(new SandboxOptions { Now = Now });

    public static NotionEmulator Emulator(this SandboxServer server) => (NotionEmulator)server.Emulator("notion");

    public static JsonObject DemoSettings(this SandboxServer server) => server.Emulator().DemoSettings(server.BaseUrl("notion"));

    public static async Task<(PluginRun Result, long Requests)> CollectAsync(JsonObject settings, string? token, ReportPeriod? period = null)
    {
        var (context, http, factory) = TestSources.Context(new NotionSource(), "notion", settings, token, period ?? Period, Now);
        using (factory)
        {
            var result = await TestSources.RunAsync(new NotionSource(), context);
            return (result, http.Requests);
        }
    }

    public static async Task<(OkrDocument Okrs, long Requests)> LoadOkrsAsync(JsonObject settings, string? token)
    {
        var (context, http, factory) = TestSources.Context(new NotionSource(), "notion", settings, token, Period, Now);
        using (factory)
        {
            var okrs = await new NotionSource().LoadOkrsAsync(context, CancellationToken.None);
            return (okrs, http.Requests);
        }
    }

    public static PluginMetric Postmortems(this PluginRun result) => Assert.Single(result.Metrics, m => m.Id == "notion.postmortems");

    /// <summary>An OKR row built the way a person fills the database in.</summary>
    public static NotionPage Row(
        int index,
        string keyResult,
        JsonObject objective,
        JsonObject metric,
        JsonObject target,
        JsonObject? baseline = null,
        JsonObject? direction = null,
        JsonObject? owner = null)
    {
        var properties = new Dictionary<string, JsonObject>
        {
            ["Key Result"] = NotionValue.Title(keyResult),
            ["Objective"] = objective,
            ["Metric"] = metric,
            ["Target"] = target,
            ["Baseline"] = baseline ?? NotionValue.Number(null),
            ["Direction"] = direction ?? NotionValue.Select(null),
            ["Owner"] = owner ?? NotionValue.People(),
        };
        return new NotionPage(NotionValue.UuidFrom($"test-row:{index}"), Now.AddDays(-60).AddMinutes(index), properties);
    }

    /// <summary>Replaces the OKR database's rows.</summary>
    public static void ReplaceOkrRows(this SandboxServer server, params IEnumerable<NotionPage> rows)
    {
        var database = server.Emulator().Data[server.Emulator().OkrDatabaseId];
        database.Clear();
        database.Add(rows);
    }

    /// <summary>A postmortem page created at <paramref name="created"/>.</summary>
    public static NotionPage Postmortem(string title, DateTimeOffset created) =>
        new(NotionValue.UuidFrom("test-postmortem:" + title), created, new Dictionary<string, JsonObject>
        {
            ["Name"] = NotionValue.Title(title),
            ["Incident"] = NotionValue.RichText("#inc-test"),
        });
}

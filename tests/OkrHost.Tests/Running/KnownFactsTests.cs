using System.Text;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.History;
using OkrHost.Plugins;
using OkrHost.Reporting;
using OkrHost.Running;
using OkrHost.Security;
using OkrHost.Testing;
using OkrHost.Configuration;

namespace OkrHost.Tests.Running;

/// <summary>Which stored facts a run hands a plugin to build on (<see cref="CollectContext.Known"/>).</summary>
public sealed class KnownFactsTests : IDisposable
{
    private static readonly DateTimeOffset Now = SampleSnapshots.GeneratedAt;
    private static readonly ReportPeriod FetchWindow = new(Now.AddDays(-90), Now.AddDays(-1));

    private readonly PluginCatalog _catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);
    private readonly TempFolder _folder = new();

    public void Dispose()
    {
        _catalog.Dispose();
        _folder.Dispose();
    }

    [Fact]
    public async Task The_newest_facts_collected_with_the_same_settings_are_handed_over()
    {
        var plan = Plan(new JsonObject { ["warRoomPattern"] = "^inc-" });
        await using var store = await StoreAsync(
            Stored(plan, FetchWindow, Now.AddDays(-8), "older"),
            Stored(plan, new ReportPeriod(FetchWindow.From.AddDays(-7), FetchWindow.To.AddDays(-7)), Now.AddDays(-7), "newer"));

        var known = await KnownFacts.LoadAsync(store, [plan], FetchWindow, Now, Serilog.Core.Logger.None, default);

        Assert.Equal(Now.AddDays(-7), known["slack"].CollectedAt);
        Assert.Equal(["newer"], known["slack"].Notes);
    }

    [Fact]
    public async Task Facts_collected_with_other_settings_in_the_future_or_outside_the_window_are_not()
    {
        var plan = Plan(new JsonObject { ["warRoomPattern"] = "^inc-" });
        var otherSettings = Plan(new JsonObject { ["warRoomPattern"] = "^war-" });
        await using var store = await StoreAsync(
            Stored(otherSettings, FetchWindow, Now.AddDays(-1), "other settings"),
            Stored(plan, FetchWindow, Now.AddHours(1), "collected after now"),
            Stored(plan, new ReportPeriod(FetchWindow.To, FetchWindow.To.AddDays(7)), Now.AddDays(-2), "after the window"));

        var known = await KnownFacts.LoadAsync(store, [plan], FetchWindow, Now, Serilog.Core.Logger.None, default);

        Assert.NotEqual(KnownFacts.Fingerprint(plan), KnownFacts.Fingerprint(otherSettings));
        Assert.Empty(known);
    }

    [Fact]
    public async Task Stored_facts_that_no_longer_read_are_skipped_so_the_source_is_collected_cold()
    {
        var plan = Plan(new JsonObject { ["warRoomPattern"] = "^inc-" });
        var readable = Stored(plan, FetchWindow, Now.AddDays(-1), "stored", new IncidentFact("C1", "inc-db", Now.AddDays(-3), null));
        // Written by a plugin build that had a fact kind this one no longer declares.
        var retiredKind = Stored(plan, FetchWindow, Now.AddDays(-1), "stored", new RetiredFact("R1"));
        var notGzip = readable with { FactsGzip = Encoding.UTF8.GetBytes("{}") };
        await using var store = await StoreAsync(readable);

        Assert.IsType<IncidentFact>(Assert.Single((await KnownFacts.LoadAsync(store, [plan], FetchWindow, Now, Serilog.Core.Logger.None, default))["slack"].Facts));
        foreach (var unreadable in new[] { retiredKind, notGzip })
        {
            await using var broken = await StoreAsync(unreadable);
            Assert.Empty(await KnownFacts.LoadAsync(broken, [plan], FetchWindow, Now, Serilog.Core.Logger.None, default));
        }
    }

    [FactKind("slack.retired")]
    private sealed record RetiredFact(string Id) : Fact(Id);

    private SourcePlan Plan(JsonObject settings)
    {
        var plugin = _catalog.Find("slack")!;
        return new SourcePlan(plugin, TestSources.Settings(plugin.Plugin, plugin.Id, settings, "xoxb-token"), true, null, []);
    }

    private static SourceFacts Stored(SourcePlan plan, ReportPeriod window, DateTimeOffset collectedAt, string note, params Fact[] facts)
    {
        var json = new FactJson([.. plan.Plugin.Plugin.FactTypes, typeof(RetiredFact)]);
        var set = new FactSet { Window = window, CollectedAt = collectedAt, Notes = [note], Facts = facts };
        return new SourceFacts(plan.Id, window.From, window.To, collectedAt, SourceFacts.Compress(set, json)) { SettingsFingerprint = KnownFacts.Fingerprint(plan) };
    }

    private async Task<IHistoryStore> StoreAsync(params SourceFacts[] facts)
    {
        var store = (await HistoryStores.OpenAsync(new SqliteHistory(_folder.Combine($"{Guid.NewGuid():N}.db")), _ => null, new Redactor(), TimeProvider.System, createIfMissing: true, default))!;
        var snapshot = SampleSnapshots.Full();
        await store.SaveRunAsync(new HistoryRun(snapshot, new RunProvenance("report", "9.9.9", "2.1.0", null)), facts, default);
        return store;
    }
}

using System.Text.Json;
using OkrHost.History;
using OkrHost.Plugins;
using OkrHost.Running;
using OkrHost.Testing;
using OkrHost.Configuration;

namespace OkrHost.Tests.Cli;

/// <summary>Two <c>report --demo</c> runs a week apart into one output folder, on pinned clocks.</summary>
public class DemoHistoryTests
{
    private static readonly DateTimeOffset FirstRun = new(2026, 11, 2, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_demo_run_a_week_after_another_takes_open_war_rooms_trend_from_the_stored_run_but_not_its_previous_and_stores_every_ok_sources_facts()
    {
        using var folder = new TempFolder();

        var first = await DemoAsync(folder, FirstRun);
        var firstMetric = WarRoomsOpen(folder);
        var second = await DemoAsync(folder, FirstRun.AddDays(7));
        var secondMetric = WarRoomsOpen(folder);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var firstValue = firstMetric.GetProperty("value").GetDouble();
        Assert.Equal(JsonValueKind.Null, firstMetric.GetProperty("previous").ValueKind);
        // A run made a week ago is not the previous period of a 30-day report (PRODUCT.md section 8).
        Assert.Equal(JsonValueKind.Null, secondMetric.GetProperty("previous").ValueKind);
        // The first demo stored the organisation's run of the week before it (a reading of the same sandbox) first.
        var seededValue = firstMetric.GetProperty("trend").EnumerateArray().ToArray()[^2].GetProperty("value").GetDouble();

        var trend = secondMetric.GetProperty("trend").EnumerateArray().ToArray();
        Assert.Equal(13, trend.Length);
        Assert.Equal(secondMetric.GetProperty("value").GetDouble(), trend[^1].GetProperty("value").GetDouble());
        Assert.Equal(firstValue, trend[^2].GetProperty("value").GetDouble());
        Assert.Equal(seededValue, trend[^3].GetProperty("value").GetDouble());
        Assert.All(trend[..^3], week => Assert.Equal(JsonValueKind.Null, week.GetProperty("value").ValueKind));

        // Every ok source's facts are stored with each run and read back as the same fact set.
        using var catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);
        var factJson = new FactJson(catalog.Plugins.SelectMany(p => p.Plugin.FactTypes));
        await using var store = await SqliteHistoryStore.OpenAsync(folder.Combine("out", HistorySettings.DefaultFileName), createIfMissing: false, TimeProvider.System, default);
        string[] sources = ["github", "linear", "slack", "grafana", "notion"];
        foreach (var source in sources)
        {
            var stored = await store.GetFactsAsync(source, FirstRun.AddYears(-1), FirstRun.AddYears(1), default);
            // The first demo's stored run of the week before it, then the two demos.
            Assert.Equal([FirstRun.AddDays(-7), FirstRun, FirstRun.AddDays(7)], stored.Select(s => s.CollectedAt));
            foreach (var facts in stored)
            {
                var back = facts.Read(factJson);
                Assert.Equal((facts.FetchFrom, facts.FetchTo), (back.Window.From, back.Window.To));
                Assert.Equal(facts.CollectedAt, back.CollectedAt);
                Assert.Equal(facts.FactsGzip, SourceFacts.Compress(back, factJson));
            }
        }

        Assert.NotEmpty((await store.GetFactsAsync("slack", FirstRun.AddYears(-1), FirstRun.AddYears(1), default))[0].Read(factJson).Facts);
    }

    private static Task<CliResult> DemoAsync(TempFolder folder, DateTimeOffset now) =>
        CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, new CliRunOptions { Clock = new FixedClock(now) }, "report", "--demo");

    private static JsonElement WarRoomsOpen(TempFolder folder)
    {
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        return snapshot.RootElement.GetProperty("metrics").EnumerateArray()
            .Single(m => m.GetProperty("id").GetString() == "slack.war_rooms_open").Clone();
    }
}

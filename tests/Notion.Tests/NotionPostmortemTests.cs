using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Testing;
using static Notion.Tests.NotionTestKit;

namespace Notion.Tests;

public sealed class NotionPostmortemTests
{
    [Fact]
    public async Task Postmortems_count_by_created_time_in_the_half_open_periods_and_deleted_pages_do_not_count()
    {
        await using var server = await StartSandboxAsync();
        var database = server.Emulator().Data[server.Emulator().PostmortemDatabaseId];
        database.Clear();
        var (from, to) = (Period.From, Period.To);
        var previousFrom = Period.Previous.From;
        database.Add(
            Postmortem("At the period start", from),
            Postmortem("A minute before the end", to.AddMinutes(-1)),
            Postmortem("At the period end", to),
            Postmortem("At the previous start", previousFrom),
            Postmortem("A minute before the period", from.AddMinutes(-1)),
            Postmortem("Before the previous period", previousFrom.AddMinutes(-1)),
            Postmortem("Archived draft", from.AddDays(3)) with { Archived = true },
            Postmortem("Trashed draft", previousFrom.AddDays(3)) with { InTrash = true });

        var (result, requests) = await CollectAsync(server.DemoSettings(), server.Emulator().Token);

        Assert.Equal(1, requests);
        Assert.Equal(new PluginMetric("notion.postmortems", 2, 2, null), result.Postmortems());
        var table = Assert.Single(result.Tables);
        Assert.Equal(["Postmortem", "Created (UTC)"], table.Columns);
        Assert.Equal(
            [["At the period start", "2026-10-03 00:00"], ["A minute before the end", "2026-11-01 23:59"]],
            table.Rows.Select(r => r.Select(c => c.Text).ToArray()).ToArray());
        Assert.All(table.Rows, r => Assert.StartsWith("https://www.notion.so/", r[0].Link, StringComparison.Ordinal));
        Assert.Equal(
            ["A minute before the end", "A minute before the period", "At the period start", "At the previous start"],
            result.Facts.OfType<PostmortemFact>().Select(e => e.Title).Order(StringComparer.Ordinal));
        var series = Assert.Single(result.Series);
        Assert.Equal([1, 0, 0, 0, 1], series.Points.Select(p => p.Value));
        Assert.Contains("2 archived or trashed postmortem page(s) in these two periods are not counted.", result.Notes);
    }

    [Fact]
    public async Task The_demo_organisation_yields_postmortems_with_the_fewest_requests()
    {
        await using var server = await StartSandboxAsync();
        var emulator = server.Emulator();
        var live = emulator.Data[emulator.PostmortemDatabaseId].Pages.Where(p => !p.Archived && !p.InTrash).ToList();
        server.ResetStats();

        var (result, requests) = await CollectAsync(server.DemoSettings(), emulator.Token);
        var (_, okrRequests) = await LoadOkrsAsync(server.DemoSettings(), emulator.Token);

        var postmortems = result.Postmortems();
        Assert.True(postmortems.Value > 0);
        Assert.Equal(live.Count(p => Period.Contains(p.CreatedTime)), postmortems.Value);
        Assert.Equal(live.Count(p => Period.Previous.Contains(p.CreatedTime)), postmortems.Previous);
        Assert.Equal(emulator.MinimumRequests(new SandboxPeriod(Period.From, Period.To)), requests + okrRequests);
        Assert.Equal(requests + okrRequests, server.Stats("notion").Requests);
        Assert.Equal(postmortems.Value + postmortems.Previous, result.Facts.OfType<PostmortemFact>().Count());
        Assert.NotNull(result.DataAsOf);
    }

    [Fact]
    public async Task A_postmortem_count_over_more_than_a_hundred_pages_follows_the_cursors()
    {
        await using var server = await StartSandboxAsync();
        var database = server.Emulator().Data[server.Emulator().PostmortemDatabaseId];
        database.Clear();
        database.Add(Enumerable.Range(0, 230).Select(i => Postmortem($"PM {i}", Period.Previous.From.AddHours(5 * i))));

        var (result, requests) = await CollectAsync(server.DemoSettings(), server.Emulator().Token);

        // 5-hour steps over 60 days: 144 in the previous period, the other 86 in the period.
        Assert.Equal(3, requests);
        Assert.Equal(new PluginMetric("notion.postmortems", 86, 144, null), result.Postmortems());
    }

    [Fact]
    public async Task Without_a_postmortem_database_the_metric_is_null_and_nothing_is_fetched()
    {
        await using var server = await StartSandboxAsync();
        var settings = server.DemoSettings();
        settings.Remove("postmortemDatabaseId");

        var (result, requests) = await CollectAsync(settings, server.Emulator().Token);

        Assert.Equal(0, requests);
        Assert.Equal(new PluginMetric("notion.postmortems", null, null, null), result.Postmortems());
        Assert.Contains(result.Notes, n => n.StartsWith("postmortemDatabaseId is not set", StringComparison.Ordinal));
        Assert.Empty(result.Facts);
    }
}

using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Plugins.Notion;
using OkrHost.Running;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Notion;
using OkrHost.Testing;
using Xunit.Abstractions;
using static Notion.Tests.NotionTestKit;

namespace Notion.Tests;

/// <summary>
/// Incremental collection (PRODUCT.md section 9): building on stored postmortems gives a cold collection's
/// numbers in every window, and picks up pages edited, deleted or written since.
/// </summary>
public sealed class NotionIncrementalTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(SandboxProfile.Demo)]
    [InlineData(SandboxProfile.Large)]
    public async Task Warm_and_next_week_runs_equal_a_cold_run_in_every_window_within_budget(SandboxProfile profile)
    {
        await using var server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now, Profile = profile });

        var outcome = await IncrementalCollection.RunAsync(server, () => new NotionSource(), "notion", server.DemoSettings(), server.Emulator().Token);

        output.WriteLine($"{profile}: {outcome}");
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.Equal(1, outcome.Warm);
        Assert.Equal(1, outcome.NextWeek);
    }

    [Fact]
    public async Task Postmortems_edited_deleted_or_written_after_the_stored_collection_show_up_as_they_now_are()
    {
        await using var server = await StartSandboxAsync();
        var database = server.Emulator().Data[server.Emulator().PostmortemDatabaseId];
        var edited = Postmortem("Checkout outage", Now.AddDays(-20));
        var deleted = Postmortem("Login outage", Now.AddDays(-12));
        database.Add(edited, deleted);
        var yesterday = Now.AddDays(-1);
        var (stored, _) = await CollectAsync(server, IncrementalCollection.Windows(yesterday), yesterday, known: null);

        // Since then, in the evening before today's run (inside today's fetch window, after yesterday's):
        var evening = Now.AddHours(-12);
        var written = Postmortem("Search outage", evening);
        var pages = database.Pages;
        database.Clear();
        database.Add(pages
            .Select(page => page.Id == edited.Id ? Postmortem("Checkout outage: payment provider timeouts", edited.CreatedTime) with { Id = edited.Id, LastEditedTime = evening }
                : page.Id == deleted.Id ? page with { InTrash = true, LastEditedTime = evening }
                : page)
            .Append(written));
        var windows = IncrementalCollection.Windows(Now);
        var (incremental, billable) = await CollectAsync(server, windows, Now, stored);
        var (cold, _) = await CollectAsync(server, windows, Now, known: null);

        Assert.Equal(1, billable);
        Assert.Empty(IncrementalCollection.Differences(new NotionSource(), windows, cold, incremental, "incremental"));
        var titles = incremental.Facts.OfType<PostmortemFact>().ToDictionary(page => page.Id, page => page.Title);
        Assert.Equal("Checkout outage: payment provider timeouts", titles[edited.Id]);
        Assert.DoesNotContain(deleted.Id, titles.Keys);
        Assert.Contains(incremental.Facts.OfType<DeletedPostmortemFact>(), page => page.Id == deleted.Id);
        Assert.Equal("Search outage", titles[written.Id]);
        Assert.Equal("Checkout outage", stored.Facts.OfType<PostmortemFact>().Single(page => page.Id == edited.Id).Title);
    }

    [Fact]
    public async Task A_window_reaching_further_back_than_the_stored_one_reads_the_pages_before_it()
    {
        await using var server = await StartSandboxAsync();
        var (stored, _) = await CollectAsync(server, IncrementalCollection.Windows(Now), Now, known: null);

        var longer = IncrementalCollection.Windows(Now, trendWeeks: 26);
        var (incremental, _) = await CollectAsync(server, longer, Now.AddMinutes(5), stored);
        var (cold, _) = await CollectAsync(server, longer, Now.AddMinutes(5), known: null);

        Assert.Empty(IncrementalCollection.Differences(new NotionSource(), longer, cold, incremental, "longer"));
        Assert.Equal(cold.Facts.Select(f => f.Id).Order(StringComparer.Ordinal), incremental.Facts.Select(f => f.Id).Order(StringComparer.Ordinal));
        Assert.Contains(incremental.Facts.OfType<PostmortemFact>(), page => page.CreatedAt < stored.Window.From);
    }

    private static async Task<(FactSet Facts, long Billable)> CollectAsync(SandboxServer server, ReportWindows windows, DateTimeOffset now, FactSet? known)
    {
        using var cache = new TempFolder();
        return await IncrementalCollection.CollectAsync(server, new NotionSource(), "notion", server.DemoSettings(), server.Emulator().Token, windows, now, known, cache.Path);
    }
}

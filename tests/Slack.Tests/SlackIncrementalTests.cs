using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Plugins.Slack;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Slack;
using SlackChannel = OkrHost.Sandbox.Slack.SlackChannel;
using SlackMessage = OkrHost.Sandbox.Slack.SlackMessage;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Slack.Tests;

/// <summary>Re-runs built on stored facts (<c>CollectContext.Known</c>): the numbers of a cold run, for a fraction of its requests.</summary>
public sealed class SlackIncrementalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task On_the_demo_workspace_warm_and_next_week_runs_give_every_window_of_a_cold_run()
    {
        await using var server = await SlackRun.StartAsync();
        var outcome = await IncrementalCollection.RunAsync(server, () => new SlackSource(), "slack", SlackRun.Settings(server), server.Emulator().Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.True(outcome.Warm < outcome.Cold, outcome.ToString());
    }

    [Fact]
    public async Task On_the_large_workspace_re_runs_are_exact_and_within_budget()
    {
        await using var server = await SlackRun.StartAsync(SandboxProfile.Large);
        var outcome = await IncrementalCollection.RunAsync(server, () => new SlackSource(), "slack", SlackRun.Settings(server), server.Emulator().Token);
        output.WriteLine(outcome.ToString());
        Assert.Empty(outcome.WarmDifferences);
        Assert.Empty(outcome.NextWeekDifferences);
        Assert.InRange(outcome.Warm, 1, 25);
        Assert.InRange(outcome.NextWeek, 1, 35);
    }

    [Fact]
    public async Task War_rooms_archived_after_the_stored_collection_show_closed_with_their_last_messages()
    {
        await using var server = await SlackRun.StartAsync();
        var data = server.Emulator().Data;
        var now = server.Org.Now;
        var windows = IncrementalCollection.Windows(now);
        // Open at the stored collection: one opened in the window, one opened before it (postmortem coverage counts its close).
        var recent = OpenWarRoom("C09RECENT1", "inc-901-cache-stampede", windows.Period.To.AddDays(-3));
        var older = OpenWarRoom("C09OLDER01", "war-room-billing-migration", windows.FetchWindow.From.AddDays(-20));
        lock (data.Sync)
        {
            data.Channels.AddRange([recent, older]);
        }

        using var cache = new TempFolder();
        var settings = SlackRun.Settings(server);
        var token = server.Emulator().Token;
        var stored = await IncrementalCollection.CollectAsync(server, new SlackSource(), "slack", settings, token, windows, now, null, cache.Path);
        Assert.Null(Room(stored.Facts, recent.Id).ClosedAt);
        Assert.Null(stored.Facts.Facts.OfType<IncidentFact>().Single(i => i.Id == older.Id).ClosedAt);

        // Within the hour both are wound up: a last message by someone new, then archived.
        var later = now.AddHours(1);
        lock (data.Sync)
        {
            foreach (var (room, minutes) in new[] { (recent, 20), (older, 40) })
            {
                room.Messages.Add(new SlackMessage(SlackTs.Format(now.AddMinutes(minutes - 5)), "U0LATE", "All clear, closing"));
                room.Messages.Add(new SlackMessage(SlackTs.Format(now.AddMinutes(minutes)), "U0LEAD", "archived the channel", "channel_archive"));
                room.IsArchived = true;
            }
        }

        var rerun = await IncrementalCollection.CollectAsync(server, new SlackSource(), "slack", settings, token, windows, later, stored.Facts, cache.Path);
        var cold = await IncrementalCollection.CollectAsync(server, new SlackSource(), "slack", settings, token, windows, later, null, cache.Path);

        var closed = Room(rerun.Facts, recent.Id);
        Assert.Equal(now.AddMinutes(20), closed.ClosedAt);
        Assert.Equal(3, closed.Messages);
        Assert.Contains("U0LATE", closed.Participants);
        Assert.Equal(now.AddMinutes(40), rerun.Facts.Facts.OfType<IncidentFact>().Single(i => i.Id == older.Id).ClosedAt);
        Assert.Equal(Census(stored.Facts).Open - 2, Census(rerun.Facts).Open);
        Assert.Empty(IncrementalCollection.Differences(new SlackSource(), windows, cold.Facts, rerun.Facts, "after archiving"));
        // The list, the two rooms wound up and the organisation's forgotten war room (open, so read every run),
        // nothing else: the other archived rooms' stored readings stand.
        Assert.Equal(1 + 2 + 1, rerun.Billable);
        Assert.True(cold.Billable > rerun.Billable, $"cold {cold.Billable}, re-run {rerun.Billable}");
    }

    [Fact]
    public async Task An_old_war_room_the_bot_could_not_read_is_asked_again_and_counted_once_the_bot_is_invited()
    {
        await using var server = await SlackRun.StartAsync();
        var now = server.Org.Now;
        var windows = IncrementalCollection.Windows(now);
        // Opened long before the fetch window, archived inside the period: postmortem coverage counts its close.
        var longRunning = server.Emulator().Data.Channels.Single(c => c.Name == "war-room-datacenter-exit");
        Assert.True(longRunning.Created < windows.FetchWindow.From && longRunning.IsArchived);
        longRunning.IsMember = false;

        using var cache = new TempFolder();
        var settings = SlackRun.Settings(server);
        var token = server.Emulator().Token;
        var stored = await IncrementalCollection.CollectAsync(server, new SlackSource(), "slack", settings, token, windows, now, null, cache.Path);
        Assert.Contains(stored.Facts.Notes, n => n.Contains("#war-room-datacenter-exit", StringComparison.Ordinal));
        Assert.DoesNotContain(stored.Facts.Facts.OfType<IncidentFact>(), i => i.Id == longRunning.Id);

        longRunning.IsMember = true;
        var rerun = await IncrementalCollection.CollectAsync(server, new SlackSource(), "slack", settings, token, windows, now.AddHours(1), stored.Facts, cache.Path);

        Assert.Empty(rerun.Facts.Notes);
        Assert.Equal(longRunning.Messages.Single(m => m.Subtype == "channel_archive").At, rerun.Facts.Facts.OfType<IncidentFact>().Single(i => i.Id == longRunning.Id).ClosedAt);
        // The list, that one room and the forgotten war room (open, so read every run).
        Assert.Equal(1 + 1 + 1, rerun.Billable);
    }

    private static SlackChannel OpenWarRoom(string id, string name, DateTimeOffset created)
    {
        var room = new SlackChannel { Id = id, Name = name, Created = created, Creator = "U0LEAD", Purpose = "War room" };
        room.Messages.Add(new SlackMessage(SlackTs.Format(created), "U0LEAD", "<@U0LEAD> has joined the channel", "channel_join"));
        room.Messages.Add(new SlackMessage(SlackTs.Format(created.AddMinutes(5)), "U0LEAD", "Looking at the dashboards now"));
        room.Messages.Add(new SlackMessage(SlackTs.Format(created.AddMinutes(9)), "U0ONCALL", "Rolling back"));
        return room;
    }

    private static WarRoomFact Room(FactSet facts, string id) => facts.Facts.OfType<WarRoomFact>().Single(r => r.Id == id);

    private static WarRoomCensusFact Census(FactSet facts) => facts.Facts.OfType<WarRoomCensusFact>().Single();
}

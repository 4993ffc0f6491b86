using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Slack;

namespace Slack.Tests;

/// <summary>The 6.3 definitions on a small hand-built workspace whose numbers are worked out below.</summary>
public sealed class WarRoomMetricsTests : IAsyncLifetime
{
    private static readonly DateTimeOffset From = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod Period = new(From, From.AddDays(14));

    private SandboxServer _server = null!;

    private SlackEmulator Emulator => _server.Emulator();

    public async Task InitializeAsync()
    {
        _server = await SlackRun.StartAsync();
        var data = Emulator.Data;
        data.Channels.Clear();
        // In the period, archived after 10 h; 3 counted messages by U1, U2, U1.
        Add("C1", "inc-001-db-failover", From, closedAfterHours: 10, users: ["U1", "U2", "U1"]);
        // Opened exactly at the period end: in neither period, still open, so its history is never needed.
        Add("C2", "incident_cache", Period.To, users: ["U5"]);
        // Private, archived after 4 h; a thread broadcast has a subtype and does not count.
        Add("C3", "war-room-login", From.AddDays(2), closedAfterHours: 4, users: ["U3", "U3"], isPrivate: true,
            extra: [new SlackMessage(Ts(From.AddDays(2).AddMinutes(9)), "U6", "also sent to channel", "thread_broadcast")]);
        // Archived, but its channel_archive message is gone.
        Add("C4", "WARROOM-api-latency", From.AddDays(3), closedAfterHours: 6, users: ["U1"], dropArchiveMessage: true);
        // Opened in the period and still open.
        Add("C8", "inc-777-open", From.AddDays(5), users: ["U4", "U1"]);
        // One second before the period: the previous period.
        Add("C6", "INC-099-old", From.AddSeconds(-1), closedAfterHours: 2, users: ["U9"]);
        // Before the previous period and archived before it too: one look at its newest message says so.
        Add("C7", "inc-050-ancient", From.AddDays(-30), closedAfterHours: 1, users: ["U1"]);
        Add("D1", "general", From.AddDays(1), users: ["U7", "U8"]);
        Add("D2", "incidents-index", From.AddDays(1), closedAfterHours: 1, users: ["U7", "U8"]);
        Add("D3", "since-inc-notes", From.AddDays(1), closedAfterHours: 1, users: ["U7", "U8"]);
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static string Ts(DateTimeOffset at, int micros = 0) => SlackTs.Format(at, micros);

    private void Add(
        string id, string name, DateTimeOffset created, double? closedAfterHours = null, string[]? users = null,
        bool isPrivate = false, bool dropArchiveMessage = false, SlackMessage[]? extra = null)
    {
        var channel = new SlackChannel { Id = id, Name = name, Created = created, Creator = "U1", IsPrivate = isPrivate, IsArchived = closedAfterHours is not null };
        channel.Messages.Add(new SlackMessage(Ts(created), "U1", "<@U1> has joined the channel", "channel_join"));
        channel.Messages.Add(new SlackMessage(Ts(created.AddSeconds(1)), null, "Incident declared", "bot_message") { BotId = "B1", Username = "incident-bot" });
        var micros = 0;
        foreach (var user in users ?? [])
        {
            channel.Messages.Add(new SlackMessage(Ts(created.AddMinutes(5), ++micros), user, "looking"));
        }

        channel.Messages.AddRange(extra ?? []);
        if (closedAfterHours is { } hours && !dropArchiveMessage)
        {
            channel.Messages.Add(new SlackMessage(Ts(created.AddHours(hours)), "U1", "archived the channel", "channel_archive"));
        }

        channel.Messages.Sort((a, b) => a.At.CompareTo(b.At));
        Emulator.Data.Channels.Add(channel);
    }

    [Fact]
    public async Task War_rooms_opened_count_the_period_start_and_not_its_end_nor_decoys()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        result.AssertMetric("slack.war_rooms_opened", 4, 1);
    }

    [Fact]
    public async Task War_rooms_open_counts_unarchived_ones_now_with_no_previous_value()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        result.AssertMetric("slack.war_rooms_open", 2, null);
    }

    [Fact]
    public async Task Duration_runs_to_the_channel_archive_message_and_leaves_out_open_and_unknown_closes()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        // 10 h and 4 h; the still-open room and the one without channel_archive are left out.
        result.AssertMetric("slack.war_room_duration_hours.p50", 7.0, 2.0);
        Assert.Contains(result.Notes, n => n.Contains("#WARROOM-api-latency", StringComparison.Ordinal) && n.Contains("channel_archive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Messages_and_participants_count_plain_messages_only()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        // 3 + 2 + 1 + 2 plain messages; U1, U2, U3, U4 (joins, bot messages and the broadcast by U6 do not count).
        result.AssertMetric("slack.war_room_messages", 8, 1);
        result.AssertMetric("slack.war_room_participants", 4, 1);
    }

    [Fact]
    public async Task History_is_fetched_only_for_war_rooms_of_the_two_periods()
    {
        _server.ResetStats();
        await SlackRun.CollectAsync(_server, Period);
        // One conversations.list page + the histories of C1, C3, C4, C8 (period) and C6 (previous)
        // + the newest message of C7 (archived, opened before the previous period).
        Assert.Equal(7, _server.Stats("slack").Requests);
    }

    [Fact]
    public async Task Pages_shorter_than_the_limit_with_a_cursor_are_followed_to_the_end()
    {
        var whole = await SlackRun.CollectAsync(_server, Period);
        Emulator.ListScanWindow = 2;
        _server.ResetStats();
        var paged = await SlackRun.CollectAsync(_server, Period);
        Assert.Equal(whole.Metrics, paged.Metrics);
        // 10 channels in pages of at most 2 (far below limit=1000), then the 5 histories and C7's newest message.
        Assert.Equal(5 + 5 + 1, _server.Stats("slack").Requests);
    }

    [Fact]
    public async Task Events_hold_every_war_room_whose_state_is_known()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        var events = result.Facts.OfType<IncidentFact>().OrderBy(e => e.Id).ToList();
        Assert.Equal(["C1", "C2", "C3", "C6", "C8"], events.Select(e => e.Id));
        Assert.Equal(From.AddHours(10), events[0].ClosedAt);
        Assert.Null(events[1].ClosedAt);
        Assert.Equal("war-room-login", events[2].Name);
        Assert.Equal(From.AddDays(2), events[2].OpenedAt);
    }

    [Fact]
    public async Task The_section_lists_the_war_rooms_of_the_period_and_charts_them_weekly()
    {
        var result = await SlackRun.CollectAsync(_server, Period);
        var table = Assert.Single(result.Tables);
        Assert.Equal(["inc-001-db-failover", "war-room-login", "WARROOM-api-latency", "inc-777-open"], table.Rows.Select(r => r[0].Text));
        Assert.Equal(["10.0", "4.0", "archived, close time unknown", "open"], table.Rows.Select(r => r[3].Text));
        var series = Assert.Single(result.Series);
        Assert.Equal([4.0, 0.0], series.Points.Select(p => p.Value));
    }

    [Fact]
    public async Task A_missing_scope_names_the_scope_to_add()
    {
        Emulator.Scopes.Remove("groups:read");
        var error = await Assert.ThrowsAsync<SourceException>(() => SlackRun.CollectAsync(_server, Period));
        Assert.StartsWith("Slack conversations.list:", error.Message, StringComparison.Ordinal);
        Assert.Contains("add groups:read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_history_scope_for_private_war_rooms_names_groups_history()
    {
        Emulator.Scopes.Remove("groups:history");
        var error = await Assert.ThrowsAsync<SourceException>(() => SlackRun.CollectAsync(_server, Period));
        Assert.StartsWith("Slack conversations.history:", error.Message, StringComparison.Ordinal);
        Assert.Contains("add groups:history", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_war_room_the_bot_is_not_in_says_to_invite_the_bot()
    {
        Emulator.Data.Find("C1")!.IsMember = false;
        var error = await Assert.ThrowsAsync<SourceException>(() => SlackRun.CollectAsync(_server, Period));
        Assert.Contains("conversations.history", error.Message, StringComparison.Ordinal);
        Assert.Contains("#inc-001-db-failover", error.Message, StringComparison.Ordinal);
        Assert.Contains("invite the bot", error.Message, StringComparison.Ordinal);
        Assert.Contains("channels:history", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_old_archived_war_room_the_bot_cannot_read_is_named_in_the_notes_and_changes_no_metric()
    {
        var clean = await SlackRun.CollectAsync(_server, Period);
        Emulator.Data.Find("C7")!.IsMember = false;
        var result = await SlackRun.CollectAsync(_server, Period);
        Assert.Equal(clean.Metrics, result.Metrics);
        Assert.Contains(result.Notes, n => n.Contains("#inc-050-ancient", StringComparison.Ordinal) && n.Contains("not_in_channel", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_war_room_opened_before_the_previous_period_and_archived_in_the_period_is_an_event_closed_in_the_period()
    {
        // Open for 45 days: opened long before the previous period, archived on the period's fifth day.
        Add("C9", "inc-040-slow-burn", From.AddDays(-40), closedAfterHours: 45 * 24, users: ["U2"]);
        _server.ResetStats();
        var result = await SlackRun.CollectAsync(_server, Period);

        var slowBurn = Assert.Single(result.Facts.OfType<IncidentFact>(), e => e.Id == "C9");
        Assert.Equal(From.AddDays(5), slowBurn.ClosedAt);
        // Only its newest message was read: 7 requests as before, plus 1.
        Assert.Equal(8, _server.Stats("slack").Requests);
        // Opened-in-period metrics do not change.
        result.AssertMetric("slack.war_rooms_opened", 4, 1);
        result.AssertMetric("slack.war_room_duration_hours.p50", 7.0, 2.0);
    }

    [Fact]
    public async Task Rate_limited_answers_are_waited_out_and_give_the_same_numbers()
    {
        var clean = await SlackRun.CollectAsync(_server, Period);
        Emulator.RateLimits["conversations.history"] = new SlackRateLimit(2, TimeSpan.FromSeconds(1));
        Emulator.RateLimits["conversations.list"] = new SlackRateLimit(1, TimeSpan.FromSeconds(1));
        _server.ResetStats();
        var limited = await SlackRun.CollectAsync(_server, Period);
        Assert.Equal(clean.Metrics, limited.Metrics);
        // 5 histories, 4 at a time, at 2 per second: some are answered 429 and sent again after Retry-After.
        Assert.True(_server.Stats("slack").Requests > 6, $"expected 429s to be retried, saw {_server.Stats("slack").Requests} requests");
    }

    [Fact]
    public async Task A_custom_pattern_picks_other_war_rooms()
    {
        var settings = SlackRun.Settings(_server);
        settings["warRoomPattern"] = "^incidents-";
        var result = await SlackRun.CollectAsync(_server, Period, settings: settings);
        result.AssertMetric("slack.war_rooms_opened", 1, 0);
        result.AssertMetric("slack.war_room_messages", 2, 0);
    }
}

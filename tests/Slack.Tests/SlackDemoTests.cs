using System.Diagnostics;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Plugins.Slack;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Slack.Tests;

/// <summary>The plugin against the simulated organisation: every metric, lined up with the incident timeline, at the minimum request count.</summary>
public sealed class SlackDemoTests(ITestOutputHelper output)
{
    private static readonly ReportPeriod Period = TestSources.Last30Days(SandboxFixture.Now);

    private static DateTimeOffset Seconds(DateTimeOffset at) => DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds());

    [Fact]
    public async Task The_demo_org_yields_every_slack_metric_in_line_with_the_incident_timeline()
    {
        await using var server = await SlackRun.StartAsync();
        var result = await SlackRun.CollectAsync(server, Period);
        Assert.Equal(new SlackSource().Metrics.Select(m => m.Id), result.Metrics.Select(m => m.Id));

        var incidents = server.Org.Incidents;
        // Every incident has a war room; the latest one caused by a deployment has a forgotten second one, never archived.
        var forgotten = server.Org.ForgottenWarRoom!;
        int OpenedIn(ReportPeriod p) => incidents.Count(i => p.Contains(Seconds(i.OpenedAt))) + (p.Contains(Seconds(forgotten.OpenedAt)) ? 1 : 0);
        result.AssertMetric("slack.war_rooms_opened", OpenedIn(Period), OpenedIn(Period.Previous));
        result.AssertMetric("slack.war_rooms_open", incidents.Count(i => i.ClosedAt is null) + 1, null);
        Assert.True(OpenedIn(Period) > 0, "the demo period should hold war rooms");
        Assert.All(result.Metrics.Where(m => m.Id != "slack.war_rooms_open"), m => Assert.NotNull(m.Value));
        Assert.True(result.Metrics.Single(m => m.Id == "slack.war_room_messages").Value > 0);
        // Events: every open war room, and every archived one whose close falls in the two periods or that
        // opened in them with a known close time (from the workspace itself, not the plugin).
        var span = new ReportPeriod(Period.Previous.From, Period.To);
        var expected = server.Emulator().Data.Channels
            .Where(c => c.Name.StartsWith("inc-", StringComparison.Ordinal) || c.Name.StartsWith("war-room-", StringComparison.Ordinal))
            .Where(c => !c.IsArchived || c.Messages.Any(m => m.Subtype == "channel_archive"
                && (span.Contains(c.Created) || span.Contains(m.At))))
            .Select(c => c.Id).Order().ToList();
        Assert.Equal(expected, result.Facts.OfType<IncidentFact>().Select(e => e.Id).Order());
        Assert.Contains(result.Facts.OfType<IncidentFact>(), e => e.OpenedAt < span.From && e.ClosedAt is { } closed && Period.Contains(closed));
    }

    [Fact]
    public async Task The_demo_durations_are_the_incident_timeline_durations_minus_the_room_without_an_archive_message()
    {
        await using var server = await SlackRun.StartAsync();
        var emulator = server.Emulator();
        var noArchive = emulator.Data.Channels.Where(c => c.IsArchived && c.Messages.All(m => m.Subtype != "channel_archive")).Select(c => c.Name).ToHashSet();
        Assert.Single(noArchive);

        // A period wide enough to hold the war room whose archive message is gone, and the long-running one.
        var wide = new ReportPeriod(server.Org.Start, server.Org.Now);
        var expected = MetricMath.Median(emulator.Data.Channels
            .Where(c => c.Name.StartsWith("inc-", StringComparison.Ordinal) || c.Name.StartsWith("war-room-", StringComparison.Ordinal))
            .Where(c => wide.Contains(c.Created) && c.Messages.Any(m => m.Subtype == "channel_archive"))
            .Select(c => (c.Messages.Where(m => m.Subtype == "channel_archive").Max(m => m.At) - c.Created).TotalHours));
        var result = await SlackRun.CollectAsync(server, wide);
        result.AssertMetric("slack.war_room_duration_hours.p50", expected, null);
        Assert.Contains(result.Notes, n => n.Contains("#" + noArchive.Single(), StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(SandboxProfile.Demo)]
    [InlineData(SandboxProfile.Large)]
    public async Task A_cold_run_spends_exactly_the_minimum_requests(SandboxProfile profile)
    {
        await using var server = await SlackRun.StartAsync(profile);
        var started = Stopwatch.StartNew();
        _ = new SlackEmulator(server.Org);
        var generation = started.Elapsed;
        started.Restart();
        // Over the host's fetch window (the period, the previous period and the trend weeks), as MinimumRequests counts.
        using var cache = new TempFolder();
        var (_, requests) = await IncrementalCollection.CollectAsync(
            server, new SlackSource(), "slack", SlackRun.Settings(server), server.Emulator().Token, IncrementalCollection.Windows(SandboxFixture.Now), SandboxFixture.Now, null, cache.Path);
        var minimum = server.Emulator().MinimumRequests(new SandboxPeriod(Period.From, Period.To));
        output.WriteLine($"{profile}: {requests} requests, minimum {minimum}, workspace generation {generation.TotalMilliseconds:0} ms, run {started.Elapsed.TotalMilliseconds:0} ms");
        Assert.Equal(minimum, requests);
        Assert.True(generation < TimeSpan.FromSeconds(3), $"generating the workspace took {generation}");
    }

    [Fact]
    public async Task The_large_workspace_pages_conversations_list_in_short_pages()
    {
        await using var server = await SlackRun.StartAsync(SandboxProfile.Large);
        var emulator = server.Emulator();
        Assert.Equal(3000, emulator.Data.Channels.Count);
        Assert.Equal(150, emulator.Data.Channels.Count(c => c.Name.StartsWith("inc-", StringComparison.Ordinal)));
        foreach (var decoy in SlackDecoys)
        {
            Assert.Contains(emulator.Data.Channels, c => c.Name == decoy);
        }

        var result = await SlackRun.CollectAsync(server, Period);
        var incidents = server.Org.Incidents;
        var forgotten = server.Org.ForgottenWarRoom!;
        int OpenedIn(ReportPeriod p) => incidents.Count(i => p.Contains(Seconds(i.OpenedAt))) + (p.Contains(Seconds(forgotten.OpenedAt)) ? 1 : 0);
        result.AssertMetric("slack.war_rooms_opened", OpenedIn(Period), OpenedIn(Period.Previous));
    }

    [Theory]
    [InlineData(FaultKind.RateLimit)]
    [InlineData(FaultKind.ServerError)]
    public async Task A_run_through_injected_faults_gives_the_same_numbers(FaultKind fault)
    {
        await using var clean = await SlackRun.StartAsync();
        var expected = await SlackRun.CollectAsync(clean, Period);

        await using var faulty = await SandboxServer.StartAsync(new SandboxOptions
        {
            Now = SandboxFixture.Now,
            Faults = [new FaultSpec(fault, "slack", Rate: 0.3)],
        });
        var actual = await SlackRun.CollectAsync(faulty, Period);
        Assert.Equal(expected.Metrics, actual.Metrics);
        // The faults were really there and were retried (needs the sandbox's fault injection).
        Assert.True(faulty.Stats("slack").Requests > clean.Stats("slack").Requests, $"{faulty.Stats("slack").Requests} requests with faults, {clean.Stats("slack").Requests} without");
    }

    private static readonly string[] SlackDecoys = ["general", "random", "incidents-index", "since-inc-notes"];
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OkrHost.Contracts;
using OkrHost.Sandbox;
using OkrHost.Sandbox.Notion;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace OkrHost.Tests.Analysis;

/// <summary>
/// dora.postmortem_coverage from the CLI equals PRODUCT.md 6.6 worked out from the sandbox's own data:
/// postmortems created in the period / war rooms archived in the period, whenever they were opened.
/// </summary>
public sealed class PostmortemCoverageTests(ITestOutputHelper output)
{
    private static readonly Regex DefaultWarRoomPattern = new("(?i)^(inc|incident|war-?room)[-_]");

    [Theory]
    [InlineData(SandboxProfile.Demo)]
    [InlineData(SandboxProfile.Large)]
    public async Task Coverage_counts_every_war_room_archived_in_the_period_whenever_it_was_opened(SandboxProfile profile)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = profile });
        var period = TestSources.Last30Days(SandboxFixture.Now);
        var archivedAt = ArchiveTimes((SlackEmulator)sandbox.Emulator("slack"));
        // The clarified case is really in the data: a room opened before the previous period, archived in the period.
        Assert.Contains(archivedAt, room => room.Opened < period.Previous.From && period.Contains(room.Archived));

        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.DemoSources();
        folder.File("plugins.json", new JsonObject { ["sources"] = sources }.ToJsonString());
        var from = period.From.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var to = period.To.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "report", "--only", "slack,notion", "--from", from, "--to", to);
        Assert.True(result.ExitCode == 0, result.ToString());

        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var coverage = snapshot.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "dora.postmortem_coverage");
        var notion = (NotionEmulator)sandbox.Emulator("notion");
        var postmortems = notion.Data[notion.PostmortemDatabaseId].Pages.Where(p => !p.Archived).ToList();
        double? Expected(ReportPeriod p)
        {
            var closed = archivedAt.Count(room => p.Contains(room.Archived));
            return closed == 0 ? null : (double)postmortems.Count(page => p.Contains(page.CreatedTime)) / closed;
        }

        output.WriteLine($"{profile}: coverage {coverage.GetProperty("value")} (previous {coverage.GetProperty("previous")})");
        Assert.Equal(Expected(period), Value(coverage.GetProperty("value")));
        Assert.Equal(Expected(period.Previous), Value(coverage.GetProperty("previous")));
        Assert.NotNull(Expected(period));
    }

    /// <summary>Every war room whose archive message is in its history, with when it opened and when it was archived.</summary>
    private static List<(DateTimeOffset Opened, DateTimeOffset Archived)> ArchiveTimes(SlackEmulator slack)
    {
        lock (slack.Data.Sync)
        {
            return slack.Data.Channels
                .Where(c => c.IsArchived && DefaultWarRoomPattern.IsMatch(c.Name) && c.Messages.Any(m => m.Subtype == "channel_archive"))
                .Select(c => (c.Created, c.Messages.Where(m => m.Subtype == "channel_archive").Max(m => m.At)))
                .ToList();
        }
    }

    private static double? Value(JsonElement element) => element.ValueKind == JsonValueKind.Null ? null : element.GetDouble();
}

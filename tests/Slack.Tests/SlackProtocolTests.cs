using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;

namespace Slack.Tests;

/// <summary>The emulator answers as Slack does, and the plugin turns Slack's failures into actionable messages.</summary>
public sealed class SlackProtocolTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private static readonly ReportPeriod Period = TestSources.Last30Days(SandboxFixture.Now);

    private Uri Api => new(sandbox.Server.BaseUrl("slack"), "api/");

    private async Task<JsonElement> CallAsync(string method, string? token, HttpContent? form = null)
    {
        using var client = new HttpClient { BaseAddress = Api };
        using var request = new HttpRequestMessage(form is null ? HttpMethod.Get : HttpMethod.Post, method) { Content = form };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Theory]
    [InlineData(null, "not_authed")]
    [InlineData("xoxb-wrong", "invalid_auth")]
    public async Task Auth_failures_are_HTTP_200_with_ok_false(string? token, string error)
    {
        var answer = await CallAsync("auth.test", token);
        Assert.False(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(error, answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Methods_accept_a_POST_form_with_the_token_in_it()
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = sandbox.Server.Emulator().Token,
            ["types"] = "public_channel,private_channel",
            ["limit"] = "1000",
        });
        var answer = await CallAsync("conversations.list", null, form);
        Assert.True(answer.GetProperty("ok").GetBoolean());
        Assert.Equal(sandbox.Server.Org.Sizes.Channels, answer.GetProperty("channels").GetArrayLength());
        Assert.Equal("", answer.GetProperty("response_metadata").GetProperty("next_cursor").GetString());
    }

    [Fact]
    public async Task History_pages_newest_first_with_has_more_and_a_cursor()
    {
        var token = sandbox.Server.Emulator().Token;
        var warRoom = sandbox.Server.Emulator().Data.Channels.First(c => c.Name.StartsWith("inc-", StringComparison.Ordinal) && c.Messages.Count > 5);
        var seen = new List<string>();
        var cursor = "";
        var pages = 0;
        do
        {
            var answer = await CallAsync($"conversations.history?channel={warRoom.Id}&limit=2&cursor={Uri.EscapeDataString(cursor)}", token);
            pages++;
            seen.AddRange(answer.GetProperty("messages").EnumerateArray().Select(m => m.GetProperty("ts").GetString()!));
            cursor = answer.GetProperty("has_more").GetBoolean() ? answer.GetProperty("response_metadata").GetProperty("next_cursor").GetString()! : "";
        }
        while (cursor.Length > 0);

        Assert.Equal(warRoom.Messages.Select(m => m.Ts).Reverse(), seen);
        Assert.Equal((warRoom.Messages.Count + 1) / 2, pages);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task History_honours_oldest_latest_and_inclusive(bool inclusive, int expected)
    {
        var warRoom = sandbox.Server.Emulator().Data.Channels.First(c => c.Name.StartsWith("inc-", StringComparison.Ordinal) && c.Messages.Count > 5);
        var (oldest, latest) = (warRoom.Messages[1].Ts, warRoom.Messages[3].Ts);
        var answer = await CallAsync(
            $"conversations.history?channel={warRoom.Id}&oldest={oldest}&latest={latest}&inclusive={inclusive.ToString().ToLowerInvariant()}",
            sandbox.Server.Emulator().Token);
        Assert.Equal(expected, answer.GetProperty("messages").GetArrayLength());
        Assert.False(answer.GetProperty("has_more").GetBoolean());
    }

    [Fact]
    public async Task An_unknown_channel_is_channel_not_found()
    {
        var answer = await CallAsync("conversations.history?channel=C0NOSUCH", sandbox.Server.Emulator().Token);
        Assert.Equal("channel_not_found", answer.GetProperty("error").GetString());
    }

    [Fact]
    public async Task Private_and_archived_channels_are_listed_when_asked_for()
    {
        var token = sandbox.Server.Emulator().Token;
        var all = (await CallAsync("conversations.list?types=public_channel,private_channel&limit=1000", token)).GetProperty("channels").EnumerateArray().ToList();
        var publicOnly = (await CallAsync("conversations.list?types=public_channel&exclude_archived=true&limit=1000", token)).GetProperty("channels").EnumerateArray().ToList();
        Assert.Contains(all, c => c.GetProperty("is_private").GetBoolean());
        Assert.Contains(all, c => c.GetProperty("is_archived").GetBoolean());
        Assert.All(publicOnly, c => Assert.False(c.GetProperty("is_private").GetBoolean() || c.GetProperty("is_archived").GetBoolean()));
        Assert.True(publicOnly.Count < all.Count);
    }

    [Fact]
    public void The_workspace_is_the_same_for_the_same_organisation()
    {
        var again = new SlackEmulator(sandbox.Server.Org).Data.Channels;
        var served = sandbox.Server.Emulator().Data.Channels;
        Assert.Equal(served.Select(c => (c.Id, c.Name, c.Created, c.IsArchived, c.Messages.Count)), again.Select(c => (c.Id, c.Name, c.Created, c.IsArchived, c.Messages.Count)));
    }

    [Fact]
    public async Task No_token_fails_the_source_with_not_authed()
    {
        var error = await Assert.ThrowsAsync<SourceException>(() => SlackRun.CollectAsync(sandbox.Server, Period, useToken: false));
        Assert.StartsWith("Slack conversations.list: no token was sent (not_authed)", error.Message, StringComparison.Ordinal);
        Assert.Contains("SLACK_BOT_TOKEN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_fails_with_invalid_auth_naming_the_variable_and_never_the_token()
    {
        var settings = SlackRun.Settings(sandbox.Server);
        settings["tokenEnv"] = "ACME_SLACK";
        var error = await Assert.ThrowsAsync<SourceException>(() => SlackRun.CollectAsync(sandbox.Server, Period, "xoxb-not-the-token", settings));
        Assert.Equal("Slack conversations.list: the token was rejected (invalid_auth); check ACME_SLACK", error.Message);
    }

    [Fact]
    public void An_invalid_pattern_is_an_invalid_setting_at_its_path()
    {
        var problems = TestSources.Validate(new OkrHost.Plugins.Slack.SlackSource(), "slack", new() { ["warRoomPattern"] = "(inc", ["warRooms"] = 1 }, "t");
        Assert.Contains(problems, p => p.Severity == ProblemSeverity.Error && p.JsonPath == "$.sources.slack.warRoomPattern");
        Assert.Contains(problems, p => p.Severity == ProblemSeverity.Warning && p.JsonPath == "$.sources.slack.warRooms");
    }

    [Fact]
    public void Default_settings_have_no_problems()
    {
        Assert.Empty(TestSources.Validate(new OkrHost.Plugins.Slack.SlackSource(), "slack", [], "t"));
    }

    [Theory]
    [InlineData("inc-001-checkout-500s", true)]
    [InlineData("INC_42", true)]
    [InlineData("incident-db-failover", true)]
    [InlineData("war-room-login", true)]
    [InlineData("warroom_payments", true)]
    [InlineData("general", false)]
    [InlineData("incidents-index", false)]
    [InlineData("since-inc-notes", false)]
    [InlineData("war-rooms-howto", false)]
    [InlineData("include-lists", false)]
    [InlineData("inc", false)]
    public void The_default_pattern_matches_war_rooms_and_not_decoys(string name, bool isWarRoom)
    {
        var pattern = new System.Text.RegularExpressions.Regex(OkrHost.Plugins.Slack.SlackSettings.DefaultWarRoomPattern);
        Assert.Equal(isWarRoom, pattern.IsMatch(name));
    }
}

namespace OkrHost.Sandbox.Slack;

/// <summary>
/// Builds the simulated workspace: everyday channels (with decoys whose names look incident-ish but do
/// not match the default <c>warRoomPattern</c>), and one war room per incident of the shared timeline.
/// </summary>
internal static class SlackWorkspace
{
    /// <summary>Channels whose names must not be taken for war rooms by <c>(?i)^(inc|incident|war-?room)[-_]</c>.</summary>
    internal static readonly string[] Decoys = ["incidents-index", "since-inc-notes", "war-rooms-howto", "include-lists"];

    private static readonly string[] EverydayChannels =
    [
        "general", "random", "announcements", "eng-platform", "eng-web", "eng-data", "deploys", "oncall",
        "help-infra", "design", "product", "releases", "alerts-prod", "support-escalations", "watercooler",
        "security", "hiring", "books", "standup", "retro",
    ];

    private static readonly string[] ProjectWords =
    [
        "atlas", "beacon", "comet", "delta", "ember", "falcon", "glacier", "harbor", "iris", "juniper", "kestrel",
        "lumen", "meridian", "nova", "orbit", "pulse", "quartz", "raven", "summit", "tundra",
    ];

    private static readonly string[] ChatLines =
    [
        "Looking at the dashboards now", "Error rate is climbing on {0}", "Rolling back the last deploy of {0}",
        "Can someone page the DB on-call?", "Customer reports coming in via support", "Mitigation is in, watching",
        "p99 back under 300 ms", "I'll write the status page update", "Found it: config change in {0}",
        "Confirmed recovery in all regions", "Opening a follow-up ticket", "Who owns the cache layer?",
        "Traffic shifted to the standby", "Let's keep this channel for the timeline", "Postmortem doc to follow",
    ];

    /// <summary>Fills <paramref name="data"/> for <paramref name="org"/>.</summary>
    public static void Build(SandboxOrg org, SlackData data)
    {
        var random = org.RandomFor("slack");
        var users = org.People.Select((name, i) => (Id: UserId(i), Name: name)).ToArray();
        foreach (var (id, name) in users)
        {
            data.Users[id] = name;
        }

        var warRooms = org.Incidents.Select(incident => WarRoom(org, incident, users, random)).ToList();
        DropArchiveMessageOfOne(org, warRooms);
        warRooms.Add(LongRunningWarRoom(org, users));
        if (org.ForgottenWarRoom is { } forgotten)
        {
            warRooms.Add(ForgottenWarRoom(forgotten, users));
        }

        var everydayCount = Math.Max(0, org.Sizes.Channels - warRooms.Count);
        var everyday = new List<SlackChannel>(everydayCount);
        var names = EverydayChannels.Concat(Decoys).Concat(org.Repositories.Select(r => "dev-" + r.Split('/')[1]))
            .Concat(org.TeamKeys.Select(t => "team-" + t.ToLowerInvariant()));
        var nameQueue = new Queue<string>(names);
        for (var i = 0; i < everydayCount; i++)
        {
            var name = nameQueue.Count > 0 ? nameQueue.Dequeue() : $"proj-{ProjectWords[i % ProjectWords.Length]}-{i / ProjectWords.Length + 1}";
            var created = org.Start - TimeSpan.FromDays(30 + random.Next(900)) + TimeSpan.FromSeconds(random.Next(86_400));
            var channel = new SlackChannel
            {
                Id = ChannelId(1, i),
                Name = name,
                Created = DateTimeOffset.FromUnixTimeSeconds(created.ToUnixTimeSeconds()),
                Creator = users[random.Next(users.Length)].Id,
                IsPrivate = name.StartsWith("team-", StringComparison.Ordinal) || random.Next(8) == 0,
                Purpose = name == "incidents-index" ? "Index of every inc- war room, one line each" : $"Chat about {name.Replace('-', ' ')}",
            };
            // A few long-finished projects are archived: archived channels are listed too, and must not be taken for war rooms.
            if (name.StartsWith("proj-", StringComparison.Ordinal) && random.Next(4) == 0)
            {
                channel.IsArchived = true;
                var archivedAt = org.Start + TimeSpan.FromMinutes(random.Next(60 * 24 * 90));
                channel.Messages.Add(new SlackMessage(SlackTs.Format(archivedAt), channel.Creator, "archived the channel", "channel_archive"));
            }

            var messages = random.Next(4);
            for (var m = 0; m < messages; m++)
            {
                var at = org.Now - TimeSpan.FromMinutes(1 + random.Next(60 * 24 * 60));
                channel.Messages.Add(new SlackMessage(SlackTs.Format(at, m), users[random.Next(users.Length)].Id, "Morning all"));
            }

            channel.Messages.Sort((a, b) => a.At.CompareTo(b.At));
            everyday.Add(channel);
        }

        // Oldest first, the order conversations.list tends to walk a workspace in.
        data.Channels.AddRange(everyday.Concat(warRooms).OrderBy(c => c.Created).ThenBy(c => c.Id, StringComparer.Ordinal));
    }

    private static string UserId(int index) => $"U07{(index * 104_729 + 40_503) % 0xFFFFFF:X6}";

    private static string ChannelId(int kind, int index) => $"C0{kind}{(index * 7_919 + 1_201) % 0xFFFFFF:X6}";

    private static SlackChannel WarRoom(SandboxOrg org, SandboxIncident incident, (string Id, string Name)[] users, Random random)
    {
        var creator = users[random.Next(users.Length)].Id;
        var opened = DateTimeOffset.FromUnixTimeSeconds(incident.OpenedAt.ToUnixTimeSeconds());
        var channel = new SlackChannel
        {
            Id = ChannelId(2, incident.Number),
            Name = incident.ChannelName,
            Created = opened,
            Creator = creator,
            IsPrivate = incident.Critical,
            IsArchived = incident.ClosedAt is not null,
            Purpose = $"War room: {incident.Title} ({incident.Repository})",
        };

        var service = incident.Repository.Split('/')[1];
        var end = incident.ClosedAt ?? org.Now;
        var micros = 0;
        void Add(DateTimeOffset at, string? user, string text, string? subtype = null, string? botId = null, string? username = null) =>
            channel.Messages.Add(new SlackMessage(SlackTs.Format(at, ++micros), user, text, subtype) { BotId = botId, Username = username });

        Add(opened, creator, $"<@{creator}> has joined the channel", "channel_join");
        Add(opened + TimeSpan.FromSeconds(5), null, $"Incident declared: {incident.Title} on {service}", "bot_message", "B07INCIDENT", "incident-bot");
        var responders = users.OrderBy(_ => random.Next()).Take(2 + random.Next(5)).Select(u => u.Id).Append(creator).Distinct().ToArray();
        foreach (var responder in responders.Where(r => r != creator))
        {
            Add(opened + TimeSpan.FromSeconds(30 + random.Next(600)), responder, $"<@{responder}> has joined the channel", "channel_join");
        }

        var chat = 4 + random.Next(30);
        var window = (int)Math.Max(60, (end - opened).TotalSeconds - 60);
        for (var i = 0; i < chat; i++)
        {
            var at = opened + TimeSpan.FromSeconds(60 + random.Next(window));
            Add(at, responders[random.Next(responders.Length)], string.Format(System.Globalization.CultureInfo.InvariantCulture, ChatLines[random.Next(ChatLines.Length)], service));
        }

        if (incident.ClosedAt is { } closed)
        {
            Add(closed - TimeSpan.FromSeconds(30), null, "Incident resolved", "bot_message", "B07INCIDENT", "incident-bot");
            channel.Messages.Add(new SlackMessage(SlackTs.Format(closed), creator, "archived the channel", "channel_archive"));
        }

        channel.Messages.Sort((a, b) => a.At.CompareTo(b.At));
        return channel;
    }

    /// <summary>
    /// A war room that stayed open for months, outside the incident timeline: opened a week into the history
    /// (before any report's previous period) and archived nine days before "now" (inside a last-30-days
    /// period), so postmortem coverage must count it as closed in the period whenever it was opened.
    /// No random draws: the rest of the workspace stays as it was.
    /// </summary>
    private static SlackChannel LongRunningWarRoom(SandboxOrg org, (string Id, string Name)[] users)
    {
        var opened = DateTimeOffset.FromUnixTimeSeconds((org.Start + TimeSpan.FromDays(7)).ToUnixTimeSeconds());
        var archived = org.Now - TimeSpan.FromDays(9);
        var owner = users[0].Id;
        var channel = new SlackChannel
        {
            Id = ChannelId(3, 1),
            Name = "war-room-datacenter-exit",
            Created = opened,
            Creator = owner,
            IsArchived = true,
            Purpose = "War room: the datacenter exit, until the last rack is empty",
        };
        channel.Messages.Add(new SlackMessage(SlackTs.Format(opened, 1), owner, $"<@{owner}> has joined the channel", "channel_join"));
        channel.Messages.Add(new SlackMessage(SlackTs.Format(opened + TimeSpan.FromMinutes(5), 2), owner, "Tracking the datacenter exit here until it is done"));
        channel.Messages.Add(new SlackMessage(SlackTs.Format(archived - TimeSpan.FromHours(1), 3), users[1].Id, "Last rack is empty, closing this room"));
        channel.Messages.Add(new SlackMessage(SlackTs.Format(archived, 4), owner, "archived the channel", "channel_archive"));
        return channel;
    }

    /// <summary>The duplicate war room nobody used or archived: a join and the incident bot's pointer to the real room, nothing counted.</summary>
    private static SlackChannel ForgottenWarRoom(SandboxForgottenWarRoom room, (string Id, string Name)[] users)
    {
        var opened = DateTimeOffset.FromUnixTimeSeconds(room.OpenedAt.ToUnixTimeSeconds());
        var owner = users[2 % users.Length].Id;
        var channel = new SlackChannel
        {
            Id = ChannelId(3, 2),
            Name = room.ChannelName,
            Created = opened,
            Creator = owner,
            Purpose = $"War room: {room.Incident.Title} ({room.Incident.Repository})",
        };
        channel.Messages.Add(new SlackMessage(SlackTs.Format(opened, 1), owner, $"<@{owner}> has joined the channel", "channel_join"));
        channel.Messages.Add(new SlackMessage(SlackTs.Format(opened + TimeSpan.FromSeconds(5), 2), null, $"Duplicate of #{room.Incident.ChannelName}: please follow there", "bot_message")
        {
            BotId = "B07INCIDENT",
            Username = "incident-bot",
        });
        return channel;
    }

    /// <summary>
    /// Someone deleted the archive message of the second most recently closed war room (admins can):
    /// it stays archived, but its close time is unknown.
    /// </summary>
    private static void DropArchiveMessageOfOne(SandboxOrg org, List<SlackChannel> warRooms)
    {
        var closed = org.ArchiveMessageLost;
        if (closed is null)
        {
            return;
        }

        var channel = warRooms.Single(c => c.Name == closed.ChannelName);
        channel.Messages.RemoveAll(m => m.Subtype == "channel_archive");
    }
}

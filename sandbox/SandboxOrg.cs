namespace OkrHost.Sandbox;

/// <summary>
/// The simulated organisation's shared skeleton: its clock, size, people, repositories, teams and the
/// incident timeline that every emulator lines its own data up with (a bad deployment on GitHub, a war
/// room in Slack a few hours later, a drift in Grafana, a postmortem in Notion). Each emulator derives
/// its service's data from this and its own random stream, so the whole organisation is a pure
/// function of (seed, profile, now).
/// </summary>
public sealed class SandboxOrg
{
    /// <summary>How far back the organisation's history goes.</summary>
    public static readonly TimeSpan History = TimeSpan.FromDays(183);

    private static readonly string[] RepositoryNames =
    [
        "api", "web", "billing", "auth", "search", "notifications", "mobile-bff", "payments", "catalog", "checkout",
        "inventory", "reporting", "gateway", "scheduler", "ledger", "identity", "media", "pricing", "recommendations", "shipping",
        "analytics", "admin", "onboarding", "support-portal", "feature-flags", "audit", "exports", "imports", "webhooks", "docs-site",
        "design-system", "edge-proxy", "etl", "ml-serving", "geo", "chat", "emails", "sms", "cron", "infra",
    ];

    private static readonly string[] FirstNames =
    [
        "Amara", "Bastien", "Chen", "Dalia", "Emeka", "Freya", "Goran", "Hana", "Ines", "Jonas", "Kavya", "Luca",
        "Mireille", "Nikhil", "Olga", "Pedro", "Quinn", "Rosa", "Sami", "Tamsin", "Uma", "Viktor", "Wen", "Yusuf",
    ];

    private static readonly string[] LastNames =
    [
        "Okafor", "Lindqvist", "Haddad", "Moreau", "Tanaka", "Novak", "Silva", "Kowalski", "Brennan", "Ibrahim",
        "Schultz", "Rossi", "Nguyen", "Petrov", "Adeyemi", "Larsen",
    ];

    private static readonly string[] IncidentThemes =
    [
        "checkout 500s", "login loop", "slow search", "payment timeouts", "stale cache", "queue backlog",
        "webhook retries", "memory leak", "certificate expiry", "db failover", "rate limiter misfire", "bad migration",
        "dns flap", "cdn purge", "feature flag leak", "disk pressure",
    ];

    /// <summary>Builds the organisation for <paramref name="options"/>.</summary>
    public SandboxOrg(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Seed = options.Seed;
        Profile = options.Profile;
        var now = options.Now ?? DateTimeOffset.UtcNow;
        Now = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, 0, 0, TimeSpan.Zero);
        Start = Now - History;
        Sizes = options.Profile == SandboxProfile.Large ? OrgSizes.Large : OrgSizes.Demo;

        var random = RandomFor("org");
        Repositories = Enumerable.Range(0, Sizes.Repositories)
            .Select(i => $"acme/{RepositoryNames[i % RepositoryNames.Length]}{(i < RepositoryNames.Length ? "" : $"-{i / RepositoryNames.Length + 1}")}")
            .ToArray();
        TeamKeys = Sizes.Teams == 3 ? ["ENG", "PLAT", "WEB"] : ["ENG", "PLAT", "WEB", "DATA", "MOB", "SEC"];
        People = Enumerable.Range(0, Sizes.People)
            .Select(i => $"{FirstNames[i % FirstNames.Length]} {LastNames[(i * 7 + i / FirstNames.Length) % LastNames.Length]}")
            .ToArray();
        Incidents = BuildIncidents(random);
        ArchiveMessageLost = Incidents.Where(i => i.ClosedAt is not null).OrderByDescending(i => i.ClosedAt).Skip(1).FirstOrDefault();
        // Beside an incident whose own war room is counted, so both rooms blame the same deployment.
        ForgottenWarRoom = Incidents.LastOrDefault(i => i.CausedByDeployment && i != ArchiveMessageLost) is { } latest ? new SandboxForgottenWarRoom(latest) : null;
    }

    /// <summary>Seed of every random choice.</summary>
    public int Seed { get; }

    /// <summary>Size profile.</summary>
    public SandboxProfile Profile { get; }

    /// <summary>The organisation's "now" (whole hour, UTC).</summary>
    public DateTimeOffset Now { get; }

    /// <summary>Start of the history: <see cref="Now"/> less <see cref="History"/>.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>How many of each thing the profile has.</summary>
    public OrgSizes Sizes { get; }

    /// <summary>Repositories, <c>acme/api</c> first.</summary>
    public IReadOnlyList<string> Repositories { get; }

    /// <summary>Linear team keys, <c>ENG</c> first.</summary>
    public IReadOnlyList<string> TeamKeys { get; }

    /// <summary>People's display names.</summary>
    public IReadOnlyList<string> People { get; }

    /// <summary>Incidents in time order; each has a war room, most were caused by a deployment.</summary>
    public IReadOnlyList<SandboxIncident> Incidents { get; }

    /// <summary>
    /// The second most recently closed incident: someone deleted its war room's archive message (admins can),
    /// so the room stays archived with its close time unknown.
    /// </summary>
    public SandboxIncident? ArchiveMessageLost { get; }

    /// <summary>
    /// A second war room for the latest incident caused by a deployment (not <see cref="ArchiveMessageLost"/>), opened a second after the first
    /// and never archived (see <see cref="SandboxForgottenWarRoom"/>); null when no incident was caused by one.
    /// </summary>
    public SandboxForgottenWarRoom? ForgottenWarRoom { get; }

    /// <summary>
    /// A random stream private to <paramref name="stream"/> (e.g. "github"), so adding data to one
    /// service never shifts another's. Stable across processes (string.GetHashCode is not).
    /// </summary>
    public Random RandomFor(string stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        var hash = 2166136261u;
        foreach (var c in stream)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return new Random(unchecked((int)hash) ^ Seed);
    }

    private SandboxIncident[] BuildIncidents(Random random)
    {
        var incidents = new SandboxIncident[Sizes.Incidents];
        var spacing = (Now - Start - TimeSpan.FromDays(2)) / Sizes.Incidents;
        for (var i = 0; i < incidents.Length; i++)
        {
            var deployedAt = Start + spacing * i + TimeSpan.FromMinutes(random.Next((int)spacing.TotalMinutes));
            // Two in three incidents follow a deployment within the DORA attribution window (24 h);
            // the rest open later than that, so attribution has something to leave out.
            var causedByDeployment = random.Next(3) != 0;
            var openedAt = deployedAt + (causedByDeployment
                ? TimeSpan.FromMinutes(20 + random.Next(20 * 60))
                : TimeSpan.FromHours(30 + random.Next(40)));
            var duration = TimeSpan.FromMinutes(45 + random.Next(36 * 60));
            var closedAt = openedAt + duration;
            var theme = IncidentThemes[random.Next(IncidentThemes.Length)];
            incidents[i] = new SandboxIncident(
                Number: i + 1,
                Title: theme,
                Repository: Repositories[random.Next(Repositories.Count)],
                DeployedAt: deployedAt,
                CausedByDeployment: causedByDeployment,
                OpenedAt: openedAt,
                ClosedAt: closedAt < Now ? closedAt : null,
                Critical: random.Next(4) == 0,
                HasPostmortem: random.Next(5) != 0);
        }

        return incidents;
    }
}

/// <summary>
/// An incident of the shared timeline. <see cref="DeployedAt"/> is a successful production deployment
/// of <see cref="Repository"/> (the GitHub emulator makes sure it exists); when
/// <see cref="CausedByDeployment"/> the war room opens within 24 h of it.
/// </summary>
public sealed record SandboxIncident(
    int Number,
    string Title,
    string Repository,
    DateTimeOffset DeployedAt,
    bool CausedByDeployment,
    DateTimeOffset OpenedAt,
    DateTimeOffset? ClosedAt,
    bool Critical,
    bool HasPostmortem)
{
    /// <summary>The war-room channel's name, matching the default <c>warRoomPattern</c>.</summary>
    public string ChannelName => $"inc-{Number:000}-{Title.Replace(' ', '-')}";
}

/// <summary>
/// Someone opened a second war room for <see cref="Incident"/> a second after the first, nobody posted in it,
/// and nobody ever archived it. It is attributed to the same deployment as the incident's own room (so the
/// change failure rate is as it was), keeps that deployment from counting as recovered (failed deployment
/// recovery time), and stays open for ever: only its first 24 hours may mark deployments as rework.
/// No random draws: the rest of the organisation stays as it was.
/// </summary>
public sealed record SandboxForgottenWarRoom(SandboxIncident Incident)
{
    /// <summary>When it was opened: a second after <see cref="Incident"/>'s own war room.</summary>
    public DateTimeOffset OpenedAt => Incident.OpenedAt + TimeSpan.FromSeconds(1);

    /// <summary>The channel's name, matching the default <c>warRoomPattern</c>.</summary>
    public string ChannelName => "war-room-" + Incident.ChannelName;
}

/// <summary>How many of each thing a profile has.</summary>
public sealed record OrgSizes(
    int Repositories,
    int Deployments,
    int Teams,
    int People,
    int LinearIssues,
    int Channels,
    int Incidents,
    int Annotations,
    int Traces,
    int KeyResults,
    int Postmortems)
{
    /// <summary>The demo: small, fast, believable.</summary>
    public static readonly OrgSizes Demo = new(
        Repositories: 4, Deployments: 420, Teams: 3, People: 18, LinearIssues: 900, Channels: 60, Incidents: 16,
        Annotations: 300, Traces: 400, KeyResults: 12, Postmortems: 13);

    /// <summary>The benchmark's size.</summary>
    public static readonly OrgSizes Large = new(
        Repositories: 40, Deployments: 4000, Teams: 6, People: 120, LinearIssues: 30000, Channels: 3000, Incidents: 150,
        Annotations: 10000, Traces: 5000, KeyResults: 300, Postmortems: 120);
}

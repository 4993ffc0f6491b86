using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Plugins.GitHub;
using OkrHost.Sandbox;
using OkrHost.Sandbox.GitHub;
using OkrHost.Testing;

namespace GitHub.Tests;

/// <summary>Runs the plugin the way the host does, and builds small hand-made histories in a sandbox.</summary>
internal static class GitHubTestKit
{
    public static async Task<(PluginRun Result, long Requests)> RunAsync(
        Uri baseUrl, JsonObject settings, string? token, ReportPeriod period, HttpPolicy? policy = null)
    {
        settings["baseUrl"] ??= baseUrl.ToString();
        var plugin = new GitHubSource();
        var (context, http, factory) = TestSources.Context(plugin, "github", settings, token, period, SandboxFixture.Now, policy);
        using (factory)
        {
            var result = await TestSources.RunAsync(plugin, context);
            return (result, http.Requests);
        }
    }

    /// <summary>Collects once as a report run at <paramref name="now"/> does, building on <paramref name="known"/> when given.</summary>
    public static async Task<(FactSet Facts, long Requests)> CollectAsync(
        Uri baseUrl, JsonObject settings, string? token, ReportPeriod fetchWindow, DateTimeOffset now, FactSet? known)
    {
        settings["baseUrl"] ??= baseUrl.ToString();
        var plugin = new GitHubSource();
        var (context, http, factory) = TestSources.Context(plugin, "github", settings, token, fetchWindow, now);
        using (factory)
        {
            var facts = await plugin.CollectAsync(
                new CollectContext
                {
                    FetchWindow = fetchWindow,
                    Known = known,
                    Settings = context.Settings,
                    Http = context.Http,
                    Logger = context.Logger,
                    Progress = context.Progress,
                    Clock = context.Clock,
                },
                CancellationToken.None);
            return (facts, http.Requests);
        }
    }

    public static DateTimeOffset Utc(int month, int day, int hour = 0, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>Every fact in a stable order, as JSON, with the sandbox's address (it differs between two sandboxes) taken out of links.</summary>
    public static string Json(FactSet facts, Uri? sandboxRoot = null)
    {
        var json = System.Text.Json.JsonSerializer.Serialize(
            facts.Facts.OrderBy(f => f.GetType().Name, StringComparer.Ordinal).ThenBy(f => f.Id, StringComparer.Ordinal).Select(f => (object)f));
        return sandboxRoot is null ? json : json.Replace(sandboxRoot.ToString().TrimEnd('/'), "", StringComparison.Ordinal);
    }
}

/// <summary>
/// A fresh sandbox whose <c>acme/api</c> is emptied so a test can lay out its own commits, deployments
/// and runs, with every time and status chosen by hand.
/// </summary>
internal sealed class HandBuiltSandbox : IAsyncDisposable
{
    private HandBuiltSandbox(SandboxServer server, string api)
    {
        Api = api;
        Server = server;
        Emulator = (GitHubEmulator)server.Emulator("github");
        Repository = Emulator.Data["acme/api"];
        Repository.Commits.Clear();
        Repository.Deployments.Clear();
        Repository.Runs.Clear();
        Repository.Workflows.Clear();
    }

    public SandboxServer Server { get; }

    public GitHubEmulator Emulator { get; }

    public GitHubRepositoryRecord Repository { get; }

    /// <summary>The <c>api</c> setting every run uses: <c>graphql</c> or <c>rest</c>.</summary>
    public string Api { get; }

    public static async Task<HandBuiltSandbox> StartAsync(string api = "rest") =>
        new(await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now }), api);

    public JsonObject Settings(string environmentPattern = "(?i)prod") => new()
    {
        ["repositories"] = new JsonArray("acme/api"),
        ["environmentPattern"] = environmentPattern,
        ["api"] = Api,
    };

    public Task<(PluginRun Result, long Requests)> RunAsync(ReportPeriod period, JsonObject? settings = null) =>
        GitHubTestKit.RunAsync(Server.BaseUrl("github"), settings ?? Settings(), Emulator.Token, period);

    public Task<(FactSet Facts, long Requests)> CollectAsync(ReportPeriod fetchWindow, DateTimeOffset now, FactSet? known, JsonObject? settings = null) =>
        GitHubTestKit.CollectAsync(Server.BaseUrl("github"), settings ?? Settings(), Emulator.Token, fetchWindow, now, known);

    /// <summary>
    /// Appends a commit authored at <paramref name="authoredAt"/> and returns its sha: a child of the commit
    /// before it, or of <paramref name="parents"/> when given (two for a merge).
    /// </summary>
    public string Commit(DateTimeOffset authoredAt, string message = "Change", params string[] parents)
    {
        var sha = Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes($"{Repository.Commits.Count}:{message}")));
        Repository.Commits.Add(new GitHubCommitRecord(sha, message, "Rosa Silva", "rosa.silva@acme.example", authoredAt)
        {
            Parents = parents.Length > 0 ? parents : null,
        });
        return sha;
    }

    /// <summary>Adds a deployment created at <paramref name="createdAt"/> with the given statuses in order.</summary>
    public GitHubDeploymentRecord Deploy(string environment, string sha, DateTimeOffset createdAt, params (string State, DateTimeOffset At)[] statuses)
    {
        var deployment = new GitHubDeploymentRecord
        {
            Id = Emulator.Data.NextId(), Sha = sha, Ref = "main", Environment = environment, CreatedAt = createdAt,
        };
        foreach (var (state, at) in statuses)
        {
            deployment.Statuses.Add(new GitHubStatusRecord(Emulator.Data.NextId(), state, at));
        }

        Repository.Deployments.Add(deployment);
        return deployment;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

/// <summary>A fresh demo sandbox of its own, for tests that count requests or change settings.</summary>
internal sealed class DemoSandbox : IAsyncDisposable
{
    private DemoSandbox(SandboxServer server, string api)
    {
        Api = api;
        Server = server;
        Emulator = (GitHubEmulator)server.Emulator("github");
    }

    public SandboxServer Server { get; }

    public GitHubEmulator Emulator { get; }

    /// <summary>The <c>api</c> setting every run uses: <c>graphql</c> or <c>rest</c>.</summary>
    public string Api { get; }

    public static async Task<DemoSandbox> StartAsync(SandboxProfile profile = SandboxProfile.Demo, IReadOnlyList<FaultSpec>? faults = null, string api = "rest") =>
        new(await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now, Profile = profile, Faults = faults ?? [] }), api);

    public JsonObject Settings()
    {
        var settings = Emulator.DemoSettings(Server.BaseUrl("github"));
        settings["api"] = Api;
        return settings;
    }

    public Task<(PluginRun Result, long Requests)> RunAsync(ReportPeriod period, JsonObject? settings = null, HttpPolicy? policy = null) =>
        GitHubTestKit.RunAsync(Server.BaseUrl("github"), settings ?? Settings(), Emulator.Token, period, policy);

    /// <summary>Collects for the windows of a report for <paramref name="period"/> (with 13 trend weeks) and computes the period.</summary>
    public async Task<(PluginRun Result, long Requests)> ReportAsync(ReportPeriod period)
    {
        var fetchWindow = new OkrHost.Running.ReportWindows(period, SandboxPeriod.TrendWeeks).FetchWindow;
        var (facts, requests) = await GitHubTestKit.CollectAsync(Server.BaseUrl("github"), Settings(), Emulator.Token, fetchWindow, SandboxFixture.Now, known: null);
        return (PluginRun.Compute(new GitHubSource(), facts, period), requests);
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}

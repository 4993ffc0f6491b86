using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OkrHost.Sandbox.GitHub;
using OkrHost.Sandbox.Grafana;
using OkrHost.Sandbox.Linear;
using OkrHost.Sandbox.Notion;
using OkrHost.Sandbox.Slack;

namespace OkrHost.Sandbox;

/// <summary>
/// The five emulators on one loopback port, each under its own prefix
/// (<c>http://127.0.0.1:{port}/github/</c>, …/linear/graphql, …/slack/api/, …/grafana/, …/notion/),
/// and a scripted OpenAI-compatible model under …/openai/v1/.
/// </summary>
public sealed class SandboxServer : IRunningSandbox
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, ServiceStats> _stats = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _pointsAtReset = new(StringComparer.Ordinal);

    private SandboxServer(SandboxOptions options, WebApplication app, IReadOnlyList<IServiceEmulator> emulators, SandboxOrg org)
    {
        Options = options;
        _app = app;
        Emulators = emulators;
        Org = org;
        foreach (var emulator in emulators)
        {
            _stats[emulator.Id] = new ServiceStats();
        }
    }

    /// <summary>The options the sandbox was started with.</summary>
    public SandboxOptions Options { get; }

    /// <summary>The simulated organisation.</summary>
    public SandboxOrg Org { get; }

    /// <summary>The scripted language model (not a source: it backs the narrative and <c>okrhost ask</c>).</summary>
    public Model.ScriptedModel Model { get; } = new();

    /// <summary>The model's OpenAI-compatible base URL, <c>…/openai/v1/</c>.</summary>
    public Uri ModelBaseUrl => new(RootUrl, Sandbox.Model.ScriptedModel.Prefix + "/v1/");

    /// <summary>The emulators, by mount order.</summary>
    public IReadOnlyList<IServiceEmulator> Emulators { get; }

    /// <summary><c>http://127.0.0.1:{port}/</c>.</summary>
    public Uri RootUrl { get; private set; } = new("http://127.0.0.1/");

    /// <summary>Starts the sandbox and returns once it is listening.</summary>
    public static async Task<SandboxServer> StartAsync(SandboxOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var org = new SandboxOrg(options);
        IServiceEmulator[] emulators =
        [
            new GitHubEmulator(org),
            new LinearEmulator(org),
            new SlackEmulator(org),
            new GrafanaEmulator(org),
            new NotionEmulator(org),
        ];

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, options.Port));
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        var server = new SandboxServer(options, app, emulators, org);
        app.Use(server.AccountAsync);
        app.Use(new Faults.FaultInjector(options).InvokeAsync);
        foreach (var emulator in emulators)
        {
            emulator.Map(app.MapGroup("/" + emulator.Id));
        }

        server.Model.Map(app.MapGroup("/" + Sandbox.Model.ScriptedModel.Prefix));
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.RootUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    /// <summary>Base URL of one service, as a plugin's <c>baseUrl</c> setting.</summary>
    public Uri BaseUrl(string serviceId) => new(RootUrl, serviceId + "/");

    /// <summary>The emulator of one service.</summary>
    public IServiceEmulator Emulator(string serviceId) => Emulators.Single(e => e.Id == serviceId);

    /// <summary>Counters of one service since start or the last <see cref="ResetStats"/>.</summary>
    public ServiceStatsSnapshot Stats(string serviceId) =>
        _stats[serviceId].Snapshot() with { Points = Emulator(serviceId).PointsSpent - _pointsAtReset.GetValueOrDefault(serviceId) };

    /// <summary>Zeroes every counter (between a cold and a warm benchmark run).</summary>
    public void ResetStats()
    {
        foreach (var stats in _stats.Values)
        {
            stats.Reset();
        }

        foreach (var emulator in Emulators)
        {
            _pointsAtReset[emulator.Id] = emulator.PointsSpent;
        }
    }

    /// <summary>
    /// A plugins.json <c>sources</c> object pointing every built-in plugin at this sandbox, and the
    /// environment variables holding the tokens each one names in <c>tokenEnv</c>.
    /// </summary>
    public (JsonObject Sources, IReadOnlyDictionary<string, string> Environment) DemoSources()
    {
        var sources = new JsonObject();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var emulator in Emulators)
        {
            var settings = emulator.DemoSettings(BaseUrl(emulator.Id));
            var tokenEnv = $"OKRHOST_SANDBOX_{emulator.Id.ToUpperInvariant()}_TOKEN";
            settings["tokenEnv"] = tokenEnv;
            environment[tokenEnv] = emulator.Token;
            sources[emulator.Id] = settings;
        }

        return (sources, environment);
    }

    (string Name, string ApiKey) IRunningSandbox.Model => (Sandbox.Model.ScriptedModel.ModelName, Sandbox.Model.ScriptedModel.ApiKey);

    SandboxProfile IRunningSandbox.Profile => Options.Profile;

    int IRunningSandbox.Seed => Options.Seed;

    DateTimeOffset IRunningSandbox.Now => Org.Now;

    IReadOnlyList<(string Channel, string? Text)> IRunningSandbox.SlackPosts()
    {
        var slack = ((SlackEmulator)Emulator("slack")).Data;
        lock (slack.Sync)
        {
            return slack.Posts.Select(post => (post.Channel, post.Text)).ToArray();
        }
    }

    long IRunningSandbox.MinimumRequests(string serviceId, DateTimeOffset from, DateTimeOffset to) =>
        Emulator(serviceId).MinimumRequests(new SandboxPeriod(from, to));

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task AccountAsync(HttpContext context, RequestDelegate next)
    {
        var path = context.Request.Path.Value ?? "";
        var serviceId = path.Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (!_stats.TryGetValue(serviceId, out var stats))
        {
            await next(context);
            return;
        }

        stats.CountRequest();
        if (Options.Latency > TimeSpan.Zero)
        {
            await Task.Delay(Options.Latency, context.RequestAborted);
        }

        var body = context.Response.Body;
        var counting = new CountingStream(body);
        context.Response.Body = counting;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = body;
            stats.CountResponse(context.Response.StatusCode, counting.BytesWritten);
        }
    }

    private sealed class CountingStream(Stream inner) : Stream
    {
        public long BytesWritten { get; private set; }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            BytesWritten += count;
            inner.Write(buffer, offset, count);
        }

        public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            BytesWritten += buffer.Length;
            await inner.WriteAsync(buffer, cancellationToken);
        }

        public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
    }
}

/// <summary>Live counters of one service.</summary>
public sealed class ServiceStats
{
    private long _requests;
    private long _notModified;
    private long _bytes;

    internal void CountRequest() => Interlocked.Increment(ref _requests);

    internal void CountResponse(int status, long bytes)
    {
        if (status == StatusCodes.Status304NotModified)
        {
            Interlocked.Increment(ref _notModified);
        }

        Interlocked.Add(ref _bytes, bytes);
    }

    internal void Reset()
    {
        Interlocked.Exchange(ref _requests, 0);
        Interlocked.Exchange(ref _notModified, 0);
        Interlocked.Exchange(ref _bytes, 0);
    }

    internal ServiceStatsSnapshot Snapshot() =>
        new(Interlocked.Read(ref _requests), Interlocked.Read(ref _notModified), Interlocked.Read(ref _bytes));
}

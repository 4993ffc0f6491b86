using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Contracts;
using OkrHost.Http;

namespace OkrHost.Testing;

/// <summary>Builds what the host hands a plugin, with the host's real HTTP pipeline tuned for fast tests.</summary>
public static class TestSources
{
    /// <summary>The pipeline's policy in tests: real retries and waits, short delays, no disk cache.</summary>
    public static readonly HttpPolicy FastPolicy = new()
    {
        MaxRetries = 3,
        RetryBaseDelay = TimeSpan.FromMilliseconds(5),
        AttemptTimeout = TimeSpan.FromSeconds(5),
        MaxRateLimitWait = TimeSpan.FromSeconds(3),
        RateLimitMargin = TimeSpan.FromMilliseconds(50),
        RateLimitBackoff = TimeSpan.FromMilliseconds(200),
        SourceTimeout = TimeSpan.FromSeconds(60),
    };

    /// <summary>Settings as the host would build them from <paramref name="settings"/>.</summary>
    public static SourceSettings Settings(string sourceId, JsonObject settings, string? token) =>
        new(sourceId, JsonSerializer.SerializeToElement(settings), $"$.sources.{sourceId}", token, Directory.GetCurrentDirectory());

    /// <summary>A context for one collection; dispose the returned factory after the test.</summary>
    public static (SourceContext Context, SourceHttp Http, SourceHttpFactory Factory) Context(
        string sourceId,
        JsonObject settings,
        string? token,
        ReportPeriod period,
        DateTimeOffset now,
        HttpPolicy? policy = null)
    {
        var factory = new SourceHttpFactory(policy ?? FastPolicy, Serilog.Core.Logger.None);
        var http = factory.ForSource(sourceId, CancellationToken.None);
        var context = new SourceContext
        {
            Period = period,
            Settings = Settings(sourceId, settings, token),
            Http = http,
            Logger = NullLogger.Instance,
            Progress = new Progress<SourceProgress>(),
            Clock = new FixedClock(now),
        };
        return (context, http, factory);
    }

    /// <summary>A 30-day report period ending at the start of <paramref name="now"/>'s day.</summary>
    public static ReportPeriod Last30Days(DateTimeOffset now)
    {
        var to = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return new ReportPeriod(to.AddDays(-30), to);
    }
}

/// <summary>A clock stopped at one instant.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Configuration;
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

    /// <summary>Settings as the host builds them from <paramref name="settings"/>: bound once to the plugin's settings type.</summary>
    public static SourceSettings Settings(ISourcePlugin plugin, string sourceId, JsonObject settings, string? token) =>
        Settings(plugin, sourceId, settings, token, new List<Problem>());

    /// <summary>Every problem the host reports for <paramref name="settings"/>: binding's, then (when they bind) the plugin's own.</summary>
    public static IReadOnlyList<Problem> Validate(ISourcePlugin plugin, string sourceId, JsonObject settings, string? token = "token")
    {
        ArgumentNullException.ThrowIfNull(plugin);
        var problems = new List<Problem>();
        var bound = Settings(plugin, sourceId, settings, token, problems);
        if (!problems.Exists(p => p.Severity == ProblemSeverity.Error))
        {
            problems.AddRange(plugin.ValidateSettings(bound));
        }

        return problems;
    }

    private static SourceSettings Settings(ISourcePlugin plugin, string sourceId, JsonObject settings, string? token, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(settings);
        var path = $"$.sources.{sourceId}";
        var json = JsonSerializer.SerializeToElement(settings);
        var values = SettingsBinder.Bind(plugin.SettingsType, json, path, problems);
        var tokenEnv = settings["tokenEnv"]?.GetValue<string>() ?? Attribute(plugin)?.DefaultTokenEnv;
        var baseUrl = settings["baseUrl"]?.GetValue<string>() ?? Attribute(plugin)?.DefaultBaseUrl;
        return new SourceSettings(sourceId, path, values, token, tokenEnv,
            Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) ? uri : null, Directory.GetCurrentDirectory());
    }

    /// <summary>
    /// A context for one collection whose fetch window is <paramref name="period"/> and the period before
    /// it; dispose the returned factory after the test.
    /// </summary>
    public static (CollectContext Context, SourceHttp Http, SourceHttpFactory Factory) Context(
        ISourcePlugin plugin,
        string sourceId,
        JsonObject settings,
        string? token,
        ReportPeriod period,
        DateTimeOffset now,
        HttpPolicy? policy = null)
    {
        var factory = new SourceHttpFactory(policy ?? FastPolicy, Serilog.Core.Logger.None, TimeProvider.System);
        var http = factory.ForSource(sourceId, CancellationToken.None);
        var context = new CollectContext
        {
            FetchWindow = new ReportPeriod(period.Previous.From, period.To),
            Settings = Settings(plugin, sourceId, settings, token),
            Http = http,
            Logger = NullLogger.Instance,
            Progress = new Progress<SourceProgress>(),
            Clock = new FixedClock(now),
        };
        return (context, http, factory);
    }

    /// <summary>Collects with <paramref name="context"/>, then computes the period (with its section) and the previous period.</summary>
    public static async Task<PluginRun> RunAsync(ISourcePlugin plugin, CollectContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plugin);
        ArgumentNullException.ThrowIfNull(context);
        var facts = await plugin.CollectAsync(context, cancellationToken);
        return PluginRun.Compute(plugin, facts, new ReportPeriod(context.FetchWindow.To - context.FetchWindow.Length / 2, context.FetchWindow.To));
    }

    private static SourcePluginAttribute? Attribute(ISourcePlugin plugin) =>
        (SourcePluginAttribute?)System.Attribute.GetCustomAttribute(plugin.GetType(), typeof(SourcePluginAttribute));

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

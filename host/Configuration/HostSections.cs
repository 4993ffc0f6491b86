using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Http;

namespace OkrHost.Configuration;

/// <summary><c>$.report</c> as written; <see cref="Check"/> names each wrong value's key.</summary>
public sealed class ReportConfig
{
    public string? Title { get; set; }

    public string? Period { get; set; }

    public string? Output { get; set; }

    public double? TrendWeeks { get; set; }

    /// <summary>Adds a problem for every value out of bounds and forgets it, so nothing is built on it.</summary>
    /// <param name="now">The run's now: a relative period is checked against its today.</param>
    /// <param name="problems">Where problems go.</param>
    public void Check(DateTimeOffset now, ICollection<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Period is not null && !ReportPeriodParser.TryParse(Period, now, out _, out var error))
        {
            problems.Add(Problem.Error("$.report.period", error));
        }

        if (TrendWeeks is { } weeks && (weeks != Math.Floor(weeks) || weeks is < 0 or > HostConfig.MaxTrendWeeks))
        {
            problems.Add(Problem.Error("$.report.trendWeeks", $"must be a whole number of weeks from 0 (no trends) to {HostConfig.MaxTrendWeeks}"));
            TrendWeeks = null;
        }
    }
}

/// <summary><c>$.okrs</c> as written: a file, or the source whose plugin provides the OKRs.</summary>
public sealed class OkrsConfig
{
    public string? File { get; set; }

    public string? Source { get; set; }
}

/// <summary>
/// <c>$.http</c> as written, in the units the file uses; <see cref="ToPolicy"/> turns it into the
/// <see cref="HttpPolicy"/> that validates its own bounds.
/// </summary>
public sealed class HttpConfig
{
    public double? MaxRetries { get; set; }

    public double? RetryBaseDelayMilliseconds { get; set; }

    public double? AttemptTimeoutSeconds { get; set; }

    public double? SourceTimeoutSeconds { get; set; }

    public double? MaxRateLimitWaitSeconds { get; set; }

    public double? MaxRateLimitWaits { get; set; }

    public double? RateLimitBackoffSeconds { get; set; }

    public double? RateLimitMarginSeconds { get; set; }

    public double? MaxResponseMegabytes { get; set; }

    public double? CacheMaxMegabytes { get; set; }

    public double? CacheMaxAgeDays { get; set; }

    /// <summary>The policy, every wrong value a problem naming its key and left at its default.</summary>
    public HttpPolicy ToPolicy(ICollection<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var defaults = new HttpPolicy();
        var found = new List<Problem>();
        var policy = defaults with
        {
            MaxRetries = WholeNumber(MaxRetries, "maxRetries", found) ?? defaults.MaxRetries,
            MaxRateLimitWaits = WholeNumber(MaxRateLimitWaits, "maxRateLimitWaits", found) ?? defaults.MaxRateLimitWaits,
            MaxResponseMegabytes = WholeNumber(MaxResponseMegabytes, "maxResponseMegabytes", found) ?? defaults.MaxResponseMegabytes,
            RetryBaseDelay = Duration(RetryBaseDelayMilliseconds, "retryBaseDelayMilliseconds", TimeSpan.FromMilliseconds, found) ?? defaults.RetryBaseDelay,
            AttemptTimeout = Duration(AttemptTimeoutSeconds, "attemptTimeoutSeconds", TimeSpan.FromSeconds, found) ?? defaults.AttemptTimeout,
            MaxRateLimitWait = Duration(MaxRateLimitWaitSeconds, "maxRateLimitWaitSeconds", TimeSpan.FromSeconds, found) ?? defaults.MaxRateLimitWait,
            RateLimitBackoff = Duration(RateLimitBackoffSeconds, "rateLimitBackoffSeconds", TimeSpan.FromSeconds, found) ?? defaults.RateLimitBackoff,
            RateLimitMargin = Duration(RateLimitMarginSeconds, "rateLimitMarginSeconds", TimeSpan.FromSeconds, found) ?? defaults.RateLimitMargin,
            SourceTimeout = Duration(SourceTimeoutSeconds, "sourceTimeoutSeconds", TimeSpan.FromSeconds, found) ?? defaults.SourceTimeout,
            CacheMaxBytes = CacheMaxMegabytes is { } megabytes ? (long)(megabytes * HttpPolicy.Megabyte) : defaults.CacheMaxBytes,
            CacheMaxAge = Duration(CacheMaxAgeDays, "cacheMaxAgeDays", TimeSpan.FromDays, found) ?? defaults.CacheMaxAge,
        };

        // The policy knows its own bounds; a value out of them falls back to the default so the run
        // that follows the error report is never built on it.
        var outOfBounds = policy.Validate();
        foreach (var problem in found.Concat(outOfBounds))
        {
            problems.Add(problem);
        }

        return outOfBounds.Count == 0 ? policy : defaults;
    }

    private static int? WholeNumber(double? value, string key, List<Problem> problems)
    {
        if (value is { } v && (v != Math.Floor(v) || v is < int.MinValue or > int.MaxValue))
        {
            problems.Add(Problem.Error($"$.http.{key}", "must be a whole number"));
            return null;
        }

        return (int?)value;
    }

    private static TimeSpan? Duration(double? value, string key, Func<double, TimeSpan> unit, List<Problem> problems)
    {
        if (value is not { } v)
        {
            return null;
        }

        try
        {
            return unit(v);
        }
        catch (OverflowException)
        {
            problems.Add(Problem.Error($"$.http.{key}", $"{v.ToString(CultureInfo.InvariantCulture)} is far too large"));
            return null;
        }
    }
}

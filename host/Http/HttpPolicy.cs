using OkrHost.Contracts;
namespace OkrHost.Http;

/// <summary>
/// How the host's HTTP pipeline behaves for every source. Read from the optional <c>http</c> object of
/// plugins.json (key in brackets on each property); the defaults suit the real services. Check a policy
/// built from user input with <see cref="Validate"/> before use: <see cref="SourceHttpFactory"/> refuses
/// an invalid one.
/// </summary>
public sealed record HttpPolicy
{
    /// <summary>
    /// Retries after the first attempt on 5xx, attempt timeouts and dropped connections
    /// (<c>http.maxRetries</c>). 0 to 100; default 4, so five attempts in all.
    /// </summary>
    public int MaxRetries { get; init; } = 4;

    /// <summary>
    /// First backoff delay of those retries; later ones double, with jitter
    /// (<c>http.retryBaseDelayMilliseconds</c>). 0 to 1 min; default 500 ms.
    /// </summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Time one attempt may take, answer body included (<c>http.attemptTimeoutSeconds</c>).
    /// 10 ms to 1 h; default 30 s.
    /// </summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Longest single wait for a rate limit to reset; a longer one fails the source at once with that
    /// reason instead of hanging the run (<c>http.maxRateLimitWaitSeconds</c>). 0 to 24 h; default 2 min.
    /// </summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Waits for a rate limit one request may spend, separate from <see cref="MaxRetries"/> so a busy
    /// limit does not eat the budget for errors (<c>http.maxRateLimitWaits</c>). 0 to 100; default 5.
    /// </summary>
    public int MaxRateLimitWaits { get; init; } = 5;

    /// <summary>
    /// First wait on a rate-limit answer that says neither <c>Retry-After</c> nor when the limit resets
    /// (GitHub's secondary limits); later ones double (<c>http.rateLimitBackoffSeconds</c>). GitHub asks
    /// for at least a minute. 0 to 1 h; default 60 s.
    /// </summary>
    public TimeSpan RateLimitBackoff { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Added to waits for <c>Retry-After</c> or the reset time, so a clock slightly behind the server's
    /// does not come back a moment too early. 0 to 1 min; default 1 s.
    /// </summary>
    public TimeSpan RateLimitMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Time a whole source may take before it fails as hung (<c>http.sourceTimeoutSeconds</c>). 1 s to 24 h; default 5 min.</summary>
    public TimeSpan SourceTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Largest answer body a source may receive (<c>http.maxResponseMegabytes</c>), so a runaway or hostile
    /// service cannot exhaust memory: a larger one fails the source with that reason. 1 to 4096 MB; default 64 MB.
    /// </summary>
    public int MaxResponseMegabytes { get; init; } = 64;

    /// <summary>
    /// Folder of the conditional-request cache (see <see cref="HttpCacheLocation.Default"/>); null
    /// disables it (<c>--no-cache</c>).
    /// </summary>
    public string? CacheDirectory { get; init; }

    /// <summary>
    /// Most the cache folder may hold after a run; the least recently used entries go first
    /// (<c>http.cacheMaxMegabytes</c>). 1 MB to 100 GB; default 256 MB.
    /// </summary>
    public long CacheMaxBytes { get; init; } = 256L * Megabyte;

    /// <summary>
    /// Entries unused for longer are deleted after a run (<c>http.cacheMaxAgeDays</c>). 1 h to 10 years;
    /// default 30 days, so a monthly report still finds last month's answers.
    /// </summary>
    public TimeSpan CacheMaxAge { get; init; } = TimeSpan.FromDays(30);

    /// <summary>Bytes in the megabyte of <c>http.cacheMaxMegabytes</c>.</summary>
    public const long Megabyte = 1024 * 1024;

    /// <summary>Every problem of this policy, each naming its plugins.json key; empty when valid.</summary>
    public IReadOnlyList<Problem> Validate()
    {
        var problems = new List<Problem>();
        CheckRange(problems, "http.maxRetries", MaxRetries, 0, 100);
        CheckRange(problems, "http.maxRateLimitWaits", MaxRateLimitWaits, 0, 100);
        CheckRange(problems, "http.retryBaseDelayMilliseconds", RetryBaseDelay, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        CheckRange(problems, "http.attemptTimeoutSeconds", AttemptTimeout, TimeSpan.FromMilliseconds(10), TimeSpan.FromHours(1));
        CheckRange(problems, "http.maxRateLimitWaitSeconds", MaxRateLimitWait, TimeSpan.Zero, TimeSpan.FromHours(24));
        CheckRange(problems, "http.rateLimitBackoffSeconds", RateLimitBackoff, TimeSpan.Zero, TimeSpan.FromHours(1));
        CheckRange(problems, "http.rateLimitMarginSeconds", RateLimitMargin, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        CheckRange(problems, "http.sourceTimeoutSeconds", SourceTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromHours(24));
        CheckRange(problems, "http.maxResponseMegabytes", MaxResponseMegabytes, 1, 4096);
        CheckRange(problems, "http.cacheMaxMegabytes", CacheMaxBytes / Megabyte, 1, 100 * 1024);
        CheckRange(problems, "http.cacheMaxAgeDays", CacheMaxAge, TimeSpan.FromHours(1), TimeSpan.FromDays(3653));
        if (CacheDirectory is not null && (CacheDirectory.Length == 0 || !Path.IsPathFullyQualified(CacheDirectory)))
        {
            problems.Add(Problem.Error("$.http", $"the HTTP cache folder must be an absolute path, not '{CacheDirectory}'"));
        }

        return problems;
    }

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem when the policy is invalid.</summary>
    public void EnsureValid()
    {
        var problems = Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid HTTP policy: " + string.Join("; ", problems));
        }
    }

    private static void CheckRange<T>(List<Problem> problems, string key, T value, T min, T max)
        where T : IComparable<T>
    {
        if (value.CompareTo(min) < 0 || value.CompareTo(max) > 0)
        {
            problems.Add(Problem.Error($"$.{key}", $"must be between {Describe(min)} and {Describe(max)}, not {Describe(value)}"));
        }
    }

    private static string Describe<T>(T value) => value is TimeSpan span ? HumanTime.Describe(span) : $"{value}";
}

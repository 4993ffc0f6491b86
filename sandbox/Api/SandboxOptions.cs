namespace OkrHost.Sandbox;

/// <summary>Size of the simulated organisation.</summary>
public enum SandboxProfile
{
    /// <summary>Small and fast: the README's demo and the tests.</summary>
    Demo,

    /// <summary>
    /// For the benchmark: about 40 repositories and 4,000 deployments, 30,000 Linear issues, 3,000
    /// channels with 150 war rooms, 10,000 annotations and 300 key results.
    /// </summary>
    Large,
}

/// <summary>How the sandbox is started. Everything is deterministic for a given seed and <see cref="Now"/>.</summary>
public sealed record SandboxOptions
{
    /// <summary>Seed of every random choice in the organisation and in fault injection.</summary>
    public int Seed { get; init; } = 42;

    /// <summary>Size of the organisation.</summary>
    public SandboxProfile Profile { get; init; } = SandboxProfile.Demo;

    /// <summary>
    /// The sandbox's "now": the organisation's history covers the six months before it. Defaults to the
    /// current hour, so a demo is always current; tests pin it.
    /// </summary>
    public DateTimeOffset? Now { get; init; }

    /// <summary>Port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Added to every answer, to make request counts matter as they do against real services.</summary>
    public TimeSpan Latency { get; init; } = TimeSpan.Zero;

    /// <summary>Faults to inject (see <see cref="FaultSpec"/>).</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];
}

/// <summary>The kinds of fault the sandbox can inject.</summary>
public enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c>.</summary>
    RateLimit,
    /// <summary>HTTP 500/502/503.</summary>
    ServerError,
    /// <summary>The connection is dropped without an answer.</summary>
    Drop,
    /// <summary>The answer comes later than any sensible client timeout.</summary>
    Slow,
    /// <summary>A 200 whose body is not valid JSON.</summary>
    Malformed,
    /// <summary>The service's own answer to a bad token.</summary>
    AuthFailure,
    /// <summary>Every request fails with 503.</summary>
    Outage,
    /// <summary>GitHub GraphQL only: a query asking for pages over 50 items runs too long and is answered 502 or 504.</summary>
    HeavyQuery,
    /// <summary>GitHub GraphQL only: the answer's first repository is null, with an error naming its path beside the rest of the data.</summary>
    PartialData,
}

/// <summary>
/// One fault rule: for requests to <see cref="Service"/> (null: all), inject <see cref="Kind"/> on a
/// deterministic <see cref="Rate"/> share of requests, at most <see cref="Count"/> times.
/// </summary>
public sealed record FaultSpec(FaultKind Kind, string? Service = null, double Rate = 1.0, int Count = int.MaxValue)
{
    /// <summary>Services a rule may name; <c>*</c> in <see cref="Parse"/> means all of them.</summary>
    public static readonly IReadOnlyList<string> Services = ["github", "linear", "slack", "grafana", "notion"];

    /// <summary>How long a <see cref="FaultKind.Slow"/> answer is held back: longer than the host's 30 s attempt timeout by default.</summary>
    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(35);

    /// <summary>
    /// Reads rules in the CLI form <c>service:kind[:rate[:count]]</c>, comma-separated, e.g.
    /// <c>github:rate-limit:0.2,slack:server-error:0.1:3,notion:outage</c>. The service is one of
    /// <see cref="Services"/> or <c>*</c>; the kind is kebab-case (<c>rate-limit</c>, <c>server-error</c>,
    /// <c>drop</c>, <c>slow</c>, <c>malformed</c>, <c>auth-failure</c>, <c>outage</c>, <c>heavy-query</c>, <c>partial-data</c>); the rate is a share
    /// in (0, 1] (default 1) and the count a positive cap (default unlimited).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="FormatException">A rule is malformed; the message names it and says what is expected.</exception>
    public static IReadOnlyList<FaultSpec> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new FormatException("no fault rules given: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2");
        }

        return text.Split(',').Select(rule => ParseRule(rule.Trim())).ToArray();
    }

    private static FaultSpec ParseRule(string rule)
    {
        var parts = rule.Split(':');
        if (parts.Length is < 2 or > 4 || parts.Any(p => p.Length == 0))
        {
            throw new FormatException($"fault rule '{rule}' is malformed: expected service:kind[:rate[:count]], e.g. github:rate-limit:0.2");
        }

        var service = parts[0].Trim().ToLowerInvariant();
        if (service != "*" && !Services.Contains(service))
        {
            throw new FormatException($"fault rule '{rule}': unknown service '{parts[0]}' (expected *, {string.Join(", ", Services)})");
        }

        var kindName = parts[1].Trim();
        var kind = Enum.GetValues<FaultKind>().Where(k => KebabCase(k) == kindName.ToLowerInvariant()).Select(k => (FaultKind?)k).FirstOrDefault()
            ?? throw new FormatException(
                $"fault rule '{rule}': unknown kind '{kindName}' (expected {string.Join(", ", Enum.GetValues<FaultKind>().Select(KebabCase))})");

        var rate = 1.0;
        if (parts.Length > 2
            && !(double.TryParse(parts[2], System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out rate) && rate > 0 && rate <= 1))
        {
            throw new FormatException($"fault rule '{rule}': rate '{parts[2]}' must be a number greater than 0 and at most 1");
        }

        var count = int.MaxValue;
        if (parts.Length > 3
            && !(int.TryParse(parts[3], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out count) && count > 0))
        {
            throw new FormatException($"fault rule '{rule}': count '{parts[3]}' must be a whole number of at least 1");
        }

        return new FaultSpec(kind, service == "*" ? null : service, rate, count);
    }

    /// <summary>The CLI name of a kind: <c>RateLimit</c> is <c>rate-limit</c>.</summary>
    public static string KebabCase(FaultKind kind) =>
        string.Concat(kind.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}

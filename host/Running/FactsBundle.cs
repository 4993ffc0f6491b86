using System.Reflection;
using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Running;

/// <summary>
/// What <c>okrhost collect</c> writes and <c>okrhost report --facts</c> / <c>okrhost merge</c> read
/// (docs/facts.md): every planned source's status and facts for one fetch window, and the OKRs when a
/// plugin provides them. Holds no token and no setting: a bundle can travel between machines and jobs.
/// </summary>
public sealed record FactsBundle
{
    public const string FormatName = "okrhost-facts";

    /// <summary>Raised when the layout changes in a way an older reader would misread.</summary>
    public const int CurrentFormatVersion = 1;

    public string Format { get; init; } = FormatName;

    public int FormatVersion { get; init; } = CurrentFormatVersion;

    /// <summary>Version of the okrhost that collected.</summary>
    public string? ToolVersion { get; init; }

    /// <summary>Version of OkrHost.Contracts the host spoke, hence the fact kinds' shapes.</summary>
    public string? ContractsVersion { get; init; }

    public DateTimeOffset CollectedAt { get; init; }

    /// <summary>The report period the collection was asked for.</summary>
    public required BundleWindow Period { get; init; }

    /// <summary>What the period was compared with (a calendar period's previous month or quarter); null in older bundles.</summary>
    public BundleWindow? Previous { get; init; }

    /// <summary>The window every ok source's facts are complete for: the period, the previous period and the trend weeks.</summary>
    public required BundleWindow FetchWindow { get; init; }

    public int TrendWeeks { get; init; }

    /// <summary>The shard this bundle is, for <c>collect --shard i/N</c>; null for a whole collection.</summary>
    public BundleShard? Shard { get; init; }

    public IReadOnlyList<BundleSource> Sources { get; init; } = [];

    /// <summary>The OKRs read from the plugin named by <c>okrs.source</c>, when this collection ran it; null otherwise.</summary>
    public BundleOkrs? Okrs { get; init; }
}

/// <summary>A half-open UTC window <c>[from, to)</c>.</summary>
public sealed record BundleWindow(DateTimeOffset From, DateTimeOffset To)
{
    public ReportPeriod Period => new(From, To);

    public static BundleWindow Of(ReportPeriod period) => new(period.From, period.To);

    public bool Covers(ReportPeriod window) => From <= window.From && window.To <= To;

    public override string ToString() => Period.ToString();
}

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/>.</summary>
public sealed record BundleShard(int Index, int Count);

/// <summary>One source in a bundle.</summary>
/// <param name="Id">The source's id.</param>
/// <param name="Status">ok, failed, not-configured or disabled (a shard without work on it is disabled).</param>
/// <param name="Error">Why the source is not ok.</param>
/// <param name="Requests">HTTP requests the collection made.</param>
/// <param name="DurationMs">Wall time of the collection.</param>
/// <param name="Facts">The facts, when ok.</param>
public sealed record BundleSource(string Id, SourceStatus Status, string? Error, long Requests, long DurationMs, FactSet? Facts)
{
    /// <summary>The partition setting of a sharded collection (<c>repositories</c>); null when the source was not split.</summary>
    public string? PartitionSetting { get; init; }

    /// <summary>This shard's entries of <see cref="PartitionSetting"/>.</summary>
    public IReadOnlyList<string>? Partition { get; init; }

    /// <summary>False when the source had no work in this shard (another shard collects it): the merge ignores this entry.</summary>
    public bool InShard { get; init; } = true;
}

/// <summary>OKRs a plugin provided, already checked against the installed metrics.</summary>
public sealed record BundleOkrs(string? Origin, OkrDocument? Document, IReadOnlyList<Problem> Problems);

/// <summary>Writes and reads <see cref="FactsBundle"/> files with the facts' kinds (<see cref="FactJson"/>).</summary>
/// <param name="facts">The installed plugins' fact kinds.</param>
/// <param name="knownMetrics">The metric ids a bundle's key results may name; null leaves them unchecked.</param>
public sealed class FactsBundleJson(FactJson facts, IReadOnlySet<string>? knownMetrics = null)
{
    // A bundle may have been edited or damaged: a null where the format has none, or a number written as
    // text ("NaN"), is refused with its path instead of failing later.
    private readonly JsonSerializerOptions _readOptions = new(facts.Options)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.Strict,
    };

    public static string? ToolVersion => typeof(FactsBundle).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0];

    public static string? ContractsVersion => typeof(ISourcePlugin).Assembly.GetName().Version?.ToString(3);

    public string Serialize(FactsBundle bundle) => JsonSerializer.Serialize(bundle, facts.Options);

    /// <summary>Reads one bundle; <paramref name="name"/> is how messages name the file.</summary>
    /// <exception cref="InvalidDataException">Not a bundle, another format version, or facts of a kind no installed plugin declares.</exception>
    public FactsBundle Deserialize(string json, string name)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{name}: not JSON: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            var format = root.ValueKind == JsonValueKind.Object && root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (format != FactsBundle.FormatName)
            {
                throw new InvalidDataException($"{name}: $.format: not an okrhost facts bundle (write one with okrhost collect --out FILE)");
            }

            var version = root.TryGetProperty("formatVersion", out var v) ? v : default;
            if (version.ValueKind != JsonValueKind.Number || !version.TryGetInt32(out var number) || number != FactsBundle.CurrentFormatVersion)
            {
                var written = version.ValueKind == JsonValueKind.Undefined ? "missing" : version.GetRawText();
                throw new InvalidDataException($"{name}: $.formatVersion: {written} is not supported (this okrhost reads {FactsBundle.CurrentFormatVersion})");
            }

            FactsBundle bundle;
            try
            {
                bundle = root.Deserialize<FactsBundle>(_readOptions) ?? throw new JsonException("the bundle is null");
            }
            catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException)
            {
                throw new InvalidDataException($"{name}: cannot read the facts: {ex.Message} (are the same plugins installed as where it was collected?)", ex);
            }

            var problems = FactsBundleCheck.Problems(bundle, root, name, knownMetrics);
            return problems.Count == 0 ? bundle : throw new InvalidDataException(string.Join(Environment.NewLine + "error: ", problems));
        }
    }
}

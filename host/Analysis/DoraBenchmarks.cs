using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Analysis;

/// <summary>A published benchmark: the mean and standard deviation of a 0–10 score.</summary>
public sealed record PublishedScore(double Mean, double Sd);

/// <summary>One row of a Quick Check data file: an industry or an organisation size, and its published scores by the data's keys.</summary>
public sealed record BenchmarkGroup(string Key, string Name, IReadOnlyDictionary<string, PublishedScore> Scores);

/// <summary>One edition of the Quick Check data: its industries and its organisation sizes, each on the higher-is-better scale.</summary>
public sealed record BenchmarkEdition(string Name, IReadOnlyDictionary<string, BenchmarkGroup> Industries, IReadOnlyDictionary<string, BenchmarkGroup> Sizes);

/// <summary>The <c>dora.benchmark</c> choice: an edition and keys of its industry and organisation-size data.</summary>
public sealed record DoraBenchmarkChoice(string Edition, string Industry, string OrganizationSize)
{
    public static readonly DoraBenchmarkChoice Default = new("2025", "all", "all");
}

/// <summary>
/// The DORA Quick Check's benchmarks (embedded from <c>Analysis/Dora/</c>, source and licence in its
/// README), read on the higher-is-better scale the Quick Check shows them on (PRODUCT.md section 14), and
/// the <c>doraBenchmarks[]</c> rows of a report.
/// </summary>
public sealed class DoraBenchmarks
{
    private const string EditionKey = "edition";
    private const string IndustryKey = "industry";
    private const string SizeKey = "organizationSize";

    // The data's keys of the five metrics, in the order of the score ids they benchmark.
    private static readonly (string ScoreId, string DataKey)[] MetricKeys =
    [
        (DoraScores.LeadTime, "leadtime"),
        (DoraScores.DeploymentFrequency, "deployfreq"),
        (DoraScores.Recovery, "failurerecovery"),
        (DoraScores.ChangeFailure, "changefailure"),
        (DoraScores.Rework, "rework"),
    ];

    private const string ThroughputKey = "software_delivery_throughput";
    private const string InstabilityKey = "software_delivery_instability";
    private const string AverageKey = "performance_average";

    /// <summary>Published as instability (0 best) in every file: read as 10 − mean.</summary>
    private static readonly string[] InstabilityKeys = ["changefailure", "rework", InstabilityKey];

    private DoraBenchmarks(IReadOnlyDictionary<string, BenchmarkEdition> editions) => Editions = editions;

    /// <summary>The editions embedded in the host, by name ("2024", "2025").</summary>
    public static DoraBenchmarks Published { get; } = Load();

    public IReadOnlyDictionary<string, BenchmarkEdition> Editions { get; }

    /// <summary>The <c>dora.benchmark</c> object of the DORA settings, defaults filled in; assumes it was validated.</summary>
    public static DoraBenchmarkChoice Choice(JsonElement doraSettings)
    {
        if (doraSettings.ValueKind != JsonValueKind.Object || !doraSettings.TryGetProperty(DoraAnalyzer.BenchmarkKey, out var benchmark) || benchmark.ValueKind != JsonValueKind.Object)
        {
            return DoraBenchmarkChoice.Default;
        }

        string Text(string key, string fallback) =>
            benchmark.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : fallback;
        return new DoraBenchmarkChoice(
            Text(EditionKey, DoraBenchmarkChoice.Default.Edition),
            Text(IndustryKey, DoraBenchmarkChoice.Default.Industry),
            Text(SizeKey, DoraBenchmarkChoice.Default.OrganizationSize));
    }

    /// <summary>Every problem with a <c>dora.benchmark</c> value: not an object, an unknown key, an edition, industry or size the data lacks.</summary>
    public IReadOnlyList<Problem> Validate(JsonElement benchmark, string path)
    {
        if (benchmark.ValueKind != JsonValueKind.Object)
        {
            return [Problem.Error(path, $"must be an object like {{ \"{EditionKey}\": \"2025\", \"{IndustryKey}\": \"all\", \"{SizeKey}\": \"all\" }}, not {benchmark.GetRawText()}")];
        }

        var problems = new List<Problem>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in benchmark.EnumerateObject())
        {
            if (property.Name == Configuration.JsonReader.CommentKey)
            {
                continue;
            }

            if (property.Name is not (EditionKey or IndustryKey or SizeKey))
            {
                problems.Add(Problem.Error($"{path}.{property.Name}", $"unknown key '{property.Name}' (known: {EditionKey}, {IndustryKey}, {SizeKey})"));
            }
            else if (property.Value.ValueKind != JsonValueKind.String)
            {
                problems.Add(Problem.Error($"{path}.{property.Name}", $"must be a string, not {property.Value.GetRawText()}"));
            }
            else
            {
                values[property.Name] = property.Value.GetString()!;
            }
        }

        var editionName = values.GetValueOrDefault(EditionKey, DoraBenchmarkChoice.Default.Edition);
        if (!Editions.TryGetValue(editionName, out var edition))
        {
            problems.Add(Problem.Error($"{path}.{EditionKey}", $"unknown edition '{editionName}' (known: {string.Join(", ", Editions.Keys.Order(StringComparer.Ordinal))})"));
            return problems;
        }

        foreach (var (key, groups, what) in new[] { (IndustryKey, edition.Industries, "industry"), (SizeKey, edition.Sizes, "organisation size") })
        {
            if (values.TryGetValue(key, out var chosen) && !groups.ContainsKey(chosen))
            {
                problems.Add(Problem.Error($"{path}.{key}", $"unknown {what} '{chosen}' in the {edition.Name} edition (known: {string.Join(", ", groups.Keys)})"));
            }
        }

        return problems;
    }

    /// <summary>The snapshot with its DORA scores' benchmarks, chosen by the DORA settings' <c>benchmark</c> (validated before the run).</summary>
    public static ReportSnapshot Attach(ReportSnapshot snapshot, JsonElement doraSettings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var (basis, rows) = Published.For(Choice(doraSettings), snapshot.Metrics);
        return snapshot with { DoraBenchmark = basis, DoraBenchmarks = rows };
    }

    /// <summary>
    /// What the report says about the benchmarks: the chosen groups' names and, for each score id, the
    /// score of <paramref name="metrics"/> beside the industry's and the organisation size's mean and sd.
    /// </summary>
    public (DoraBenchmarkBasis Basis, IReadOnlyList<DoraBenchmarkRow> Rows) For(DoraBenchmarkChoice choice, IReadOnlyList<MetricReport> metrics)
    {
        ArgumentNullException.ThrowIfNull(choice);
        ArgumentNullException.ThrowIfNull(metrics);
        var edition = Editions[choice.Edition];
        var industry = edition.Industries[choice.Industry];
        var size = edition.Sizes[choice.OrganizationSize];
        var scores = metrics.ToDictionary(m => m.Id, m => m.Value, StringComparer.Ordinal);
        var rows = DoraScores.Ids.Select(id =>
        {
            var (industryMean, industrySd) = Benchmark(industry, id);
            var (sizeMean, sizeSd) = Benchmark(size, id);
            return new DoraBenchmarkRow(id, scores.GetValueOrDefault(id), industryMean, industrySd, sizeMean, sizeSd);
        }).ToArray();
        return (new DoraBenchmarkBasis(edition.Name, industry.Key, industry.Name, size.Key, size.Name), rows);
    }

    /// <summary>The benchmark of one score id in one group, on the higher-is-better scale; (null, null) where the edition has none.</summary>
    public static (double? Mean, double? Sd) Benchmark(BenchmarkGroup group, string scoreId)
    {
        ArgumentNullException.ThrowIfNull(group);
        PublishedScore? Of(string key) => group.Scores.GetValueOrDefault(key);
        var published = scoreId switch
        {
            DoraScores.Throughput => Of(ThroughputKey),
            DoraScores.Stability => Of(InstabilityKey),
            // The Quick Check's performance average: the mean of the metric means the edition has, its sd as published.
            DoraScores.Overall => MetricKeys.Select(m => Of(m.DataKey)).OfType<PublishedScore>().ToArray() is { Length: > 0 } means && Of(AverageKey) is { } average
                ? new PublishedScore(means.Average(m => m.Mean), average.Sd)
                : null,
            _ => MetricKeys.Where(m => m.ScoreId == scoreId).Select(m => Of(m.DataKey)).FirstOrDefault(),
        };
        return published is null ? (null, null) : (Math.Round(published.Mean, 3), published.Sd);
    }

    private static DoraBenchmarks Load()
    {
        var editions = new Dictionary<string, BenchmarkEdition>(StringComparer.Ordinal);
        foreach (var name in new[] { "2024", "2025" })
        {
            editions[name] = new BenchmarkEdition(
                name,
                Groups($"{name}_industry_metrics.json", invertedToo: []),
                // In the 2025 organisation-size file failure recovery is published inverted: its "all" row reads
                // 2.6 where the industry file's reads 7.4 for the same population (PRODUCT.md section 14).
                Groups($"{name}_organization_size_metrics.json", invertedToo: name == "2025" ? ["failurerecovery"] : []));
        }

        return new DoraBenchmarks(editions);
    }

    /// <summary>A data file's rows in file order, every score on the higher-is-better scale.</summary>
    private static IReadOnlyDictionary<string, BenchmarkGroup> Groups(string file, string[] invertedToo)
    {
        using var document = JsonDocument.Parse(Resource(file));
        var groups = new Dictionary<string, BenchmarkGroup>(StringComparer.Ordinal);
        foreach (var group in document.RootElement.EnumerateObject())
        {
            var scores = new Dictionary<string, PublishedScore>(StringComparer.Ordinal);
            foreach (var metric in group.Value.EnumerateObject().Where(p => p.Value.ValueKind == JsonValueKind.Object))
            {
                var mean = metric.Value.GetProperty("mean").GetDouble();
                var inverted = InstabilityKeys.Contains(metric.Name) || invertedToo.Contains(metric.Name);
                scores[metric.Name] = new PublishedScore(inverted ? 10 - mean : mean, metric.Value.GetProperty("std").GetDouble());
            }

            groups[group.Name] = new BenchmarkGroup(group.Name, group.Value.GetProperty("name").GetString() ?? group.Name, scores);
        }

        return groups;
    }

    /// <summary>The Quick Check's answer categories of a time-based question ("leadtime", "deployfreq", "failurerecovery"), 1..6.</summary>
    public static IReadOnlyDictionary<int, string> Answers(string question)
    {
        using var document = JsonDocument.Parse(Resource("metrics_question_responses.json"));
        return document.RootElement.GetProperty(question).EnumerateObject()
            .ToDictionary(p => int.Parse(p.Name, System.Globalization.CultureInfo.InvariantCulture), p => p.Value.GetString() ?? "");
    }

    private static string Resource(string file)
    {
        using var stream = typeof(DoraBenchmarks).Assembly.GetManifestResourceStream("dora/" + file)
            ?? throw new InvalidOperationException($"the embedded DORA data dora/{file} is missing from the build");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

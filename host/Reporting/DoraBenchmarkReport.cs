namespace OkrHost.Reporting;

/// <summary>
/// Which published DORA benchmarks the scores are read against (<c>dora.benchmark</c>), with the data's
/// own names for the chosen industry and organisation size: report.json <c>doraBenchmark</c>.
/// </summary>
public sealed record DoraBenchmarkBasis(string Edition, string Industry, string IndustryName, string OrganizationSize, string OrganizationSizeName);

/// <summary>
/// One <c>dora.score.*</c> metric beside its benchmarks (report.json <c>doraBenchmarks[]</c>, PRODUCT.md
/// section 14): the score this period and the published mean and standard deviation of the chosen industry
/// and organisation size, all on the higher-is-better 0–10 scale; null where the edition has no such entry.
/// </summary>
public sealed record DoraBenchmarkRow(string Metric, double? Score, double? IndustryMean, double? IndustrySd, double? SizeMean, double? SizeSd);

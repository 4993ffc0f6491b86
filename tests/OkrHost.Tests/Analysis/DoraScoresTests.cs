using System.Text.Json;
using OkrHost.Analysis;
using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Tests.Analysis;

/// <summary>The Quick Check's own arithmetic (PRODUCT.md section 14), on its reference values.</summary>
public sealed class DoraScoresTests
{
    [Theory]
    [InlineData(1, 0)]
    [InlineData(6, 10)]
    [InlineData(3.5, 5)]
    [InlineData(4, 6)]
    public void An_answer_category_recodes_linearly_to_0_to_10(double category, double score) =>
        Assert.Equal(score, DoraScores.Recode(category));

    [Theory]
    [InlineData(0, 10)]
    [InlineData(0.5, 5)]
    [InlineData(1, 0)]
    [InlineData(0.25, 7.5)]
    public void A_failure_or_rework_rate_scores_10_minus_10_r(double rate, double score) =>
        Assert.Equal(score, DoraScores.FromRate(rate));

    [Theory]
    [InlineData(0.99, 6)]
    [InlineData(1, 5)]
    [InlineData(23.99, 5)]
    [InlineData(24, 4)]
    [InlineData(167.9, 4)]
    [InlineData(168, 3)]
    [InlineData(719, 3)]
    [InlineData(720, 2)]
    [InlineData(4379, 2)]
    [InlineData(4380, 1)]
    public void Lead_and_recovery_times_fall_in_the_Quick_Check_answers(double hours, int category) =>
        Assert.Equal(category, DoraScores.DurationCategory(hours));

    [Theory]
    [InlineData(14, 6)]
    [InlineData(13.9, 5)]
    [InlineData(7, 5)]
    [InlineData(6.9, 4)]
    [InlineData(1, 4)]
    [InlineData(0.99, 3)]
    [InlineData(7.0 / 30, 3)]
    [InlineData(0.2, 2)]
    [InlineData(7.0 / 182.5, 2)]
    [InlineData(0.03, 1)]
    [InlineData(0, 1)]
    public void Deployment_frequency_falls_in_the_Quick_Check_answers(double perWeek, int category) =>
        Assert.Equal(category, DoraScores.FrequencyCategory(perWeek));

    [Fact]
    public void A_score_needs_a_sample_of_five_and_the_means_take_the_scores_that_have_a_value()
    {
        var scores = DoraScores.Compute(
            new MetricValue("lead", 30) { SampleSize = 5 },
            new MetricValue("freq", 7.5),
            new MetricValue("recovery", 0.5) { SampleSize = 4 },
            new MetricValue("cfr", 0.1) { SampleSize = 40 },
            new MetricValue("rework", null) { SampleSize = 0 }).ToDictionary(s => s.Id, s => s.Value);

        // 30 h is "one day to one week", answer 4: 2 × 3 = 6.
        Assert.Equal(6.0, scores[DoraScores.LeadTime]);
        Assert.Equal(8.0, scores[DoraScores.DeploymentFrequency]);
        Assert.Null(scores[DoraScores.Recovery]);
        Assert.Equal(9.0, scores[DoraScores.ChangeFailure]);
        Assert.Null(scores[DoraScores.Rework]);
        Assert.Equal(7.0, scores[DoraScores.Throughput]);
        Assert.Equal(9.0, scores[DoraScores.Stability]);
        Assert.Equal((6.0 + 8.0 + 9.0) / 3, scores[DoraScores.Overall]);
        Assert.Equal(DoraScores.Ids, scores.Keys);
    }

    [Fact]
    public void With_no_metric_scored_every_score_is_null()
    {
        var none = new MetricValue("x", null);
        Assert.All(DoraScores.Compute(none, none, none, none, none), s => Assert.Null(s.Value));
    }
}

/// <summary>The Quick Check's benchmark data read on the higher-is-better scale, and <c>dora.benchmark</c> checked against its keys.</summary>
public sealed class DoraBenchmarksTests
{
    private static readonly DoraBenchmarks Data = DoraBenchmarks.Published;

    private static IReadOnlyDictionary<string, DoraBenchmarkRow> Rows(string edition, string industry = "all", string size = "all") =>
        Data.For(new DoraBenchmarkChoice(edition, industry, size), []).Rows.ToDictionary(r => r.Metric);

    [Fact]
    public void The_2025_all_industries_means_match_the_Quick_Check_on_the_higher_is_better_scale()
    {
        var rows = Rows("2025");

        Assert.Equal((5.5, 2.4), (rows[DoraScores.LeadTime].IndustryMean, rows[DoraScores.LeadTime].IndustrySd));
        Assert.Equal((4.8, 2.8), (rows[DoraScores.DeploymentFrequency].IndustryMean, rows[DoraScores.DeploymentFrequency].IndustrySd));
        Assert.Equal(7.4, rows[DoraScores.Recovery].IndustryMean);
        Assert.Equal((8.1, 2.1), (rows[DoraScores.ChangeFailure].IndustryMean, rows[DoraScores.ChangeFailure].IndustrySd));
        Assert.Equal((7.8, 2.2), (rows[DoraScores.Rework].IndustryMean, rows[DoraScores.Rework].IndustrySd));
        Assert.Equal((6.0, 2.1), (rows[DoraScores.Throughput].IndustryMean, rows[DoraScores.Throughput].IndustrySd));
        Assert.Equal((7.9, 2.0), (rows[DoraScores.Stability].IndustryMean, rows[DoraScores.Stability].IndustrySd));
        // The performance average: (5.5 + 4.8 + 7.4 + 8.1 + 7.8) / 5, with performance_average's sd.
        Assert.Equal((6.72, 1.2), (rows[DoraScores.Overall].IndustryMean, rows[DoraScores.Overall].IndustrySd));
        Assert.Equal(DoraScores.Ids, rows.Keys);
    }

    [Fact]
    public void The_2025_organisation_size_file_publishes_recovery_inverted_and_is_read_back_on_the_same_scale()
    {
        var rows = Rows("2025");
        // Same population ("all") in both files: the same benchmark once the size file's recovery is turned round.
        Assert.All(rows.Values, r => Assert.Equal((r.IndustryMean, r.IndustrySd), (r.SizeMean, r.SizeSd)));
        var solo = Rows("2025", size: "solo");
        Assert.Equal(10 - 2.8, solo[DoraScores.Recovery].SizeMean!.Value, 10);
        Assert.Equal(10 - 3.3, solo[DoraScores.Rework].SizeMean!.Value, 10);
    }

    [Fact]
    public void The_2024_edition_has_four_metrics_and_no_rework_throughput_or_stability()
    {
        var rows = Rows("2024", "financial_services", "fewer_than_100");

        Assert.All([DoraScores.Rework, DoraScores.Throughput, DoraScores.Stability], id =>
            Assert.Equal((null, null, null, null), (rows[id].IndustryMean, rows[id].IndustrySd, rows[id].SizeMean, rows[id].SizeSd)));
        Assert.Equal(10 - 1.6, rows[DoraScores.ChangeFailure].IndustryMean!.Value, 10);
        Assert.Equal(7.9, rows[DoraScores.Recovery].SizeMean);
        // Financial services: (4.9 + 5.2 + 7.9 + 8.4) / 4, sd of its performance_average.
        Assert.Equal((6.6, 1.6), (rows[DoraScores.Overall].IndustryMean, rows[DoraScores.Overall].IndustrySd));
    }

    [Fact]
    public void The_rows_carry_the_reports_scores_and_the_basis_names_the_groups()
    {
        var metrics = new[] { new MetricReport { Id = DoraScores.Overall, Source = "dora", Title = "t", Unit = MetricUnit.Score, Value = 7.25 } };
        var (basis, rows) = Data.For(new DoraBenchmarkChoice("2025", "technology", "fewer_than_100"), metrics);

        Assert.Equal(new DoraBenchmarkBasis("2025", "technology", "Technology", "fewer_than_100", "20 to 99 employees"), basis);
        Assert.Equal(7.25, rows.Single(r => r.Metric == DoraScores.Overall).Score);
        Assert.All(rows.Where(r => r.Metric != DoraScores.Overall), r => Assert.Null(r.Score));
    }

    [Theory]
    [InlineData("""{ "edition": "2023" }""", "$.dora.benchmark.edition: unknown edition '2023' (known: 2024, 2025)")]
    [InlineData("""{ "industry": "retail" }""", "$.dora.benchmark.industry: unknown industry 'retail' in the 2025 edition (known: all, consumer, media_entertainment, non_profit, technology, telecommunications, other, education, financial_services, healthcare_pharmaceuticals, energy, government, insurance, industrials_manufacturing)")]
    [InlineData("""{ "edition": "2024", "organizationSize": "solo" }""", "$.dora.benchmark.organizationSize: unknown organisation size 'solo' in the 2024 edition (known: all, fewer_than_00002, fewer_than_010, fewer_than_020, fewer_than_100, fewer_than_500, fewer_than_1000, fewer_than_5000, fewer_than_10000, more_than_9999)")]
    [InlineData("""{ "industy": "all" }""", "$.dora.benchmark.industy: unknown key 'industy' (known: edition, industry, organizationSize)")]
    [InlineData("""{ "edition": 2025 }""", "$.dora.benchmark.edition: must be a string, not 2025")]
    [InlineData("""["2025"]""", """$.dora.benchmark: must be an object like { "edition": "2025", "industry": "all", "organizationSize": "all" }, not ["2025"]""")]
    public void An_unknown_benchmark_key_is_a_config_error_listing_the_known_ones(string benchmark, string expected)
    {
        using var settings = JsonDocument.Parse($$"""{ "benchmark": {{benchmark}} }""");
        var problem = Assert.Single(new DoraAnalyzer().ValidateSettings(settings.RootElement));
        Assert.Equal(ProblemSeverity.Error, problem.Severity);
        Assert.Equal(expected, $"{problem.JsonPath}: {problem.Message}");
    }

    [Fact]
    public void The_defaults_are_2025_all_industries_all_sizes_and_valid_choices_pass()
    {
        Assert.Equal(DoraBenchmarkChoice.Default, DoraBenchmarks.Choice(default));
        using var settings = JsonDocument.Parse("""{ "benchmark": { "edition": "2024", "industry": "technology" } }""");
        Assert.Empty(new DoraAnalyzer().ValidateSettings(settings.RootElement));
        Assert.Equal(new DoraBenchmarkChoice("2024", "technology", "all"), DoraBenchmarks.Choice(settings.RootElement));
    }
}

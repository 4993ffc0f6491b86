using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Contracts;

namespace ExamplePlugin.Tests;

public class ExampleSourceTests
{
    private static readonly DateTimeOffset October = new(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly ReportPeriod FetchWindow = new(October.AddMonths(-1), October.AddMonths(1));

    private readonly ExampleSource _source = new();

    [Fact]
    public void Compute_counts_the_events_inside_the_window_only()
    {
        var facts = Facts(
            Event(October.AddSeconds(-1)),
            Event(October),
            Event(October.AddDays(15)),
            Event(October.AddMonths(1)));

        var october = _source.Compute(facts, new ComputeWindow(new ReportPeriod(October, October.AddMonths(1)), WithSection: false));
        var september = _source.Compute(facts, new ComputeWindow(new ReportPeriod(October.AddMonths(-1), October), WithSection: false));

        Assert.Equal(2, Value(october));
        Assert.Equal(1, Value(september));
    }

    [Fact]
    public void Compute_gives_a_value_for_every_declared_metric_and_a_weekly_series_for_the_report_period()
    {
        var result = _source.Compute(Facts(Event(October.AddDays(1)), Event(October.AddDays(9))), new ComputeWindow(new ReportPeriod(October, October.AddDays(14)), WithSection: true));

        Assert.Equal(_source.Metrics.Select(m => m.Id), result.Metrics.Select(m => m.Id));
        var series = Assert.Single(result.Series);
        Assert.Equal([1.0, 1.0], series.Points.Select(p => p.Value));
        Assert.Equal(October.AddDays(9), result.DataAsOf);
    }

    [Fact]
    public void Compute_gives_the_same_numbers_from_merged_collections_as_from_one()
    {
        var first = Facts(Event(October.AddDays(1)), Event(October.AddDays(2)));
        var second = Facts(Event(October.AddDays(2)), Event(October.AddDays(3)));
        var window = new ComputeWindow(new ReportPeriod(October, October.AddMonths(1)), WithSection: false);

        Assert.Equal(3, Value(_source.Compute(FactSet.Merge([first, second]), window)));
    }

    [Fact]
    public async Task Collect_finds_eventsPerDay_events_on_every_day_of_the_fetch_window_without_any_request()
    {
        var facts = await _source.CollectAsync(Context(new ExampleSettings { EventsPerDay = 3 }), CancellationToken.None);

        Assert.Equal(FetchWindow, facts.Window);
        Assert.Equal(FetchWindow.Days * 3, facts.Facts.Count);
        Assert.All(facts.Facts, f => Assert.True(FetchWindow.Contains(((ExampleEventFact)f).At)));
        Assert.Equal(93, Value(_source.Compute(facts, new ComputeWindow(new ReportPeriod(October, October.AddMonths(1)), WithSection: false))));
    }

    [Theory]
    [InlineData(null, ProblemSeverity.Missing)]
    [InlineData(-1, ProblemSeverity.Error)]
    [InlineData(ExampleSource.MaxEventsPerDay + 1, ProblemSeverity.Error)]
    public void ValidateSettings_reports_a_missing_or_out_of_range_eventsPerDay_by_its_path(int? eventsPerDay, ProblemSeverity kind)
    {
        var problems = _source.ValidateSettings(Settings(new ExampleSettings { EventsPerDay = eventsPerDay }));

        var problem = Assert.Single(problems);
        Assert.Equal(kind, problem.Severity);
        Assert.Equal("$.sources.examplesource.eventsPerDay", problem.JsonPath);
    }

    [Fact]
    public void ValidateSettings_accepts_a_value_in_range()
    {
        Assert.Empty(_source.ValidateSettings(Settings(new ExampleSettings { EventsPerDay = 2 })));
    }

    private static ExampleEventFact Event(DateTimeOffset at) => new($"{at:O}", at) { UpdatedAt = at };

    private static FactSet Facts(params Fact[] facts) => new() { Window = FetchWindow, CollectedAt = FetchWindow.To, Facts = facts };

    private static double? Value(SourceComputation result) =>
        result.Metrics.Single(m => m.Id == ExampleSource.EventsMetric).Value;

    private static SourceSettings Settings(ExampleSettings values) =>
        new("examplesource", "$.sources.examplesource", values, token: null, tokenEnv: null, baseUrl: null, configDirectory: ".");

    private static CollectContext Context(ExampleSettings values) => new()
    {
        FetchWindow = FetchWindow,
        Settings = Settings(values),
        Http = new NoHttp(),
        Logger = NullLogger.Instance,
        Progress = new Progress<SourceProgress>(),
        Clock = TimeProvider.System,
    };

    /// <summary>Fails any request, so a test that passes proves the collection made none.</summary>
    private sealed class NoHttp : ISourceHttp
    {
        public HttpClient CreateClient(SourceHttpOptions options) => throw new InvalidOperationException("the example makes no requests");

        public HttpMessageHandler CreateHandler(SourceHttpOptions options) => throw new InvalidOperationException("the example makes no requests");
    }
}

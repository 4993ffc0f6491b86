using OkrHost.Analysis;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Plugins;
using OkrHost.Reporting;
using OkrHost.Running;
using OkrHost.Security;
using OkrHost.Testing;

namespace OkrHost.Tests.History;

/// <summary>PRODUCT.md section 8: a point-in-time metric's previous is a reading taken in the previous period, or nothing.</summary>
public sealed class PointInTimePreviousTests : IDisposable
{
    // A 30-day report ending 1 Dec; its previous period is [2 Oct, 1 Nov).
    private static readonly ReportWindows Windows = new(new ReportPeriod(new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero), new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)), TrendWeekCount: 4);
    private readonly TempFolder _folder = new();

    [Fact]
    public async Task The_previous_of_open_war_rooms_is_the_latest_reading_taken_in_the_previous_period()
    {
        var previous = await PreviousAsync((Windows.Previous.To.AddDays(-10), 7), (Windows.Previous.To, 5), (Windows.Period.To.AddDays(-7), 9));

        Assert.Equal(5, previous);
    }

    [Fact]
    public async Task A_reading_taken_last_week_is_not_the_previous_period_of_a_30_day_report()
    {
        var previous = await PreviousAsync((Windows.Period.To.AddDays(-7), 9), (Windows.Previous.From, 4));

        Assert.Null(previous);
    }

    public void Dispose() => _folder.Dispose();

    /// <summary>Stores one run per (period end, reading) and computes this report's slack.war_rooms_open previous.</summary>
    private async Task<double?> PreviousAsync(params (DateTimeOffset PeriodEnd, double Reading)[] readings)
    {
        await using var store = (await HistoryStores.OpenAsync(new SqliteHistory(_folder.Combine("okrhost.db")), _ => null, new Redactor(), TimeProvider.System, createIfMissing: true, default))!;
        var sample = SampleSnapshots.Full();
        foreach (var (end, reading) in readings)
        {
            await store.SaveRunAsync(new HistoryRun(sample with
            {
                GeneratedAt = end.AddHours(6),
                Period = new PeriodReport(end.AddDays(-30), end),
                PreviousPeriod = new PeriodReport(end.AddDays(-60), end.AddDays(-30)),
                Metrics = [.. sample.Metrics.Select(m => m.Id == "slack.war_rooms_open" ? m with { Value = reading } : m)],
            }, new RunProvenance("report", "9.9.9", "1.0.0", null)), [], default);
        }

        using var catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);
        var slack = catalog.Find("slack")!;
        var plan = new SourcePlan(slack, TestSources.Settings(slack.Plugin, "slack", [], null), true, null, []);
        var run = new SourceRun(plan, SourceStatus.Ok, null, 0, 0, new FactSet { Window = Windows.FetchWindow, CollectedAt = Windows.Period.To });
        var history = await StorePointInTimeHistory.LoadAsync(store, Windows.Period, ["slack.war_rooms_open"], default);

        var computation = ReportComputer.Compute(Windows, [run], AnalyzerCatalog.All, _ => default, history, TimeSpan.FromMinutes(1), new FixedClock(Windows.Period.To), Serilog.Core.Logger.None);

        return computation.Sources.Single().Metrics.Single(m => m.Id == "slack.war_rooms_open").Previous;
    }
}

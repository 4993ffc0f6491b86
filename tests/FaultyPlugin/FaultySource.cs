using System.Composition;
using OkrHost.Contracts;

namespace Faulty;

/// <summary>
/// Misbehaves as its <c>fault</c> setting says. Every fault is something a careless or hostile plugin
/// really does; the host must fail this source only and still write the report.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("faulty", "Faulty")]
public sealed class FaultySource : ISourcePlugin
{
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("faulty.a", "A", MetricUnit.Count, "The first number."),
        new("faulty.b", "B", MetricUnit.Count, "The second number."),
    ];

    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return Fault(settings) == "throw-in-settings"
            ? throw new InvalidOperationException("the settings check fell over")
            : [];
    }

    public Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var result = new SourceResult();
        result.Metrics.Add(new MetricValue("faulty.a", 1, 2));
        result.Metrics.Add(new MetricValue("faulty.b", 3, 4));
        var points = new List<SeriesPoint> { new(context.Period.From, 1) };
        var cells = new List<TableCell> { new("fine") };
        switch (Fault(context.Settings))
        {
            case "block":
                // Blocks the calling thread before any await, as sync-over-async code does; released
                // only when the test says so, so the abandoned thread does not outlive the test.
                File.WriteAllText(Path.Combine(context.Settings.ConfigDirectory, "started"), "");
                while (!File.Exists(Path.Combine(context.Settings.ConfigDirectory, "release")))
                {
                    Thread.Sleep(20);
                }

                break;
            case "throw":
                throw new InvalidOperationException("the plugin fell over");
            case "null-result":
                return Task.FromResult<SourceResult>(null!);
            case "duplicate-metric":
                result.Metrics.Add(new MetricValue("faulty.a", 5, 6));
                break;
            case "null-metric":
                result.Metrics.Add(null!);
                break;
            case "foreign-metric":
                result.Metrics.Add(new MetricValue("dora.change_failure_rate", 0, 0));
                break;
            case "infinite-metric":
                result.Metrics[0] = new MetricValue("faulty.a", double.PositiveInfinity, 2);
                break;
            case "nan-series":
                points.Add(new SeriesPoint(context.Period.From.AddDays(7), double.NaN));
                break;
            case "null-cell":
                cells.Add(null!);
                break;
            case "huge-strings":
                result.Notes.Add(new string('n', 200_000));
                cells.Add(new TableCell(new string('c', 200_000)));
                break;
        }

        result.Series.Add(new TimeSeries("weekly", "Weekly", MetricUnit.Count, SeriesBucket.Week, points));
        result.Tables.Add(new DataTable("cells", "Cells", cells.Select((_, i) => $"Column {i}").ToArray(), [cells]));
        return Task.FromResult(result);
    }

    private static string? Fault(SourceSettings settings) =>
        settings.Json.ValueKind == System.Text.Json.JsonValueKind.Object && settings.Json.TryGetProperty("fault", out var fault) ? fault.GetString() : null;
}

using System.Composition;
using OkrHost.Contracts;

namespace Faulty;

/// <summary>Settings under <c>sources.faulty</c>: which fault to commit.</summary>
public sealed class FaultySettings
{
    public string? Fault { get; set; }
}

/// <summary>The fault the collection was told to commit, so the computation commits it too.</summary>
[FactKind("faulty.fault")]
public sealed record FaultFact(string Id, string? Fault) : Fact(Id);

/// <summary>
/// Misbehaves as its <c>fault</c> setting says. Every fault is something a careless or hostile plugin
/// really does; the host must fail this source only and still write the report. Its metrics are 1 and 3
/// over the report period and 2 and 4 over every other window.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("faulty", "Faulty")]
public sealed class FaultySource : SourcePlugin<FaultySettings>
{
    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("faulty.a", "A", MetricUnit.Count, "The first number."),
        new("faulty.b", "B", MetricUnit.Count, "The second number."),
    ];

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(FaultFact)];

    protected override void Validate(FaultySettings settings, SourceSettings source, List<Problem> problems)
    {
        if (settings.Fault == "throw-in-settings")
        {
            throw new InvalidOperationException("the settings check fell over");
        }
    }

    protected override Task<FactSet> CollectAsync(FaultySettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        switch (settings.Fault)
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
                return Task.FromResult<FactSet>(null!);
        }

        return Task.FromResult(new FactSet
        {
            Window = context.FetchWindow,
            CollectedAt = context.Clock.GetUtcNow(),
            Facts = [new FaultFact("fault", settings.Fault)],
        });
    }

    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var fault = facts.Facts.OfType<FaultFact>().Single().Fault;
        if (fault == "throw-in-compute" && !window.WithSection)
        {
            throw new InvalidOperationException("the computation fell over");
        }

        var metrics = new List<MetricValue> { new("faulty.a", window.WithSection ? 1 : 2), new("faulty.b", window.WithSection ? 3 : 4) };
        if (!window.WithSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        var notes = new List<string>();
        var points = new List<SeriesPoint> { new(window.Period.From, 1) };
        var cells = new List<TableCell> { new("fine") };
        switch (fault)
        {
            case "duplicate-metric":
                metrics.Add(new MetricValue("faulty.a", 5));
                break;
            case "null-metric":
                metrics.Add(null!);
                break;
            case "foreign-metric":
                metrics.Add(new MetricValue("dora.change_failure_rate", 0));
                break;
            case "infinite-metric":
                metrics[0] = new MetricValue("faulty.a", double.PositiveInfinity);
                break;
            case "nan-series":
                points.Add(new SeriesPoint(window.Period.From.AddDays(7), double.NaN));
                break;
            case "null-cell":
                cells.Add(null!);
                break;
            case "huge-strings":
                notes.Add(new string('n', 200_000));
                cells.Add(new TableCell(new string('c', 200_000)));
                break;
        }

        return new SourceComputation
        {
            Metrics = metrics,
            Series = [new TimeSeries("weekly", "Weekly", MetricUnit.Count, SeriesBucket.Week, points)],
            Tables = [new DataTable("cells", "Cells", cells.Select((_, i) => $"Column {i}").ToArray(), [cells])],
            Notes = notes,
        };
    }
}

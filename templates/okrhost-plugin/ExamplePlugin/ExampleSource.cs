using System.Composition;
using OkrHost.Contracts;

namespace ExamplePlugin;

/// <summary>Settings under <c>sources.examplesource</c> in plugins.json (camelCase keys).</summary>
/// <remarks>
/// The host owns <c>enabled</c>, <c>tokenEnv</c> and <c>baseUrl</c>; it binds every other key to this class
/// and reports wrong types and unknown keys itself. Initial values are the defaults.
/// </remarks>
public sealed class ExampleSettings
{
    /// <summary>How many example events the collection finds per UTC day; required.</summary>
    public int? EventsPerDay { get; set; }
}

/// <summary>
/// A record the collection found. Facts are stored, shipped in facts bundles and merged by
/// <see cref="Fact.Id"/>, so the id must name the same record in every collection.
/// </summary>
/// <param name="Id">Stable id: the service's id of the record.</param>
/// <param name="At">When the event happened.</param>
[FactKind("examplesource.event")]
public sealed record ExampleEventFact(string Id, DateTimeOffset At) : Fact(Id);

/// <summary>
/// The ExamplePlugin source. <see cref="CollectAsync"/> does all the I/O and returns facts for the fetch
/// window; <see cref="Compute"/> turns facts into metric values for any window inside it, with no I/O.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("examplesource", "ExamplePlugin")]
public sealed class ExampleSource : SourcePlugin<ExampleSettings>
{
    public const string EventsMetric = "examplesource.example_events";

    /// <summary>At most this many events a day, to keep a mistyped setting from filling the memory.</summary>
    internal const int MaxEventsPerDay = 1000;

    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new(EventsMetric, "Events (example)", MetricUnit.Count, "Events whose time is in the period; the example makes up eventsPerDay of them a day.") { HigherIsBetter = true },
    ];

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(ExampleEventFact)];

    protected override void Validate(ExampleSettings settings, SourceSettings source, List<Problem> problems)
    {
        // Missing: the source is not-configured and the run goes on. Invalid: the run stops with exit 2.
        if (settings.EventsPerDay is null)
        {
            problems.Add(Problem.Missing(source.Path("eventsPerDay"), "how many example events a day is required"));
        }
        else if (settings.EventsPerDay is < 0 or > MaxEventsPerDay)
        {
            problems.Add(Problem.Error(source.Path("eventsPerDay"), $"must be from 0 to {MaxEventsPerDay}"));
        }
    }

    protected override Task<FactSet> CollectAsync(ExampleSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        // A real source fetches here, through the host's HTTP (retries, rate limits, cache, redaction):
        //   using var http = context.Http.CreateClient(new SourceHttpOptions
        //   {
        //       BaseAddress = context.Settings.BaseUrl,
        //       Authorization = new("Bearer", context.Settings.Token),
        //   });
        // and throws SourceException with a message a person can act on when the service says no.
        // The example makes its events up, so it runs without a service.
        context.Progress.Report(new SourceProgress("example events"));
        var perDay = settings.EventsPerDay!.Value;
        var spacing = TimeSpan.FromDays(1) / Math.Max(perDay, 1);
        var facts = new List<Fact>();
        var firstDay = new DateTimeOffset(context.FetchWindow.From.UtcDateTime.Date, TimeSpan.Zero);
        for (var day = firstDay; day < context.FetchWindow.To; day = day.AddDays(1))
        {
            cancellationToken.ThrowIfCancellationRequested();
            for (var i = 0; i < perDay; i++)
            {
                var at = day + spacing * i;
                if (context.FetchWindow.Contains(at))
                {
                    facts.Add(new ExampleEventFact($"{at:O}", at) { UpdatedAt = at });
                }
            }
        }

        return Task.FromResult(new FactSet { Window = context.FetchWindow, CollectedAt = context.Clock.GetUtcNow(), Facts = facts });
    }

    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var events = facts.Facts.OfType<ExampleEventFact>().Where(e => window.Period.Contains(e.At)).ToList();
        MetricValue[] metrics = [new(EventsMetric, events.Count)];
        if (!window.WithSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        return new SourceComputation
        {
            Metrics = metrics,
            Series = [MetricMath.Series("events-weekly", "Events per week", MetricUnit.Count, window.Period, SeriesBucket.Week, events, e => e.At, g => g.Count)],
            DataAsOf = events.Count == 0 ? null : events.Max(e => e.At),
        };
    }
}

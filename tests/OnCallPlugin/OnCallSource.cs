using System.Composition;
using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Contracts.Sections;

namespace OnCall;

/// <summary>Settings under <c>sources.oncall</c> in plugins.json.</summary>
public sealed class OnCallSettings
{
    /// <summary>CSV of pages, one ISO-8601 UTC time and a service name per line; relative to the config.</summary>
    public string? PagesFile { get; set; }

    /// <summary>Hours (UTC) from which a page counts as out of hours, to 07:00.</summary>
    public int NightFromHour { get; set; } = 22;
}

/// <summary>A page from the CSV export.</summary>
[FactKind("oncall.page")]
public sealed record PageFact(string Id, DateTimeOffset At, string Service) : Fact(Id);

/// <summary>
/// Counts on-call pages exported from a paging tool as CSV (<c>time,service[,resolvedAt]</c>). A page with a
/// resolved time became an incident: it is emitted as a shared <see cref="IncidentFact"/>, so DORA's change
/// failure rate and time to restore count it like any war room.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("oncall", "On-call")]
public sealed class OnCallSource : SourcePlugin<OnCallSettings>, ISectionRenderer
{
    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("oncall.pages", "Pages", MetricUnit.Count, "Pages whose time is in the period.") { HigherIsBetter = false },
        new("oncall.night_pages", "Out-of-hours pages", MetricUnit.Count, "Pages in the period between nightFromHour and 07:00 UTC.") { HigherIsBetter = false },
    ];

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(PageFact), typeof(IncidentFact), typeof(NightHoursFact)];

    public Type SectionComponent => typeof(OnCallSection);

    protected override void Validate(OnCallSettings settings, SourceSettings source, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(settings.PagesFile))
        {
            problems.Add(Problem.Missing(source.Path("pagesFile"), "the CSV export of pages is required"));
        }

        if (settings.NightFromHour is < 12 or > 23)
        {
            problems.Add(Problem.Error(source.Path("nightFromHour"), "must be an hour from 12 to 23"));
        }
    }

    protected override async Task<FactSet> CollectAsync(OnCallSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var path = Path.Combine(context.Settings.ConfigDirectory, settings.PagesFile!);
        if (!File.Exists(path))
        {
            throw new SourceException($"On-call: pages file {settings.PagesFile} not found");
        }

        context.Progress.Report(new SourceProgress("reading pages"));
        var facts = new List<Fact> { new NightHoursFact("settings", settings.NightFromHour) };
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            var parts = line.Split(',', 3);
            if (parts.Length >= 2 && Time(parts[0]) is { } at && context.FetchWindow.Contains(at))
            {
                var id = $"{at:O} {parts[1].Trim()}";
                facts.Add(new PageFact(id, at, parts[1].Trim()));
                if (parts.Length == 3 && Time(parts[2]) is { } resolved)
                {
                    facts.Add(new IncidentFact(id, parts[1].Trim(), at, resolved));
                }
            }
        }

        return new FactSet { Window = context.FetchWindow, CollectedAt = context.Clock.GetUtcNow(), Facts = facts };
    }

    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var nightFrom = facts.Facts.OfType<NightHoursFact>().Single().FromHour;
        var pages = facts.Facts.OfType<PageFact>().Where(p => window.Period.Contains(p.At)).OrderBy(p => p.At).ToList();
        MetricValue[] metrics =
        [
            new("oncall.pages", pages.Count),
            new("oncall.night_pages", pages.Count(p => p.At.Hour >= nightFrom || p.At.Hour < 7)),
        ];
        return window.WithSection
            ? new SourceComputation
            {
                Metrics = metrics,
                Series = [MetricMath.Series("pages-weekly", "Pages per week", MetricUnit.Count, window.Period, SeriesBucket.Week, pages, p => p.At, g => g.Count)],
                Tables =
                [
                    new DataTable("pages", "Pages", ["Time (UTC)", "Service"],
                        pages.Select(p => (IReadOnlyList<TableCell>)[p.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), p.Service]).ToArray()),
                ],
                DataAsOf = pages.Count == 0 ? null : pages.Max(p => p.At),
            }
            : new SourceComputation { Metrics = metrics };
    }

    private static DateTimeOffset? Time(string text) =>
        DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at.ToUniversalTime() : null;
}

/// <summary>The hour out-of-hours pages start at, as the collection saw the settings.</summary>
[FactKind("oncall.night-hours")]
public sealed record NightHoursFact(string Id, int FromHour) : Fact(Id);

using System.Composition;
using System.Globalization;
using OkrHost.Contracts;

namespace OnCall;

/// <summary>Settings under <c>sources.oncall</c> in plugins.json.</summary>
public sealed class OnCallSettings
{
    /// <summary>CSV of pages, one ISO-8601 UTC time and a service name per line; relative to the config.</summary>
    public string? PagesFile { get; set; }

    /// <summary>Hours (UTC) from which a page counts as out of hours, to 07:00.</summary>
    public int NightFromHour { get; set; } = 22;
}

/// <summary>Counts on-call pages exported from a paging tool as CSV.</summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("oncall", "On-call")]
public sealed class OnCallSource : ISourcePlugin
{
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("oncall.pages", "Pages", MetricUnit.Count, "Pages whose time is in the period.") { HigherIsBetter = false },
        new("oncall.night_pages", "Out-of-hours pages", MetricUnit.Count, "Pages in the period between nightFromHour and 07:00 UTC.") { HigherIsBetter = false },
    ];

    public Type? SectionComponent => typeof(OnCallSection);

    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<SettingProblem>();
        var bound = settings.Bind<OnCallSettings>(problems);
        if (string.IsNullOrWhiteSpace(bound.PagesFile))
        {
            problems.Add(SettingProblem.Missing(settings.Path("pagesFile"), "the CSV export of pages is required"));
        }

        if (bound.NightFromHour is < 12 or > 23)
        {
            problems.Add(SettingProblem.Invalid(settings.Path("nightFromHour"), "must be an hour from 12 to 23"));
        }

        return problems;
    }

    public async Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings.Bind<OnCallSettings>(new List<SettingProblem>());
        var path = Path.Combine(context.Settings.ConfigDirectory, settings.PagesFile!);
        if (!File.Exists(path))
        {
            throw new SourceException($"On-call: pages file {settings.PagesFile} not found");
        }

        context.Progress.Report(new SourceProgress("reading pages"));
        var pages = new List<(DateTimeOffset At, string Service)>();
        foreach (var line in await File.ReadAllLinesAsync(path, cancellationToken))
        {
            var parts = line.Split(',', 2);
            if (parts.Length == 2 && DateTimeOffset.TryParse(parts[0], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                pages.Add((at.ToUniversalTime(), parts[1].Trim()));
            }
        }

        bool IsNight(DateTimeOffset at) => at.Hour >= settings.NightFromHour || at.Hour < 7;
        int Count(ReportPeriod period, bool nightOnly) => pages.Count(p => period.Contains(p.At) && (!nightOnly || IsNight(p.At)));

        var result = new SourceResult();
        result.Metrics.Add(new MetricValue("oncall.pages", Count(context.Period, false), Count(context.PreviousPeriod, false)));
        result.Metrics.Add(new MetricValue("oncall.night_pages", Count(context.Period, true), Count(context.PreviousPeriod, true)));
        result.Series.Add(MetricMath.Series("pages-weekly", "Pages per week", MetricUnit.Count, context.Period, SeriesBucket.Week, pages, p => p.At, g => g.Count));
        result.Tables.Add(new DataTable("pages", "Pages", ["Time (UTC)", "Service"],
            pages.Where(p => context.Period.Contains(p.At)).Select(p => (IReadOnlyList<TableCell>)[p.At.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture), p.Service]).ToArray()));
        result.DataAsOf = pages.Count == 0 ? null : pages.Max(p => p.At);
        return result;
    }
}

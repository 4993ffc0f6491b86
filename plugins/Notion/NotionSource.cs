using System.Composition;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Plugins.Notion;

/// <summary>
/// Notion (PRODUCT.md 6.5): the postmortems written in the period, and optionally the OKRs themselves,
/// kept as rows of a Notion database.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("notion", "Notion", DefaultTokenEnv = DefaultTokenEnv, DefaultBaseUrl = DefaultBaseUrl,
    TokenHelp = "An internal integration secret (ntn_... or secret_...) of an integration with the Read content capability, added to the postmortem and OKR databases (database menu > Connections). Create it at notion.so/my-integrations.")]
public sealed class NotionSource : SourcePlugin<NotionSettings>, IOkrProvider
{
    /// <summary>Where the API lives unless <c>baseUrl</c> says otherwise.</summary>
    public const string DefaultBaseUrl = "https://api.notion.com/";

    /// <summary>Environment variable read for the integration secret unless <c>tokenEnv</c> says otherwise.</summary>
    public const string DefaultTokenEnv = "NOTION_TOKEN";

    /// <summary>Id of the one metric.</summary>
    public const string PostmortemsMetric = "notion.postmortems";

    private static readonly MetricDefinition[] Catalogue =
    [
        // More postmortems is not better in itself (it follows the incidents), so the arrow stays neutral.
        new(PostmortemsMetric, "Postmortems written", MetricUnit.Count,
            "Pages of the postmortem database created in the period; archived (deleted) and trashed pages do not count."),
    ];

    /// <inheritdoc/>
    public override IReadOnlyList<MetricDefinition> Metrics => Catalogue;

    /// <inheritdoc/>
    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(PostmortemFact), typeof(DeletedPostmortemFact), typeof(PostmortemSearchFact)];

    /// <inheritdoc/>
    protected override void Validate(NotionSettings settings, SourceSettings source, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(settings.OkrDatabaseId) && string.IsNullOrWhiteSpace(settings.PostmortemDatabaseId))
        {
            problems.Add(Problem.Missing(source.Path("postmortemDatabaseId"),
                "set postmortemDatabaseId (for notion.postmortems) and/or okrDatabaseId (to keep the OKRs in Notion)"));
        }

        foreach (var (key, id) in (IEnumerable<(string, string?)>)[("okrDatabaseId", settings.OkrDatabaseId), ("postmortemDatabaseId", settings.PostmortemDatabaseId)])
        {
            if (!string.IsNullOrWhiteSpace(id) && !Guid.TryParse(id, out _))
            {
                problems.Add(Problem.Error(source.Path(key),
                    $"'{id}' is not a Notion database id (32 hexadecimal digits, with or without dashes, as in the database's link)"));
            }
        }

        ValidatePropertyNames(source, settings, problems);
    }

    /// <inheritdoc/>
    protected override async Task<FactSet> CollectAsync(NotionSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var window = context.FetchWindow;
        var now = context.Clock.GetUtcNow();
        if (string.IsNullOrWhiteSpace(settings.PostmortemDatabaseId))
        {
            return new FactSet
            {
                Window = window,
                CollectedAt = now,
                Notes = ["postmortemDatabaseId is not set, so postmortems are not counted (and dora.postmortem_coverage has no data)."],
            };
        }

        using var api = new NotionApi(context.Http, context.Settings);
        var known = context.Known;
        var stage = known is null ? $"postmortems created since {window.From:yyyy-MM-dd}" : $"postmortems edited since {known.CollectedAt:yyyy-MM-dd HH:mm}";
        context.Progress.Report(new SourceProgress(stage));
        var fetched = await api.QueryAsync(
            settings.PostmortemDatabaseId,
            PostmortemFilter(window, known),
            new Progress<int>(count => context.Progress.Report(new SourceProgress(stage, count))),
            cancellationToken);

        // By page id whatever the kind: a stored postmortem that was deleted since comes back deleted.
        var pages = (known?.Facts ?? []).Where(fact => CreatedAt(fact) is { } created && window.Contains(created)).ToDictionary(fact => fact.Id, StringComparer.Ordinal);
        foreach (var page in fetched)
        {
            pages[page.Id] = page.IsDeleted
                ? new DeletedPostmortemFact(page.Id, page.CreatedTime) { UpdatedAt = page.LastEditedTime }
                : new PostmortemFact(page.Id, page.Title, page.CreatedTime) { Url = page.Url, UpdatedAt = page.LastEditedTime };
        }

        context.Progress.Report(new SourceProgress("postmortems", pages.Count, pages.Count));
        return new FactSet
        {
            Window = window,
            CollectedAt = now,
            Facts = [new PostmortemSearchFact(settings.PostmortemDatabaseId) { UpdatedAt = now }, .. pages.Values],
        };
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        if (!facts.Facts.OfType<PostmortemSearchFact>().Any())
        {
            return new SourceComputation { Metrics = [new MetricValue(PostmortemsMetric, null)] };
        }

        var period = window.Period;
        var current = facts.Facts.OfType<PostmortemFact>().Where(p => period.Contains(p.CreatedAt)).OrderBy(p => p.CreatedAt).ToList();
        MetricValue[] metrics = [new MetricValue(PostmortemsMetric, current.Count)];
        if (!window.WithSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        var table = new DataTable("postmortems", "Postmortems written in the period", ["Postmortem", "Created (UTC)"],
            current.Select(p => (IReadOnlyList<TableCell>)
            [
                new TableCell(p.Title.Length > 0 ? p.Title : "(untitled)", p.Url),
                p.CreatedAt.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ]).ToList());

        // The remark and the freshness look at the period and the one before, as the metric does.
        var span = new ReportPeriod(period.Previous.From, period.To);
        var deleted = facts.Facts.OfType<DeletedPostmortemFact>().Count(p => span.Contains(p.CreatedAt));
        var pages = facts.Facts.Where(f => f is PostmortemFact p ? span.Contains(p.CreatedAt) : f is DeletedPostmortemFact d && span.Contains(d.CreatedAt)).ToList();
        return new SourceComputation
        {
            Metrics = metrics,
            Series =
            [
                MetricMath.Series("postmortems-weekly", "Postmortems written per week", MetricUnit.Count, period, SeriesBucket.Week,
                    current, p => p.CreatedAt, week => week.Count),
            ],
            Tables = [table],
            Notes = deleted > 0 ? [$"{deleted} archived or trashed postmortem page(s) in these two periods are not counted."] : [],
            DataAsOf = pages.Count == 0 ? null : pages.Max(p => p.UpdatedAt),
        };
    }

    /// <inheritdoc/>
    public async Task<OkrDocument> LoadOkrsAsync(CollectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = context.Settings.Get<NotionSettings>();
        if (string.IsNullOrWhiteSpace(settings.OkrDatabaseId))
        {
            throw new SourceException($"Notion: OKRs are to be read from Notion but {context.Settings.Path("okrDatabaseId")} is not set");
        }

        using var api = new NotionApi(context.Http, context.Settings);
        const string stage = "OKR rows";
        context.Progress.Report(new SourceProgress(stage));
        var rows = await api.QueryAsync(settings.OkrDatabaseId, null,
            new Progress<int>(count => context.Progress.Report(new SourceProgress(stage, count))), cancellationToken);
        return OkrRows.Read(rows, settings.Properties);
    }

    /// <summary>
    /// Pages edited this long before the stored collection ran are read again: Notion keeps
    /// <c>last_edited_time</c> to the minute, and its clock and this machine's differ.
    /// </summary>
    internal static readonly TimeSpan EditMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The postmortem pages created in the window that a collection must read: all of them when nothing is
    /// stored; on top of stored pages, those edited since the stored collection (an edit, a deletion, a
    /// page created after it) and those created before the stored window began.
    /// </summary>
    private static JsonObject PostmortemFilter(ReportPeriod window, FactSet? known)
    {
        var conditions = new JsonArray(
            Timestamp("created_time", "on_or_after", window.From),
            Timestamp("created_time", "before", window.To));
        if (known is not null)
        {
            var changed = new JsonArray(Timestamp("last_edited_time", "on_or_after", known.ChangedSince(window, EditMargin)));
            if (window.From < known.Window.From)
            {
                changed.Add(Timestamp("created_time", "before", known.Window.From));
            }

            conditions.Add(new JsonObject { ["or"] = changed });
        }

        return new JsonObject { ["and"] = conditions };
    }

    private static JsonObject Timestamp(string timestamp, string condition, DateTimeOffset at) => new()
    {
        ["timestamp"] = timestamp,
        [timestamp] = new JsonObject { [condition] = NotionApi.Instant(at) },
    };

    private static DateTimeOffset? CreatedAt(Fact fact) => fact switch
    {
        PostmortemFact page => page.CreatedAt,
        DeletedPostmortemFact page => page.CreatedAt,
        _ => null,
    };

    private static void ValidatePropertyNames(SourceSettings settings, NotionSettings bound, List<Problem> problems)
    {
        var path = settings.Path("properties");
        if (bound.Properties is null)
        {
            problems.Add(Problem.Error(path, "must be an object of property names"));
            return;
        }

        var names = bound.Properties.All().ToList();
        foreach (var (key, name) in names.Where(n => string.IsNullOrWhiteSpace(n.Name)))
        {
            problems.Add(Problem.Error($"{path}.{key}", "must name a property of the OKR database"));
        }
    }
}

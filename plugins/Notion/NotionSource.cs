using System.Composition;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Notion;

/// <summary>
/// Notion (PRODUCT.md 6.5): the postmortems written in the period, and optionally the OKRs themselves,
/// kept as rows of a Notion database.
/// </summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("notion", "Notion", DefaultTokenEnv = DefaultTokenEnv,
    TokenHelp = "An internal integration secret (ntn_... or secret_...) of an integration with the Read content capability, added to the postmortem and OKR databases (database menu > Connections). Create it at notion.so/my-integrations.")]
public sealed class NotionSource : ISourcePlugin, IOkrProvider
{
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
    public IReadOnlyList<MetricDefinition> Metrics => Catalogue;

    /// <inheritdoc/>
    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<SettingProblem>();
        var bound = settings.Bind<NotionSettings>(problems);
        if (!Uri.TryCreate(bound.BaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            problems.Add(SettingProblem.Invalid(settings.Path("baseUrl"), $"'{bound.BaseUrl}' is not an http(s) address"));
        }

        if (string.IsNullOrWhiteSpace(bound.OkrDatabaseId) && string.IsNullOrWhiteSpace(bound.PostmortemDatabaseId))
        {
            problems.Add(SettingProblem.Missing(settings.Path("postmortemDatabaseId"),
                "set postmortemDatabaseId (for notion.postmortems) and/or okrDatabaseId (to keep the OKRs in Notion)"));
        }

        foreach (var (key, id) in (IEnumerable<(string, string?)>)[("okrDatabaseId", bound.OkrDatabaseId), ("postmortemDatabaseId", bound.PostmortemDatabaseId)])
        {
            if (!string.IsNullOrWhiteSpace(id) && !Guid.TryParse(id, out _))
            {
                problems.Add(SettingProblem.Invalid(settings.Path(key),
                    $"'{id}' is not a Notion database id (32 hexadecimal digits, with or without dashes, as in the database's link)"));
            }
        }

        ValidatePropertyNames(settings, bound, problems);
        return problems;
    }

    /// <inheritdoc/>
    public async Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = Bind(context.Settings);
        var result = new SourceResult();
        if (string.IsNullOrWhiteSpace(settings.PostmortemDatabaseId))
        {
            result.Metrics.Add(new MetricValue(PostmortemsMetric, null, null));
            result.Notes.Add("postmortemDatabaseId is not set, so postmortems are not counted (and dora.postmortem_coverage has no data).");
            return result;
        }

        var period = context.Period;
        var previous = context.PreviousPeriod;
        using var api = new NotionApi(context.Http, settings, context.Settings.Token);
        var stage = $"postmortems created since {previous.From:yyyy-MM-dd}";
        context.Progress.Report(new SourceProgress(stage));
        var pages = await api.QueryAsync(
            settings.PostmortemDatabaseId,
            CreatedBetween(previous.From, period.To),
            new Progress<int>(count => context.Progress.Report(new SourceProgress(stage, count))),
            cancellationToken);

        var postmortems = pages.Where(p => !p.IsDeleted).ToList();
        var current = postmortems.Where(p => period.Contains(p.CreatedTime)).OrderBy(p => p.CreatedTime).ToList();
        result.Metrics.Add(new MetricValue(PostmortemsMetric, current.Count, postmortems.Count(p => previous.Contains(p.CreatedTime))));
        result.Series.Add(MetricMath.Series("postmortems-weekly", "Postmortems written per week", MetricUnit.Count, period, SeriesBucket.Week,
            current, p => p.CreatedTime, week => week.Count));
        result.Tables.Add(new DataTable("postmortems", "Postmortems written in the period", ["Postmortem", "Created (UTC)"],
            current.Select(p => (IReadOnlyList<TableCell>)
            [
                new TableCell(p.Title.Length > 0 ? p.Title : "(untitled)", p.Url),
                p.CreatedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
            ]).ToList()));
        foreach (var page in postmortems.Where(p => period.Contains(p.CreatedTime) || previous.Contains(p.CreatedTime)))
        {
            result.Events.Add(new PostmortemEvent(page.Id, page.Title, page.CreatedTime));
        }

        if (pages.Count(p => p.IsDeleted) is > 0 and var deleted)
        {
            result.Notes.Add($"{deleted} archived or trashed postmortem page(s) in these two periods are not counted.");
        }

        result.DataAsOf = pages.Count == 0 ? null : pages.Max(p => p.LastEditedTime);
        context.Progress.Report(new SourceProgress("postmortems", pages.Count, pages.Count));
        return result;
    }

    /// <inheritdoc/>
    public async Task<OkrDocument> LoadOkrsAsync(SourceContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = Bind(context.Settings);
        if (string.IsNullOrWhiteSpace(settings.OkrDatabaseId))
        {
            throw new SourceException($"Notion: OKRs are to be read from Notion but {context.Settings.Path("okrDatabaseId")} is not set");
        }

        using var api = new NotionApi(context.Http, settings, context.Settings.Token);
        const string stage = "OKR rows";
        context.Progress.Report(new SourceProgress(stage));
        var rows = await api.QueryAsync(settings.OkrDatabaseId, null,
            new Progress<int>(count => context.Progress.Report(new SourceProgress(stage, count))), cancellationToken);
        return OkrRows.Read(rows, settings.Properties);
    }

    // Both periods in one query: Notion has no way to ask for two windows at once, and they are adjacent.
    private static JsonObject CreatedBetween(DateTimeOffset from, DateTimeOffset to) => new()
    {
        ["and"] = new JsonArray(
            new JsonObject { ["timestamp"] = "created_time", ["created_time"] = new JsonObject { ["on_or_after"] = NotionApi.Instant(from) } },
            new JsonObject { ["timestamp"] = "created_time", ["created_time"] = new JsonObject { ["before"] = NotionApi.Instant(to) } }),
    };

    private static NotionSettings Bind(SourceSettings settings)
    {
        // ValidateSettings has run before the host collects; its problems are the host's to report.
        var settingsProblems = new List<SettingProblem>();
        return settings.Bind<NotionSettings>(settingsProblems);
    }

    private static void ValidatePropertyNames(SourceSettings settings, NotionSettings bound, List<SettingProblem> problems)
    {
        var path = settings.Path("properties");
        if (bound.Properties is null)
        {
            problems.Add(SettingProblem.Invalid(path, "must be an object of property names"));
            return;
        }

        var names = bound.Properties.All().ToList();
        foreach (var (key, name) in names.Where(n => string.IsNullOrWhiteSpace(n.Name)))
        {
            problems.Add(SettingProblem.Invalid($"{path}.{key}", "must name a property of the OKR database"));
        }

        // Bind checks the top-level keys only; a misspelt property key would otherwise be silently ignored.
        if (settings.Json.ValueKind == JsonValueKind.Object
            && settings.Json.TryGetProperty("properties", out var given) && given.ValueKind == JsonValueKind.Object)
        {
            foreach (var key in given.EnumerateObject().Select(p => p.Name)
                .Where(key => !names.Exists(n => n.Key.Equals(key, StringComparison.OrdinalIgnoreCase))))
            {
                problems.Add(SettingProblem.Unknown($"{path}.{key}", $"unknown property key '{key}' is ignored (known: {string.Join(", ", names.Select(n => n.Key))})"));
            }
        }
    }
}

using System.Composition;
using System.Globalization;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Linear;

/// <summary>Issue throughput and urgent-bug health from Linear's GraphQL API (PRODUCT.md 6.2).</summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("linear", "Linear", PartitionSetting = "teams", DefaultTokenEnv = DefaultTokenEnv, DefaultBaseUrl = LinearSettings.DefaultBaseUrl,
    TokenHelp = "A personal API key (lin_api_...) with read access, of a member of every team listed. Create it in Linear under Settings > Account > Security & access > Personal API keys.")]
public sealed class LinearSource : SourcePlugin<LinearSettings>
{
    /// <summary>Where the API key is read from unless <c>tokenEnv</c> says otherwise.</summary>
    public const string DefaultTokenEnv = "LINEAR_API_KEY";

    private const int MaxTableRows = 50;

    /// <inheritdoc/>
    public override IReadOnlyList<MetricDefinition> Metrics => LinearMetrics.Catalogue;

    /// <inheritdoc/>
    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(LinearIssue)];

    /// <inheritdoc/>
    protected override void Validate(LinearSettings settings, SourceSettings source, List<Problem> problems)
    {
        if (string.IsNullOrWhiteSpace(settings.BugLabel))
        {
            problems.Add(Problem.Error(source.Path("bugLabel"), "must name the label that marks a bug, e.g. \"Bug\""));
        }

        for (var i = 0; i < settings.Teams.Count; i++)
        {
            if (string.IsNullOrWhiteSpace(settings.Teams[i]))
            {
                problems.Add(Problem.Error(source.Path($"teams[{i}]"), "must be a team key such as \"ENG\""));
            }
        }
    }

    /// <inheritdoc/>
    protected override async Task<FactSet> CollectAsync(LinearSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var tokenEnv = context.Settings.TokenEnv ?? DefaultTokenEnv;
        var token = context.Settings.Token ?? throw new SourceException($"Linear: no API key; set {tokenEnv}");
        using var http = context.Http.CreateClient(new SourceHttpOptions
        {
            Authorization = LinearClient.Authorization(token),
            RateLimitDetector = LinearClient.DetectRateLimitAsync,
            // POSTs are never cached; saying so keeps the host from trying.
            ConditionalCache = false,
        });
        var client = new LinearClient(http, context.Settings.BaseUrl ?? new Uri(LinearSettings.DefaultBaseUrl), tokenEnv);
        var issues = await FetchIssuesAsync(client, settings, context, cancellationToken);
        return new FactSet
        {
            Window = context.FetchWindow,
            CollectedAt = context.Clock.GetUtcNow(),
            Facts = issues,
            Notes = settings.Teams.Count == 0 ? ["Issues of every team the API key can see (no teams configured)."] : [],
        };
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var issues = facts.Facts.OfType<LinearIssue>().ToArray();
        var metrics = LinearMetrics.Compute(issues, window.Period);
        return window.WithSection
            ? new SourceComputation
            {
                Metrics = metrics,
                Series = Series(issues, window.Period),
                Tables = Tables(issues, window.Period),
                DataAsOf = facts.CollectedAt,
            }
            : new SourceComputation { Metrics = metrics };
    }

    /// <summary>
    /// Issues updated this long before the stored collection ran are read again: Linear's clock and this
    /// machine's differ, and an issue changed while that collection was paging may carry an updatedAt
    /// earlier than the page that would have shown the change.
    /// </summary>
    internal static readonly TimeSpan UpdateMargin = TimeSpan.FromMinutes(10);

    /// <summary>
    /// The issues the fetch window needs, as they are now. A cold collection queries the whole window. On
    /// top of stored issues (<see cref="CollectContext.Known"/>) it queries only the part of the window
    /// before the stored one, and every issue Linear updated since the stored collection, which replaces
    /// the stored state or, when the issue no longer belongs (closed long ago, relabelled, moved to
    /// another team), drops it. Stored issues outside the new window are dropped, so sets do not grow.
    /// </summary>
    private static async Task<IReadOnlyList<LinearIssue>> FetchIssuesAsync(
        LinearClient client, LinearSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        // Linear stores team keys upper-case; a lower-case key in plugins.json means the same team.
        var teams = settings.Teams.Select(team => team.Trim().ToUpperInvariant()).Distinct().ToArray();
        var window = context.FetchWindow;
        var known = context.Known;
        var issues = (known?.Facts.OfType<LinearIssue>() ?? [])
            .Where(issue => LinearQueries.Selects(issue, window, teams))
            .ToDictionary(issue => issue.Id, StringComparer.Ordinal);

        // The part of the window the stored issues do not cover: all of it when nothing is stored, the
        // start when this window begins earlier (a later end is covered by the changes read below).
        ReportPeriod? unknown = known is null ? window
            : window.From < known.Window.From ? new ReportPeriod(window.From, known.Window.From < window.To ? known.Window.From : window.To)
            : null;
        if (unknown is { } part)
        {
            var variables = new Dictionary<string, object?>
            {
                ["from"] = Iso(part.From),
                ["to"] = Iso(part.To),
                ["bugLabel"] = settings.BugLabel,
            };
            if (teams.Length > 0)
            {
                variables["teams"] = teams;
            }

            await PageAsync(client, LinearQueries.Issues(filterTeams: teams.Length > 0), LinearQueries.IssuesOperation, variables, "issues", context, cancellationToken,
                node => issues[node.Id] = LinearIssue.From(node, settings.BugLabel));
        }

        if (known is not null)
        {
            var since = known.ChangedSince(window, UpdateMargin);
            await PageAsync(client, LinearQueries.UpdatedIssues, LinearQueries.UpdatedIssuesOperation, new Dictionary<string, object?> { ["since"] = Iso(since) },
                $"issues updated since {since:yyyy-MM-dd HH:mm}", context, cancellationToken,
                node =>
                {
                    var issue = LinearIssue.From(node, settings.BugLabel);
                    if (LinearQueries.Selects(issue, window, teams))
                    {
                        issues[issue.Id] = issue;
                    }
                    else
                    {
                        issues.Remove(issue.Id);
                    }
                });
        }

        context.Progress.Report(new SourceProgress("issues", issues.Count, issues.Count));
        return issues.Values.ToArray();
    }

    /// <summary>Runs <paramref name="query"/> page by page, following <c>pageInfo.endCursor</c>, and hands every issue to <paramref name="read"/>.</summary>
    private static async Task PageAsync(
        LinearClient client, string query, string operation, Dictionary<string, object?> variables, string stage, CollectContext context,
        CancellationToken cancellationToken, Action<IssueNode> read)
    {
        variables["after"] = null;
        var count = 0;
        for (var page = 1; ; page++)
        {
            context.Progress.Report(new SourceProgress($"{stage}, page {page}", count));
            var data = await client.QueryAsync<IssuesData>(query, operation, variables, cancellationToken);
            foreach (var node in data.Issues.Nodes)
            {
                read(node);
            }

            count += data.Issues.Nodes.Count;
            if (!data.Issues.PageInfo.HasNextPage)
            {
                return;
            }

            variables["after"] = data.Issues.PageInfo.EndCursor
                ?? throw new SourceException("Linear GraphQL issues query: pageInfo.hasNextPage is true but endCursor is null");
        }
    }

    private static TimeSeries[] Series(IReadOnlyList<LinearIssue> issues, ReportPeriod period)
    {
        var closed = issues.Where(issue => issue.CompletedAt is not null).ToList();
        return
        [
            MetricMath.Series("issues-closed-weekly", "Issues closed per week", MetricUnit.Count, period, SeriesBucket.Week,
                closed, issue => issue.CompletedAt!.Value, items => items.Count),
            MetricMath.Series("issues-created-weekly", "Issues created per week", MetricUnit.Count, period, SeriesBucket.Week,
                issues, issue => issue.CreatedAt, items => items.Count),
            MetricMath.Series("urgent-bugs-closed-weekly", "Urgent bugs closed per week", MetricUnit.Count, period, SeriesBucket.Week,
                closed.Where(issue => issue.IsUrgentBug), issue => issue.CompletedAt!.Value, items => items.Count),
        ];
    }

    private static DataTable[] Tables(IReadOnlyList<LinearIssue> issues, ReportPeriod period)
    {
        var closed = issues
            .Where(issue => issue.IsUrgentBug && issue.CompletedAt is { } at && period.Contains(at))
            .OrderBy(issue => issue.CompletedAt)
            .ToList();
        var closedTable = new DataTable(
            "urgent-bugs-closed",
            "Urgent bugs closed in the period",
            ["Issue", "Title", "Team", "Resolution (hours)"],
            closed.Take(MaxTableRows).Select(issue => (IReadOnlyList<TableCell>)
                [new TableCell(issue.Identifier, issue.Url), issue.Title, issue.Team, Number(LinearMetrics.ResolutionHours(issue))]).ToArray())
        {
            OmittedRows = Math.Max(0, closed.Count - MaxTableRows),
        };

        var open = issues.Where(issue => issue.IsUrgentBugOpenAt(period.To)).OrderBy(issue => issue.CreatedAt).ToList();
        var openTable = new DataTable(
            "urgent-bugs-open",
            "Urgent bugs still open at the period end",
            ["Issue", "Title", "Age (days)"],
            open.Take(MaxTableRows).Select(issue => (IReadOnlyList<TableCell>)
                [new TableCell(issue.Identifier, issue.Url), issue.Title, Number((period.To - issue.CreatedAt).TotalDays)]).ToArray())
        {
            OmittedRows = Math.Max(0, open.Count - MaxTableRows),
        };
        return [closedTable, openTable];
    }

    private static string Iso(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    private static string Number(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);
}

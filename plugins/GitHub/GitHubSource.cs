using System.Collections.Concurrent;
using System.Composition;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using OkrHost.Contracts;
using OkrHost.Contracts.Dora;

namespace OkrHost.Plugins.GitHub;

/// <summary>Deployment frequency, change failure rate and lead time from GitHub (PRODUCT.md 6.1).</summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("github", "GitHub", PartitionSetting = "repositories", DefaultTokenEnv = DefaultTokenEnv, DefaultBaseUrl = "https://api.github.com/",
    TokenHelp = "A fine-grained personal access token with read-only repository permissions Metadata, Deployments, Contents and (for deploymentSource workflow-runs) Actions on every repository listed; a classic token needs the repo scope for private repositories. Create it on github.com under Settings > Developer settings > Personal access tokens (on GitHub Enterprise, the same page of your server).")]
public sealed class GitHubSource : SourcePlugin<GitHubSettings>
{
    private const string DefaultTokenEnv = "GITHUB_TOKEN";
    private const int SlowestChangesShown = 15;

    /// <inheritdoc/>
    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(DeploymentFact), typeof(ChangeFact)];

    /// <inheritdoc/>
    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("github.deployments", "Production deployments", MetricUnit.Count,
            "Successful deployments (any success status; deployed at the earliest) to environments matching environmentPattern, deployed in the period.")
            { HigherIsBetter = true },
        new("github.deployments_per_week", "Deployments per week", MetricUnit.PerWeek,
            "github.deployments / (period days / 7).") { HigherIsBetter = true },
        new("github.deployment_days", "Deployment days", MetricUnit.Count,
            "Distinct UTC dates with at least one successful production deployment.") { HigherIsBetter = true },
        new("github.failed_deployments", "Failed deployments", MetricUnit.Count,
            "Production deployments without a success status whose latest status is failure or error, at that status's time in the period.")
            { HigherIsBetter = false },
        new("github.change_failure_rate", "Deployment failure rate", MetricUnit.Ratio,
            "Failed / (successful + failed) production deployments in the period.") { HigherIsBetter = false },
        new("github.lead_time_hours.p50", "Lead time for changes (median)", MetricUnit.Hours,
            "Median over commits deployed in the period of deployed at − author date; a deployment's commits are those reachable from it and not from the previous successful deployment of the same repository and environment (what compare lists, merged branches included).")
            { HigherIsBetter = false },
        new("github.lead_time_hours.p90", "Lead time for changes (p90)", MetricUnit.Hours,
            "90th percentile over commits deployed in the period of deployed at − author date.") { HigherIsBetter = false },
    ];

    /// <inheritdoc/>
    protected override void Validate(GitHubSettings settings, SourceSettings source, List<Problem> problems) =>
        settings.Validate(source, problems);

    /// <inheritdoc/>
    protected override async Task<FactSet> CollectAsync(GitHubSettings settings, CollectContext context, CancellationToken cancellationToken)
    {
        var window = new CollectionWindow(context.FetchWindow);
        var known = new KnownHistory(context.Known, window);
        var environments = new Regex(settings.EnvironmentPattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        using var api = new GitHubApi(context, GitHubSettings.ApiRoot(context.Settings.BaseUrl), context.Settings.TokenEnv ?? DefaultTokenEnv);

        var (deployments, changes) = settings.Api == GitHubApiKind.Graphql && settings.DeploymentSource == DeploymentSource.Deployments
            ? await CollectGraphQLAsync(settings, context, api, window, environments, known, cancellationToken)
            : await CollectRestAsync(settings, context, api, window, environments, known, cancellationToken);

        // Deployments before the window were read only as lead-time bases: of those, each environment's last
        // success is kept, so that a later run building on these facts knows what its first lead time starts from.
        Fact[] facts =
        [
            .. deployments.Where(d => window.Contains(d.At)).Concat(window.Bases(deployments)).Select(d => d.ToFact())
                .OrderBy(d => d.At).ThenBy(d => d.Repository, StringComparer.Ordinal).ThenBy(d => d.Environment, StringComparer.Ordinal).ThenBy(d => d.Id, StringComparer.Ordinal),
            .. changes.OrderBy(c => c.DeployedAt).ThenBy(c => c.Id, StringComparer.Ordinal),
        ];
        return new FactSet
        {
            Window = context.FetchWindow,
            CollectedAt = context.Clock.GetUtcNow(),
            Facts = facts,
            Notes = settings.DeploymentSource == DeploymentSource.WorkflowRuns
                ? [$"Deployments are completed runs of workflows matching {settings.WorkflowPattern} on {settings.Branch ?? "each repository's default branch"}."]
                : [],
        };
    }

    private static async Task<(IReadOnlyCollection<ResolvedDeployment>, IReadOnlyCollection<ChangeFact>)> CollectRestAsync(
        GitHubSettings settings, CollectContext context, GitHubApi api, CollectionWindow window, Regex environments, KnownHistory known, CancellationToken cancellationToken)
    {
        var workflows = new Regex(settings.WorkflowPattern, RegexOptions.None, TimeSpan.FromSeconds(1));
        var repositories = settings.Repositories!;
        var deployments = new ConcurrentBag<ResolvedDeployment>();
        var changes = new ConcurrentBag<ChangeFact>();
        var done = 0;
        context.Progress.Report(new SourceProgress("deployments", 0, repositories.Count));
        // A few repositories at a time: their requests share the pipeline's bound on requests in flight.
        await Parallel.ForEachAsync(repositories, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = cancellationToken },
            async (repository, token) =>
            {
                var found = settings.DeploymentSource == DeploymentSource.WorkflowRuns
                    ? await WorkflowRunHistory.CollectAsync(api, repository, settings.Branch, window, workflows, known, token)
                    : await DeploymentHistory.CollectAsync(api, repository, window, environments, known, token);
                found.ForEach(deployments.Add);
                foreach (var change in await LeadTimes.CollectAsync(api, repository, found, window, known, token))
                {
                    changes.Add(change);
                }

                context.Progress.Report(new SourceProgress($"deployments of {repository}", Interlocked.Increment(ref done), repositories.Count));
            });
        return (deployments, changes);
    }

    /// <summary>
    /// Deployments with their statuses, then the commit history of every repository, several repositories a
    /// query; REST only for what GraphQL cannot answer exactly.
    /// </summary>
    private static async Task<(IReadOnlyCollection<ResolvedDeployment>, IReadOnlyCollection<ChangeFact>)> CollectGraphQLAsync(
        GitHubSettings settings, CollectContext context, GitHubApi api, CollectionWindow window, Regex environments, KnownHistory known, CancellationToken cancellationToken)
    {
        var repositories = settings.Repositories!;
        using var graphQL = new GitHubGraphQL(context, GitHubSettings.GraphQLEndpoint(context.Settings.BaseUrl, settings.GraphqlUrl), context.Settings.TokenEnv ?? DefaultTokenEnv);
        var done = 0;
        context.Progress.Report(new SourceProgress("deployments", 0, repositories.Count));
        var deployments = await GraphQLDeployments.CollectAsync(graphQL, api, repositories, window, environments, known,
            walked => context.Progress.Report(new SourceProgress("deployments", Interlocked.Add(ref done, walked), repositories.Count)), cancellationToken);

        var changes = new List<ChangeFact>();
        var toRead = new Dictionary<string, List<(ResolvedDeployment Previous, ResolvedDeployment Deployment)>>(StringComparer.Ordinal);
        foreach (var (repository, found) in deployments)
        {
            var (stored, pairs) = LeadTimes.Needed(found, window, known);
            changes.AddRange(stored);
            toRead[repository] = pairs;
        }

        context.Progress.Report(new SourceProgress("commit history", 0, 1));
        changes.AddRange(await GraphQLLeadTimes.CollectAsync(graphQL, api, toRead, cancellationToken));
        context.Logger.LogInformation("GitHub GraphQL: {Queries} queries, {Points} points", graphQL.Queries, graphQL.Points);
        return ([.. deployments.Values.SelectMany(d => d)], changes);
    }

    /// <inheritdoc/>
    public override SourceComputation Compute(FactSet facts, ComputeWindow window)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var period = window.Period;
        var deployments = facts.Facts.OfType<DeploymentFact>().ToList();
        var changes = facts.Facts.OfType<ChangeFact>().ToList();
        var successes = deployments.Where(d => d.Outcome == DeploymentOutcome.Success).ToList();
        var failures = deployments.Where(d => d.Outcome == DeploymentOutcome.Failure).ToList();
        var succeeded = successes.Where(d => period.Contains(d.At)).ToList();
        var failed = failures.Where(d => period.Contains(d.At)).ToList();
        var leadTimes = changes.Where(c => period.Contains(c.DeployedAt)).Select(c => c.LeadTimeHours).ToArray();

        MetricValue[] metrics =
        [
            new("github.deployments", succeeded.Count),
            new("github.deployments_per_week", MetricMath.PerWeek(succeeded.Count, period)),
            new("github.deployment_days", succeeded.Select(d => d.At.UtcDateTime.Date).Distinct().Count()),
            new("github.failed_deployments", failed.Count),
            MetricValue.Rate("github.change_failure_rate", failed.Count, succeeded.Count + failed.Count),
            MetricValue.Percentile("github.lead_time_hours.p50", leadTimes, 50),
            MetricValue.Percentile("github.lead_time_hours.p90", leadTimes, 90),
        ];
        if (!window.WithSection)
        {
            return new SourceComputation { Metrics = metrics };
        }

        TimeSeries[] series =
        [
            MetricMath.Series("deployments-weekly", "Production deployments per week", MetricUnit.Count, period, SeriesBucket.Week,
                successes, d => d.At, items => items.Count),
            MetricMath.Series("failed-deployments-weekly", "Failed deployments per week", MetricUnit.Count, period, SeriesBucket.Week,
                failures, d => d.At, items => items.Count),
            MetricMath.Series("lead-time-weekly", "Median lead time for changes (hours)", MetricUnit.Hours, period, SeriesBucket.Week,
                changes, c => c.DeployedAt, items => MetricMath.Median(items.Select(c => c.LeadTimeHours))),
        ];

        var failedRows = failed.OrderByDescending(d => d.At)
            .Select(d => (IReadOnlyList<TableCell>)[d.Repository, d.Environment, LeadTimes.Short(d.Sha), Time(d.At), new TableCell("details", d.Url)])
            .ToList();
        var failedTable = new DataTable("failed-deployments", "Failed deployments",
            ["Repository", "Environment", "Commit", "Failed at", "Link"], failedRows);

        var slowest = changes.Where(c => period.Contains(c.DeployedAt)).OrderByDescending(c => c.LeadTimeHours).ThenBy(c => c.Id, StringComparer.Ordinal).ToList();
        var slowestTable = new DataTable("slowest-changes", "Slowest changes to reach production",
            ["Lead time (hours)", "Commit", "Repository", "Deployed at"],
            slowest.Take(SlowestChangesShown)
                .Select(c => (IReadOnlyList<TableCell>)[
                    c.LeadTimeHours.ToString("0.0", CultureInfo.InvariantCulture),
                    new TableCell($"{LeadTimes.Short(c.Sha)} {c.Subject}", c.Url),
                    c.Repository,
                    Time(c.DeployedAt)])
                .ToList())
        {
            OmittedRows = Math.Max(0, slowest.Count - SlowestChangesShown),
        };

        return new SourceComputation
        {
            Metrics = metrics,
            Series = series,
            Tables = [failedTable, slowestTable],
            DataAsOf = deployments.Count > 0 ? deployments.Max(d => d.At) : null,
        };
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}

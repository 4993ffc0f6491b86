using System.Text.Json;
using OkrHost.Analysis;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Okrs;
using OkrHost.Plugins;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>The inputs common to report, validate and plugins.</summary>
public sealed record PrepareOptions
{
    public string? ConfigPath { get; init; }

    /// <summary>The config built in memory; <see cref="ConfigPath"/> then only places it (relative paths, <c>.env</c>) and names it.</summary>
    public PluginsFile? Config { get; init; }

    public string? OkrsPath { get; init; }
    public string? Period { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public IReadOnlyCollection<string>? Only { get; init; }

    /// <summary><c>collect --shard i/N</c>: only this shard's part of each source's work.</summary>
    public Shard? Shard { get; init; }

    /// <summary><c>--token-env-suffix</c>: read each token from <c>&lt;tokenEnv&gt;&lt;suffix&gt;</c> when that is set.</summary>
    public string? TokenEnvSuffix { get; init; }

    /// <summary>The command cannot run on defaults: without <see cref="ConfigPath"/> a missing ./plugins.json is an error naming <c>okrhost init</c>.</summary>
    public bool ConfigRequired { get; init; }

    /// <summary>Variables that take precedence over the environment (the demo's sandbox tokens).</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// Everything decided before anything is fetched: config, plugins, what each source will do, the
/// period, the OKRs, and every problem found on the way (each with file and JSON path).
/// </summary>
public sealed class Preparation : IDisposable
{
    private Preparation(HostConfig config, PluginCatalog catalog, Func<string, string?> variables)
    {
        Config = config;
        Catalog = catalog;
        Variables = variables;
    }

    public HostConfig Config { get; }
    public PluginCatalog Catalog { get; }
    public Func<string, string?> Variables { get; }
    public IReadOnlyList<SourcePlan> Plans { get; private set; } = [];
    public ReportPeriod Period { get; internal set; }

    /// <summary>The previous calendar month or quarter when the period was given in a calendar form; null otherwise.</summary>
    public ReportPeriod? CalendarPrevious { get; internal set; }

    /// <summary>The windows a report over <see cref="Period"/> computes, compared with its previous period (PRODUCT.md section 2).</summary>
    public ReportWindows Windows() => new(Period, Config.TrendWeeks) { Previous = CalendarPrevious ?? Period.Previous };
    public List<Problem> Problems { get; } = [];
    public IReadOnlyList<IEventAnalyzer> Analyzers => AnalyzerCatalog.All;

    /// <summary>An analyzer's settings object from plugins.json, or an undefined element.</summary>
    public JsonElement AnalyzerSettings(string analyzerId) => Config.Sections.TryGetValue(analyzerId, out var section) ? section : default;

    /// <summary>OKRs read from a file, or null when they come from a plugin or there are none.</summary>
    public OkrDocument? FileOkrs { get; private set; }

    /// <summary>The file or source the OKRs come from; null when there are none.</summary>
    public string? OkrOrigin { get; private set; }

    /// <summary>The source whose plugin provides the OKRs (<c>okrs.source</c>), when that is where they come from.</summary>
    public SourcePlan? OkrProvider { get; private set; }

    public bool HasErrors => Problems.Any(p => p.Severity == ProblemSeverity.Error);

    /// <summary>Every metric id an OKR may name: all installed sources' and analyzers', configured or not.</summary>
    public IReadOnlyDictionary<string, MetricDefinition> KnownMetrics { get; private set; } = new Dictionary<string, MetricDefinition>();

    public static Preparation Prepare(PrepareOptions options, RunEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(environment);
        string Variable(string name) => options.Variables.TryGetValue(name, out var value) ? value : environment.GetVariable(name)!;

        var configPath = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, options.ConfigPath ?? HostConfig.DefaultFileName));
        var problems = new List<Problem>();
        var analyzerKeys = AnalyzerCatalog.All.Select(a => a.Id).ToArray();
        var displayName = options.ConfigPath ?? HostConfig.DefaultFileName;
        var config = options.Config is { } file
            ? HostConfigLoader.Load(file, configPath, displayName, problems, environment.Clock)
            : HostConfigLoader.Load(configPath, displayName, required: options.ConfigPath is not null, analyzerKeys, problems, environment.Clock);
        var preparation = new Preparation(config, PluginCatalog.Discover(environment.PluginsDirectory), Variable);
        if (options is { ConfigRequired: true, ConfigPath: null, Config: null } && !File.Exists(configPath))
        {
            preparation.Problems.Add(Problem.Error(HostConfig.DefaultFileName, "$",
                $"there is no {HostConfig.DefaultFileName} in {environment.CurrentDirectory}: run `okrhost init` to write a starting one, or name one with --config (okrhost report --demo shows a report with no setup)"));
        }

        preparation.Problems.AddRange(problems);
        preparation.Problems.AddRange(InsightsSettingsReader.CheckVariables(config, Variable));
        foreach (var analyzer in AnalyzerCatalog.All)
        {
            preparation.Problems.AddRange(analyzer.ValidateSettings(preparation.AnalyzerSettings(analyzer.Id)).Select(p => p with { File = config.File }));
        }

        preparation.KnownMetrics = preparation.Catalog.Plugins.SelectMany(p => p.Plugin.Metrics)
            .Concat(AnalyzerCatalog.All.SelectMany(a => a.Metrics))
            .ToDictionary(m => m.Id, StringComparer.Ordinal);
        preparation.Plans = SourcePlanner.Plan(config, preparation.Catalog, Variable, options.Only, preparation.Problems, environment.Clock, options.Shard, options.TokenEnvSuffix);
        foreach (var plan in preparation.Plans)
        {
            environment.Redactor.AddSecret(plan.Settings.Token);
        }

        // Their path is their credential: only scheme, host and port are ever printed.
        environment.Redactor.AddSecretUrl(config.Llm?.BaseUrl.OriginalString);
        environment.Redactor.AddSecretUrl(config.Alerts?.Webhook is { } webhook ? config.Variable(Variable, webhook.UrlEnv) : null);
        foreach (var source in config.Sources.Values)
        {
            if (source.TryGetProperty("baseUrl", out var baseUrl) && baseUrl.ValueKind == System.Text.Json.JsonValueKind.String)
            {
                environment.Redactor.AddUrl(baseUrl.GetString());
            }
        }

        var now = environment.Clock.GetUtcNow();
        preparation.Period = preparation.ResolvePeriod(options, now);
        if (preparation.Period.From > now)
        {
            var message = $"the period {preparation.Period} starts after now ({now:yyyy-MM-dd HH:mm}Z): there is nothing to measure yet";
            preparation.Problems.Add(options.Period is null && options.From is null
                ? Problem.Error(config.File, "$.report.period", message)
                : Problem.Error("command line", options.From is null ? "--period" : "--from", message));
        }

        preparation.ResolveOkrs(options, environment);
        return preparation;
    }

    /// <summary>Keeps the key results whose metric is known; reports the others as OKR problems.</summary>
    public OkrDocument CheckProvidedOkrs(OkrDocument document, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(problems);
        var objectives = document.Objectives.Select(objective => objective with
        {
            KeyResults = objective.KeyResults.Where(kr =>
            {
                var problem = !KnownMetrics.ContainsKey(kr.Metric) ? $"unknown metric '{kr.Metric}'"
                    : kr.Baseline is { } baseline ? KeyResultRules.WrongSide(kr.Target, baseline, kr.Direction)
                    : null;
                if (problem is null)
                {
                    return true;
                }

                problems.Add(Problem.Error($"key result '{kr.Title}' of '{objective.Title}'", problem));
                return false;
            }).ToArray(),
        }).ToArray();
        return new OkrDocument(objectives, document.Problems);
    }

    private ReportPeriod ResolvePeriod(PrepareOptions options, DateTimeOffset now)
    {
        if (options.From is not null || options.To is not null)
        {
            if (options.Period is not null)
            {
                Problems.Add(Problem.Error("command line", "--period", "use either --period or --from/--to, not both"));
            }

            if (options.From is null || options.To is null)
            {
                Problems.Add(Problem.Error("command line", options.From is null ? "--from" : "--to", "--from and --to go together"));
            }
            else if (ReportPeriodParser.TryParseRange(options.From, options.To, out var range, out var rangeError))
            {
                return range;
            }
            else
            {
                Problems.Add(Problem.Error("command line", "--from/--to", rangeError));
            }
        }
        else if (options.Period is not null)
        {
            if (ReportPeriodParser.TryParse(options.Period, now, out var period, out var error))
            {
                CalendarPrevious = ReportPeriodParser.CalendarPrevious(options.Period, period);
                return period;
            }

            Problems.Add(Problem.Error("command line", "--period", error));
        }

        // A bad report.period was already reported by the loader; fall back so the rest can be checked.
        if (ReportPeriodParser.TryParse(Config.Period ?? HostConfig.DefaultPeriod, now, out var configured, out _))
        {
            CalendarPrevious = ReportPeriodParser.CalendarPrevious(Config.Period ?? HostConfig.DefaultPeriod, configured);
            return configured;
        }

        return ReportPeriodParser.TryParse(HostConfig.DefaultPeriod, now, out var fallback, out _) ? fallback : default;
    }

    private void ResolveOkrs(PrepareOptions options, RunEnvironment environment)
    {
        var file = options.OkrsPath is not null
            ? (Path.GetFullPath(Path.Combine(environment.CurrentDirectory, options.OkrsPath)), options.OkrsPath)
            : Config.OkrsFile is not null ? (Config.OkrsFile, Path.GetRelativePath(environment.CurrentDirectory, Config.OkrsFile)) : default;
        if (file.Item1 is not null)
        {
            FileOkrs = OkrFileLoader.Load(file.Item1, file.Item2, Problems, KnownMetrics.Keys.ToHashSet(StringComparer.Ordinal));
            OkrOrigin = file.Item2;
            return;
        }

        if (Config.OkrsSource is not { } source)
        {
            return;
        }

        var plan = Plans.FirstOrDefault(p => p.Id == source);
        if (plan is null)
        {
            Problems.Add(Problem.Error(Config.File, "$.okrs.source", $"no installed plugin provides source '{source}'"));
        }
        else if (plan.OkrProvider is null)
        {
            var providers = Catalog.Plugins.Where(p => p.Plugin is IOkrProvider).Select(p => p.Id).ToArray();
            Problems.Add(Problem.Error(Config.File, "$.okrs.source",
                $"source '{source}' cannot provide OKRs (sources that can: {(providers.Length == 0 ? "none installed" : string.Join(", ", providers))})"));
        }
        else
        {
            OkrProvider = plan;
            OkrOrigin = plan.Plugin.DisplayName;
        }
    }

    public void Dispose() => Catalog.Dispose();
}

using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Plugins;
using OkrHost.Reporting;
using OkrHost.Running;
using OkrHost.Http;

namespace OkrHost.UseCases;

/// <summary>
/// <c>okrhost init</c>: a starting plugins.json, okrs.json and .env.example built from what the installed
/// plugins declare (id, token variable, how to get the token, required settings, metrics), and a
/// .gitignore that keeps tokens, the history store and reports out of the repository.
/// </summary>
internal sealed class ProjectSetup(RunEnvironment environment)
{
    public const string EnvExampleName = ".env.example";
    public const string GitIgnoreName = ".gitignore";

    /// <summary>What must never be committed: the tokens, the history store, the reports.</summary>
    public static readonly IReadOnlyList<string> IgnoredPaths = [".env", "okrhost.db*", "out/"];

    // Files meant to be read and edited by people: no \u escapes for '>' or quotes.
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="directoryOption">The folder <c>--dir</c> names (default: the current folder).</param>
    /// <param name="force">Overwrite the files it writes when they exist.</param>
    public async Task<int> RunAsync(string? directoryOption, bool force, CancellationToken cancellationToken)
    {
        var directory = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, directoryOption ?? "."));
        if (File.Exists(directory))
        {
            environment.Error.WriteLine($"error: --dir {directoryOption}: is a file, not a folder");
            return ExitCodes.InvalidInput;
        }

        using var catalog = PluginCatalog.Discover(environment.PluginsDirectory);
        foreach (var warning in catalog.Warnings)
        {
            environment.Error.WriteLine($"warning: {warning}");
        }

        var dotEnv = DotEnvFile.Read(directory, []);
        bool IsSet(string name) => !string.IsNullOrEmpty(environment.GetVariable(name)) || !string.IsNullOrEmpty(dotEnv.GetValueOrDefault(name));
        var sources = catalog.Plugins.Select(plugin => new StartingSource(plugin, plugin.Metadata.DefaultTokenEnv is not { } variable || IsSet(variable), directory, environment.Clock)).ToArray();

        var changes = 0;
        async Task<bool> Write(string name, string content)
        {
            var path = Path.Combine(directory, name);
            if (File.Exists(path) && !force)
            {
                environment.Out.WriteLine($"kept    {name} (it exists; --force overwrites it)");
                return false;
            }

            await AtomicFile.WriteAllTextAsync(path, content, cancellationToken);
            environment.Out.WriteLine($"wrote   {name}");
            changes++;
            return true;
        }

        bool wroteConfig;
        try
        {
            wroteConfig = await Write(HostConfig.DefaultFileName, PluginsJson(sources));
            await Write("okrs.json", OkrsJson(sources));
            await Write(EnvExampleName, EnvExample(sources));
            changes += await IgnoreAsync(directory, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            environment.Error.WriteLine($"error: {directory}: cannot write: {ex.Message}");
            return ExitCodes.InvalidInput;
        }

        if (changes == 0)
        {
            environment.Out.WriteLine("nothing changed: every file is already there (--force rewrites plugins.json, okrs.json and .env.example)");
            return ExitCodes.Ok;
        }

        var enabled = sources.Where(s => s.Enabled).Select(s => s.Plugin.Id).ToArray();
        if (!wroteConfig)
        {
            return ExitCodes.Ok;
        }

        environment.Out.WriteLine(enabled.Length == 0
            ? $"no source is enabled: no token variable is set. Copy {EnvExampleName} to .env, fill in a token, set \"enabled\": true for its source in plugins.json, then run okrhost doctor"
            : $"enabled: {string.Join(", ", enabled)} (their token variables are set). Next: fill in the settings plugins.json asks for, then okrhost validate and okrhost doctor");
        return ExitCodes.Ok;
    }

    /// <summary>Appends each of <see cref="IgnoredPaths"/> that the .gitignore lacks; returns 1 when it changed.</summary>
    private async Task<int> IgnoreAsync(string directory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(directory, GitIgnoreName);
        var existing = File.Exists(path) ? await File.ReadAllTextAsync(path, cancellationToken) : "";
        var present = existing.Split('\n').Select(line => line.Trim()).ToHashSet(StringComparer.Ordinal);
        var missing = IgnoredPaths.Where(p => !present.Contains(p)).ToArray();
        if (missing.Length == 0)
        {
            environment.Out.WriteLine($"kept    {GitIgnoreName} (it already ignores {string.Join(", ", IgnoredPaths)})");
            return 0;
        }

        var text = new StringBuilder(existing);
        if (existing.Length > 0 && !existing.EndsWith('\n'))
        {
            text.Append('\n');
        }

        text.Append("# okrhost: tokens, the history store and reports stay out of the repository\n");
        foreach (var line in missing)
        {
            text.Append(line).Append('\n');
        }

        await AtomicFile.WriteAllTextAsync(path, text.ToString(), cancellationToken);
        environment.Out.WriteLine($"{(existing.Length == 0 ? "wrote  " : "updated")} {GitIgnoreName} (ignores {string.Join(", ", missing)})");
        return 1;
    }

    private static string PluginsJson(IReadOnlyList<StartingSource> sources)
    {
        var entries = new JsonObject();
        foreach (var source in sources)
        {
            entries[source.Plugin.Id] = source.Entry();
        }

        var config = new JsonObject
        {
            [JsonReader.CommentKey] = "Written by okrhost init. Keys named $comment are notes and are ignored. Tokens never go in this file: "
                + "each source reads its token from the variable named by tokenEnv, set in the environment or in .env beside this file (see .env.example). "
                + "A source is enabled when its token variable was set when init ran. Check with okrhost validate, then okrhost doctor.",
            ["report"] = new JsonObject
            {
                [JsonReader.CommentKey] = "period: last-7d, last-30d, last-90d, this-quarter, last-quarter, YYYY-Qn or YYYY-MM (okrhost report --period wins); output: the report folder, relative to this file.",
                ["title"] = HostConfig.DefaultTitle,
                ["period"] = HostConfig.DefaultPeriod,
                ["output"] = "out",
            },
            ["okrs"] = new JsonObject { ["file"] = "okrs.json" },
            ["sources"] = entries,
            [Analysis.DoraAnalyzer.AnalyzerId] = new JsonObject
            {
                [JsonReader.CommentKey] = "DORA scores are compared with the DORA Quick Check's benchmarks: edition 2025 or 2024, and an industry and organisation size "
                    + "of that edition (okrhost validate lists the known ones when one is wrong).",
                [Analysis.DoraAnalyzer.BenchmarkKey] = new JsonObject
                {
                    ["edition"] = Analysis.DoraBenchmarkChoice.Default.Edition,
                    ["industry"] = Analysis.DoraBenchmarkChoice.Default.Industry,
                    ["organizationSize"] = Analysis.DoraBenchmarkChoice.Default.OrganizationSize,
                },
            },
        };
        return config.ToJsonString(Indented) + "\n";
    }

    private static string OkrsJson(IReadOnlyList<StartingSource> sources)
    {
        var enabled = sources.Where(s => s.Enabled).ToArray();
        var keyResults = new JsonArray();
        foreach (var source in enabled.Length > 0 ? enabled : sources.Take(1))
        {
            if (ExampleMetric(source.Plugin.Plugin) is { } metric)
            {
                keyResults.Add(ExampleKeyResult(metric));
            }
        }

        // With a deployment source enabled the host computes DORA's five metrics and their Quick Check scores.
        var doraScore = enabled.Any(s => s.Plugin.Plugin.FactTypes.Any(typeof(Contracts.Dora.DeploymentFact).IsAssignableFrom))
            ? ExampleKeyResult(Analysis.DoraScores.Definitions.Single(d => d.Id == Analysis.DoraScores.Overall))
            : null;
        var comment = enabled.Length > 0
            ? "An example to edit: one key result per enabled source, with placeholder targets. Set the targets (and baselines) you mean; "
              + "every metric id is listed in each plugin's README and by okrhost validate when a key result names an unknown one."
            : keyResults.Count > 0
                ? "No source was enabled when okrhost init ran, so this key result will have no data. Set a token (see .env.example), "
                  + $"set \"enabled\": true for {sources[0].Plugin.DisplayName} in plugins.json, then edit this file."
                : "No source plugin is installed; key results need a source's metrics. Install plugins, then run okrhost init --force.";
        var okrs = new JsonObject
        {
            [JsonReader.CommentKey] = comment,
            ["objectives"] = keyResults.Count == 0
                ? new JsonArray()
                : new JsonArray(new JsonObject { ["title"] = "Our first engineering objective (rename me)", ["keyResults"] = keyResults }),
        };
        if (doraScore is not null)
        {
            okrs["objectives"]!.AsArray().Add(new JsonObject
            {
                [JsonReader.CommentKey] = "DORA's overall score from 0 to 10, as the DORA Quick Check computes it from the five delivery metrics; "
                    + "dora.benchmark in plugins.json picks the industry and organisation size it is compared with. Other dora.score.* ids score each metric.",
                ["title"] = "Deliver software like DORA's best (rename me)",
                ["keyResults"] = new JsonArray(doraScore),
            });
        }

        return okrs.ToJsonString(Indented) + "\n";
    }

    /// <summary>A metric a key result can sensibly aim at: measured over the period, with a better direction.</summary>
    private static MetricDefinition? ExampleMetric(ISourcePlugin plugin) =>
        plugin.Metrics.FirstOrDefault(m => m is { IsPointInTime: false, HigherIsBetter: not null }) ?? plugin.Metrics.FirstOrDefault();

    private static JsonObject ExampleKeyResult(MetricDefinition metric)
    {
        var increase = metric.HigherIsBetter ?? true;
        var target = (metric.Unit, increase) switch
        {
            (MetricUnit.Ratio, true) => 0.9,
            (MetricUnit.Ratio, false) => 0.1,
            (MetricUnit.Hours, _) => 24,
            (MetricUnit.Minutes, _) => 30,
            (MetricUnit.Milliseconds, _) => 500,
            (MetricUnit.Score, _) => 7,
            (_, true) => 10,
            (_, false) => 5,
        };
        var shown = metric.Unit switch
        {
            MetricUnit.Ratio => target.ToString("P0", CultureInfo.InvariantCulture),
            MetricUnit.Hours => $"{target} h",
            MetricUnit.Minutes => $"{target} min",
            MetricUnit.Milliseconds => $"{target} ms",
            _ => target.ToString(CultureInfo.InvariantCulture),
        };
        return new JsonObject
        {
            ["title"] = $"{metric.Title}: {(increase ? "at least" : "at most")} {shown}",
            ["metric"] = metric.Id,
            ["target"] = target,
            ["direction"] = increase ? "increase" : "decrease",
        };
    }

    private static string EnvExample(IReadOnlyList<StartingSource> sources)
    {
        var text = new StringBuilder()
            .Append("# Tokens for okrhost, one variable per source. Copy this file to .env beside plugins.json and fill in\n")
            .Append("# the sources you use; .env is in .gitignore and must never be committed. A variable set in the\n")
            .Append("# environment wins over .env. plugins.json names each variable in its source's tokenEnv.\n");
        foreach (var source in sources.Where(s => s.Plugin.Metadata.DefaultTokenEnv is not null))
        {
            text.Append('\n').Append("# ").Append(source.Plugin.DisplayName).Append(": ")
                .Append(source.Plugin.Metadata.TokenHelp ?? "the token of this source (its plugin does not say which permissions it needs).").Append('\n')
                .Append(source.Plugin.Metadata.DefaultTokenEnv).Append("=\n");
        }

        return text.ToString();
    }

    /// <summary>One installed source as init writes it.</summary>
    private sealed record StartingSource(DiscoveredPlugin Plugin, bool Enabled, string Directory, TimeProvider Clock)
    {
        public JsonObject Entry()
        {
            var path = $"$.sources.{Plugin.Id}";
            var variable = Plugin.Metadata.DefaultTokenEnv;
            var required = RequiredSettings(path);
            var comment = new StringBuilder(Plugin.DisplayName).Append('.');
            comment.Append(variable is null ? " Needs no token." : $" Token: {variable} (see .env.example).");
            if (!Enabled)
            {
                comment.Append($" Disabled because {variable} was not set; set it, then set enabled to true.");
            }

            if (required.Count > 0)
            {
                comment.Append(" Required before it can run: ").AppendJoin("; ", required.Select(r => $"{r.JsonPath[(path.Length + 1)..]}: {r.Message}")).Append('.');
            }

            var entry = new JsonObject
            {
                [JsonReader.CommentKey] = comment.ToString(),
                ["enabled"] = Enabled,
            };
            if (variable is not null)
            {
                entry["tokenEnv"] = variable;
            }

            return entry;
        }

        /// <summary>What the plugin itself says is missing from empty settings, in its own words.</summary>
        private List<Problem> RequiredSettings(string path)
        {
            var values = SettingsBinder.Bind(Plugin.Plugin.SettingsType, default, path, new List<Problem>());
            var baseUrl = Uri.TryCreate(Plugin.Metadata.DefaultBaseUrl, UriKind.Absolute, out var uri) ? uri : null;
            var empty = new SourceSettings(Plugin.Id, path, values, null, Plugin.Metadata.DefaultTokenEnv, baseUrl, Directory);
            try
            {
                // Plugin code, isolated like every other call into it.
                return PluginCall.Run(() => Plugin.Plugin.ValidateSettings(empty), new HttpPolicy().SourceTimeout, Clock).Where(p => p.Severity == ProblemSeverity.Missing && p.JsonPath.StartsWith(path + ".", StringComparison.Ordinal)).ToList();
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A plugin that cannot check empty settings still gets its entry; validate reports it.
                return [];
            }
        }
    }
}

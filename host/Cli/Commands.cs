using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Plugins;
using OkrHost.Sandbox;
using OkrHost.Configuration;
using OkrHost.Running;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>One factory per command; each parses its options and hands over to the job that does the work.</summary>
internal static class Commands
{
    public static Command Report(RunEnvironment environment, Option<bool> verbose)
    {
        var config = new Option<string[]>("--config")
        {
            Description = "The config file (default: plugins.json in the current folder); several (teams/*/plugins.json) write one report per team and an index",
            AllowMultipleArgumentsPerToken = true,
        };
        var okrs = OkrsOption();
        var output = OutOption();
        var periodOptions = new PeriodOptions();
        var demo = new Option<bool>("--demo") { Description = "Run every built-in source against the bundled sandbox: no tokens, no network" };
        var only = OnlyOption();
        var noCache = NoCacheOption();
        var noHistory = new Option<bool>("--no-history") { Description = "Do not store this run in the history store" };
        var failOn = FailOnOption();
        var facts = new Option<string?>("--facts") { Description = "Compute the report from these facts bundles (okrhost collect), comma-separated, with no network" };
        var command = new Command("report", "Fetch metrics, score the OKRs and write report.html and report.json")
        {
            config, okrs, output, periodOptions.From, periodOptions.To, periodOptions.Period, demo, only, noCache, noHistory, failOn, facts,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var logger = CliApp.CreateLogger(environment, parse.GetValue(verbose));
            var configs = ConfigPatterns.Expand(parse.GetValue(config) ?? [], environment.CurrentDirectory);
            var options = periodOptions.Read(parse) with
            {
                ConfigPath = configs.Count == 1 ? configs[0] : null,
                OkrsPath = parse.GetValue(okrs),
                Only = Sources(parse.GetValue(only)),
            };
            var reportOptions = new ReportOptions(parse.GetValue(output), parse.GetValue(noCache), FailOn(parse.GetValue(failOn)))
            {
                NoHistory = parse.GetValue(noHistory),
            };
            if (configs.Count > 1)
            {
                if (parse.GetValue(demo) || parse.GetValue(facts) is not null || options.OkrsPath is not null)
                {
                    throw new InvalidInputException("several --config files make one report per team from each team's own config: they take neither --demo, --facts nor --okrs");
                }

                // No live display of several teams at once: progress goes out as plain lines naming team and source.
                return await TeamsJob.RunAsync(configs, options, reportOptions, environment, CliApp.CreateLogger(environment with { Interactive = false }, parse.GetValue(verbose)), cancellationToken);
            }
            if (parse.GetValue(facts) is { } files)
            {
                if (parse.GetValue(demo) || options.Only is not null)
                {
                    throw new InvalidInputException("--facts computes from bundles alone: it takes neither --demo nor --only");
                }

                return await FromFactsAsync(options, Sources(files) ?? [], periodOptions.Given(parse), reportOptions, environment, logger, cancellationToken);
            }

            if (parse.GetValue(demo))
            {
                return await DemoJob.RunAsync(options, reportOptions, environment, logger, cancellationToken);
            }

            using var preparation = Preparation.Prepare(options with { ConfigRequired = true }, environment);
            return await ReportJob.RunAsync(preparation, reportOptions, environment, logger, cancellationToken);
        });
        return command;
    }

    public static Command Collect(RunEnvironment environment, Option<bool> verbose)
    {
        var config = ConfigOption();
        var output = new Option<string>("--out") { Description = "The facts bundle to write (JSON)", Required = true };
        var periodOptions = new PeriodOptions();
        var only = OnlyOption();
        var noCache = NoCacheOption();
        var shard = new Option<string?>("--shard") { Description = "Collect only shard i of N of each source's work, e.g. 2/3 (sources that cannot be split run in shard 1)" };
        var suffix = new Option<string?>("--token-env-suffix") { Description = "Read each token from <tokenEnv><suffix> when it is set (GITHUB_TOKEN_2 for _2), so shards spend different quotas" };
        var command = new Command("collect", "Fetch every enabled source's facts and write them as one bundle, for okrhost report --facts or okrhost merge")
        {
            config, output, periodOptions.From, periodOptions.To, periodOptions.Period, only, noCache, shard, suffix,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            Running.Shard? selected = null;
            if (parse.GetValue(shard) is { } text && !Running.Shard.TryParse(text, out selected, out var error))
            {
                throw new InvalidInputException($"--shard: {error}");
            }

            var logger = CliApp.CreateLogger(environment, parse.GetValue(verbose));
            var options = periodOptions.Read(parse) with
            {
                ConfigPath = parse.GetValue(config),
                Only = Sources(parse.GetValue(only)),
                Shard = selected,
                TokenEnvSuffix = parse.GetValue(suffix),
                ConfigRequired = true,
            };
            using var preparation = Preparation.Prepare(options, environment);
            return await CollectJob.RunAsync(preparation, parse.GetValue(output)!, selected, parse.GetValue(noCache), environment, logger, cancellationToken);
        });
        return command;
    }

    public static Command Merge(RunEnvironment environment, Option<bool> verbose)
    {
        var parts = new Argument<string[]>("PART") { Description = "Facts bundles written by okrhost collect (every shard of a split)", Arity = ArgumentArity.OneOrMore };
        var config = ConfigOption();
        var okrs = OkrsOption();
        var output = OutOption();
        var periodOptions = new PeriodOptions();
        var failOn = FailOnOption();
        var command = new Command("merge", "Merge facts bundles (the shards of okrhost collect --shard) into the report one unsharded run writes; the same as report --facts PART,…")
        {
            parts, config, okrs, output, periodOptions.From, periodOptions.To, periodOptions.Period, failOn,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var logger = CliApp.CreateLogger(environment, parse.GetValue(verbose));
            var options = periodOptions.Read(parse) with { ConfigPath = parse.GetValue(config), OkrsPath = parse.GetValue(okrs) };
            return await FromFactsAsync(options, parse.GetValue(parts) ?? [], periodOptions.Given(parse), new ReportOptions(parse.GetValue(output), NoCache: true, FailOn(parse.GetValue(failOn))), environment, logger, cancellationToken);
        });
        return command;
    }

    private static async Task<int> FromFactsAsync(PrepareOptions options, IReadOnlyList<string> files, bool periodGiven, ReportOptions reportOptions, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        using var preparation = Preparation.Prepare(options, environment);
        return await FactsJob.RunAsync(preparation, files, periodGiven, reportOptions, environment, logger, cancellationToken);
    }

    private static string[]? Sources(string? list) => list?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>--from, --to and --period, as report, collect and merge take them.</summary>
    private sealed class PeriodOptions
    {
        public Option<string?> From { get; } = new("--from") { Description = "Period start, YYYY-MM-DD (UTC, inclusive)" };

        public Option<string?> To { get; } = new("--to") { Description = "Period end, YYYY-MM-DD (UTC, exclusive)" };

        public Option<string?> Period { get; } = new("--period") { Description = $"Period: {Configuration.ReportPeriodParser.Forms} (default: report.period, else last-30d)" };

        public PrepareOptions Read(ParseResult parse) => new() { Period = parse.GetValue(Period), From = parse.GetValue(From), To = parse.GetValue(To) };

        public bool Given(ParseResult parse) => parse.GetValue(Period) is not null || parse.GetValue(From) is not null || parse.GetValue(To) is not null;
    }

    public static Command Render(RunEnvironment environment, Option<bool> verbose)
    {
        var snapshot = new Option<string>("--snapshot") { Description = "A report.json written by okrhost report", Required = true };
        var output = new Option<string?>("--out") { Description = "Output folder (default: the snapshot's folder)" };
        var command = new Command("render", "Re-render report.html from a report.json snapshot, with no network") { snapshot, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            _ = parse.GetValue(verbose);
            var path = Path.GetFullPath(Path.Combine(environment.CurrentDirectory, parse.GetValue(snapshot)!));
            if (await SnapshotFile.ReadAsync(path, parse.GetValue(snapshot)!, environment.Error, cancellationToken) is not { } report)
            {
                return ExitCodes.InvalidInput;
            }

            var directory = parse.GetValue(output) is { } o ? Path.GetFullPath(Path.Combine(environment.CurrentDirectory, o)) : Path.GetDirectoryName(path)!;
            using var catalog = OkrHost.Plugins.PluginCatalog.Discover(environment.PluginsDirectory);
            var sections = catalog.Plugins.Where(p => p.SectionComponent is not null).ToDictionary(p => p.Id, p => p.SectionComponent!);
            var html = await new HtmlReportRenderer().RenderAsync(report, sections, cancellationToken);
            var htmlPath = Path.Combine(directory, ReportFiles.HtmlName);
            await AtomicFile.WriteAllTextAsync(htmlPath, html, cancellationToken);
            environment.Out.WriteLine($"report written: {htmlPath}");
            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Plugins(RunEnvironment environment)
    {
        var config = ConfigOption();
        var command = new Command("plugins", "List discovered plugins with version and enabled/configured state") { config };
        command.SetAction(parse =>
        {
            using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(config) }, environment);
            RunOutput.PrintPluginWarnings(environment.Error, preparation.Catalog);

            environment.Out.WriteLine($"plugins folder: {environment.PluginsDirectory}");
            foreach (var plan in preparation.Plans)
            {
                var state = plan.Fault is not null ? $"broken: {plan.Fault}"
                    : !plan.Enabled ? $"disabled ({plan.DisabledReason})"
                    : plan.Missing.Count > 0 ? $"not-configured: {string.Join("; ", plan.Missing)}"
                    : "enabled, configured";
                var provides = plan.OkrProvider is not null ? ", provides OKRs" : "";
                environment.Out.WriteLine($"{plan.Id,-10} {plan.Plugin.DisplayName,-12} {plan.Plugin.Version,-8} {plan.Metrics.Count,3} metrics{provides}  {state}");
            }

            foreach (var analyzer in preparation.Analyzers)
            {
                environment.Out.WriteLine($"{analyzer.Id,-10} {analyzer.DisplayName,-12} {"(host)",-8} {analyzer.Metrics.Count,3} metrics  cross-source analyzer");
            }

            if (preparation.Plans.Count == 0)
            {
                environment.Out.WriteLine("no plugins found");
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    public static Command Validate(RunEnvironment environment, Option<bool> verbose)
    {
        var config = ConfigOption();
        var okrs = OkrsOption();
        var command = new Command("validate", "Check plugins.json and the OKRs; print every problem (exit 0 when none, 2 otherwise)") { config, okrs };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var logger = CliApp.CreateLogger(environment, parse.GetValue(verbose));
            using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(config), OkrsPath = parse.GetValue(okrs), ConfigRequired = true }, environment);
            return await ValidateJob.RunAsync(preparation, environment, logger, cancellationToken);
        });
        return command;
    }

    public static Command Sandbox(RunEnvironment environment)
    {
        var port = new Option<int>("--port") { Description = "Port on 127.0.0.1 (default 5055; 0 picks a free one)", DefaultValueFactory = _ => 5055 };
        port.Validators.Add(result =>
        {
            var value = result.GetValueOrDefault<int>();
            if (value is < 0 or > 65535)
            {
                result.AddError($"--port {value} is not a port: use 1 to 65535 (or 0 for any free port)");
            }
        });
        var profile = new Option<SandboxProfile>("--profile") { Description = "demo or large", DefaultValueFactory = _ => SandboxProfile.Demo };
        var seed = new Option<int>("--seed") { Description = "Seed of the simulated organisation", DefaultValueFactory = _ => 42 };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every answer" };
        var faults = new Option<string?>("--faults")
        {
            Description = "Faults to inject, e.g. github:rate-limit:0.2,slack:server-error:0.1:3,notion:outage (service:kind[:rate[:count]], service * for all)",
        };
        var command = new Command("sandbox", "Serve the five emulated services on loopback until Ctrl+C, for a real config to aim at")
        {
            port, profile, seed, latency, faults,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            IReadOnlyList<FaultSpec> faultSpecs;
            try
            {
                faultSpecs = parse.GetValue(faults) is { } text ? FaultSpec.Parse(text) : [];
            }
            catch (FormatException ex)
            {
                environment.Error.WriteLine($"error: --faults: {ex.Message}");
                return ExitCodes.InvalidInput;
            }

            IRunningSandbox server;
            try
            {
                server = await SandboxLoader.StartAsync(environment.SandboxDirectory, new SandboxOptions
                {
                    Faults = faultSpecs,
                    Port = parse.GetValue(port),
                    Profile = parse.GetValue(profile),
                    Seed = parse.GetValue(seed),
                    Latency = TimeSpan.FromMilliseconds(parse.GetValue(latency)),
                }, cancellationToken);
            }
            catch (IOException ex) when (ex is not FileNotFoundException)
            {
                throw new InvalidInputException($"--port {parse.GetValue(port)}: cannot listen on 127.0.0.1:{parse.GetValue(port)} ({ex.Message.TrimEnd('.')}); choose a free port with --port");
            }

            await using var running = server;
            PrintSandboxConfig(server, environment.Out);
            environment.Out.WriteLine("press Ctrl+C to stop");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// What <c>okrhost sandbox</c> tells the user: the token exports and a complete plugins.json, OKRs
    /// included (from the sandbox's Notion OKR database) and the scripted model for the narrative and
    /// <c>ask</c>, so following it gives a scored report.
    /// </summary>
    internal static void PrintSandboxConfig(IRunningSandbox server, TextWriter output)
    {
        var (sources, variables) = server.DemoSources();
        output.WriteLine($"sandbox listening on {server.RootUrl} ({server.Profile} profile, seed {server.Seed}, now {server.Now:yyyy-MM-dd HH:mm}Z)");
        output.WriteLine("tokens (export them, then save the plugins.json below and run okrhost report):");
        foreach (var (name, value) in variables.Append(new(DemoJob.ModelKeyVariable, server.Model.ApiKey)))
        {
            output.WriteLine($"  export {name}={value}");
        }

        // With the scripted model's insights block, okrhost ask works against the standalone sandbox as it does with --demo.
        var config = new JsonObject { ["okrs"] = new JsonObject { ["source"] = "notion" }, ["sources"] = sources, ["insights"] = DemoJob.ScriptedModelInsights(server) };
        output.WriteLine(config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    public static Command Bench(RunEnvironment environment, Option<bool> verbose)
    {
        var profile = new Option<SandboxProfile>("--profile") { Description = "Organisation size: demo or large", DefaultValueFactory = _ => SandboxProfile.Large };
        var latency = new Option<int>("--latency-ms") { Description = "Latency added to every sandbox answer", DefaultValueFactory = _ => 20 };
        var shards = new Option<int?>("--shards") { Description = "Compare one process with N collect --shard processes and a merge, instead of the cold, warm and next-week runs" };
        shards.Validators.Add(result =>
        {
            if (result.GetValue(shards) is < 1 or > 64)
            {
                result.AddError($"--shards {result.GetValue(shards)}: use 1 to 64 shards");
            }
        });
        var command = new Command("bench", "Benchmark against the sandbox: cold, warm and next-week runs with the incremental ratios, or --shards N processes merged") { profile, latency, shards };
        command.SetAction((parse, cancellationToken) => BenchJob.RunAsync(
            parse.GetValue(profile),
            TimeSpan.FromMilliseconds(parse.GetValue(latency)),
            parse.GetValue(shards),
            environment,
            CliApp.CreateLogger(environment with { Interactive = true }, parse.GetValue(verbose)),
            cancellationToken));
        return command;
    }

    public static Command Ask(RunEnvironment environment, Option<bool> verbose)
    {
        var question = new Argument<string>("QUESTION") { Description = "The question, e.g. \"which key results got worse?\"" };
        var snapshot = new Option<string?>("--snapshot") { Description = "The report.json to ask about (default: report.json in the config's output folder, else out/)" };
        var config = ConfigOption();
        var json = new Option<bool>("--json") { Description = "Print the answer, model, metric ids used and tool calls as JSON" };
        var demo = new Option<bool>("--demo") { Description = "Ask the sandbox's scripted model (no key, no network), e.g. about a report --demo; its history is the okrhost.db beside the snapshot" };
        var store = HistoryCommands.StoreOption();
        var command = new Command("ask", "Ask a question about a report; a language model answers from read-only tools over the snapshot and the history store")
        {
            question, snapshot, config, store, json, demo,
        };
        command.SetAction((parse, cancellationToken) => AskJob.RunAsync(
            new AskOptions(parse.GetValue(question)!, parse.GetValue(snapshot), parse.GetValue(config), parse.GetValue(json), parse.GetValue(demo)) { StorePath = parse.GetValue(store) },
            environment,
            CliApp.CreateLogger(environment, parse.GetValue(verbose)),
            cancellationToken));
        return command;
    }

    public static Command Init(RunEnvironment environment)
    {
        var directory = new Option<string?>("--dir") { Description = "Folder to set up (default: the current folder)" };
        var force = new Option<bool>("--force") { Description = "Overwrite plugins.json, okrs.json and .env.example if they exist" };
        var command = new Command("init", "Write a starting plugins.json, okrs.json and .env.example, and keep .env, okrhost.db* and out/ out of git") { directory, force };
        command.SetAction((parse, cancellationToken) => InitJob.RunAsync(parse.GetValue(directory), parse.GetValue(force), environment, cancellationToken));
        return command;
    }

    public static Command Doctor(RunEnvironment environment, Option<bool> verbose)
    {
        var config = ConfigOption();
        var command = new Command("doctor", "Prove each enabled source with the first request its collection makes; one line per source (exit 0 all ok, 3 any not, 2 config errors)") { config };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var logger = CliApp.CreateLogger(environment with { Interactive = true }, parse.GetValue(verbose));
            using var preparation = Preparation.Prepare(new PrepareOptions { ConfigPath = parse.GetValue(config), ConfigRequired = true }, environment);
            return await DoctorJob.RunAsync(preparation, environment, logger, cancellationToken);
        });
        return command;
    }

    internal static Option<string?> ConfigOption() => new("--config") { Description = "The config file (default: plugins.json in the current folder)" };

    private static Option<string?> OutOption() => new("--out") { Description = "Output folder (default: report.output, else out/ beside the config)" };

    private static Option<string?> FailOnOption()
    {
        var failOn = new Option<string?>("--fail-on") { Description = "Exit 4 when a key result is at this status or worse: off-track or at-risk (a CI gate)" };
        failOn.AcceptOnlyFromAmong("off-track", "at-risk");
        return failOn;
    }

    private static OkrStatus? FailOn(string? value) => value switch { "off-track" => OkrStatus.OffTrack, "at-risk" => OkrStatus.AtRisk, _ => null };

    private static Option<string?> OnlyOption() => new("--only") { Description = "Run only these sources, comma-separated (the others are reported as disabled)" };

    private static Option<bool> NoCacheOption() => new("--no-cache") { Description = "Bypass the conditional-request (ETag) cache" };

    private static Option<string?> OkrsOption() => new("--okrs") { Description = "OKR file, overriding okrs.file and okrs.source" };
}

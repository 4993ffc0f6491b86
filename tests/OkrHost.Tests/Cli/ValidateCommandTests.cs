using OkrHost.Testing;
using OkrHost.Tests.Plugins;
using OkrHost.UseCases;

namespace OkrHost.Tests.Cli;

[Collection(OnCallPluginCollection.Name)]
public class ValidateCommandTests(OnCallPluginFixture plugin)
{
    [Fact]
    public async Task An_unknown_dora_benchmark_industry_stops_a_report_before_anything_is_fetched_naming_the_known_ones()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", """
            { "sources": { "oncall": { "pagesFile": "pages.csv" } },
              "dora": { "benchmark": { "edition": "2024", "industry": "retail", "organizationSize": "fewer_than_100" } } }
            """);

        var validate = await CliRunner.RunAsync(folder.Path, plugins, null, "validate");
        var report = await CliRunner.RunAsync(folder.Path, plugins, null, "report");

        Assert.Equal((2, 2), (validate.ExitCode, report.ExitCode));
        const string Expected = "error: plugins.json: $.dora.benchmark.industry: unknown industry 'retail' in the 2024 edition (known: all, education, energy, "
            + "financial_services, government, healthcare_pharmaceuticals, industrials_manufacturing, insurance, media_entertainment, non_profit, consumer, technology, telecommunications, other)";
        Assert.Contains(Expected, validate.Error.Split('\n', StringSplitOptions.TrimEntries));
        Assert.Contains(Expected, report.Error.Split('\n', StringSplitOptions.TrimEntries));
        Assert.False(File.Exists(folder.Combine("out", "report.json")));
        Assert.DoesNotContain("   at ", report.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_lists_every_problem_with_file_and_json_path_and_exits_2()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", """
            {
              "report": { "period": "last-week" },
              "okrs": { "file": "okrs.json" },
              "sources": {
                "oncall": { "pagesFile": "pages.csv", "nightFromHour": 3, "colour": "blue" }
              },
              "http": { "maxRetries": -1, "cacheMaxMegabytes": 0, "cacheMaxAgeDays": 30 },
              "dora": { "incidentWindowHours": 0 }
            }
            """);
        folder.File("okrs.json", """
            { "objectives": [ { "title": "Quiet nights", "keyResults": [
                { "title": "Fewer pages", "metric": "oncall.pagez", "target": 5, "direction": "decrease" },
                { "title": "No target", "metric": "oncall.pages", "direction": "sideways" } ] } ] }
            """);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "validate");

        Assert.Equal(2, result.ExitCode);
        var lines = result.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("error: plugins.json: $.report.period: 'last-week' is not a period; use one of last-7d, last-30d, last-90d, this-quarter, last-quarter, YYYY-Qn, YYYY-MM", lines);
        Assert.Contains("error: plugins.json: $.http.maxRetries: must be between 0 and 100, not -1", lines);
        Assert.Contains("error: plugins.json: $.http.cacheMaxMegabytes: must be between 1 and 102400, not 0", lines);
        Assert.DoesNotContain(lines, l => l.Contains("cacheMaxAgeDays", StringComparison.Ordinal));
        Assert.Contains("error: plugins.json: $.dora.incidentWindowHours: must be a number of hours greater than 0 and at most 8760 (a year), not 0", lines);
        Assert.Contains("error: plugins.json: $.sources.oncall.nightFromHour: must be an hour from 12 to 23", lines);
        Assert.Contains(lines, l => l.StartsWith("warning: plugins.json: $.sources.oncall.colour: unknown setting 'colour' is ignored (known: ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("error: okrs.json: $.objectives[0].keyResults[0].metric: unknown metric 'oncall.pagez'; known metric ids: ", StringComparison.Ordinal)
            && l.EndsWith("oncall.night_pages, oncall.pages", StringComparison.Ordinal));
        Assert.Contains("error: okrs.json: $.objectives[0].keyResults[1].target: is required (a number)", lines);
        Assert.Contains("error: okrs.json: $.objectives[0].keyResults[1].direction: 'sideways' must be \"increase\" or \"decrease\"", lines);
    }

    [Fact]
    public async Task A_bad_base_url_is_reported_once_by_the_host_that_owns_it()
    {
        using var folder = new TempFolder();
        folder.File("plugins.json", """{ "sources": { "github": { "baseUrl": "not a url", "repositories": ["acme/api"] } } }""");

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.Equal(2, result.ExitCode);
        var line = Assert.Single(result.Error.Split('\n'), l => l.Contains("$.sources.github.baseUrl", StringComparison.Ordinal));
        Assert.Contains("'not a url' is not an absolute http(s) URL", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Validate_accepts_a_good_config_and_says_what_it_found()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", """{ "okrs": { "file": "okrs.json" }, "sources": { "oncall": { "pagesFile": "pages.csv" } } }""");
        folder.File("okrs.json", """{ "objectives": [ { "title": "Quiet", "keyResults": [ { "title": "k", "metric": "oncall.pages", "target": 5, "direction": "decrease" } ] } ] }""");

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ok: plugins.json: 1 sources (1 ready to run), 1 key results from okrs.json", result.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_json_is_reported_with_its_location_and_nothing_is_fetched()
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);
        folder.File("plugins.json", """{ "sources": { "oncall": { "pagesFile": "pages.csv", } """);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "report");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("error: plugins.json: $: not valid JSON", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(folder.Combine("out")));
    }

    [Theory]
    [InlineData("report --period last-30d --from 2026-10-01 --to 2026-11-01", "use either --period or --from/--to, not both")]
    [InlineData("report --from 2026-10-01", "--from and --to go together")]
    [InlineData("report --bogus", "Unrecognized command or argument '--bogus'")]
    [InlineData("report --config missing.json", "error: missing.json: $: file not found")]
    [InlineData("report --only nosuch", "error: --only: nosuch: unknown source 'nosuch'")]
    [InlineData("render", "Option '--snapshot' is required")]
    public async Task Bad_usage_exits_2_with_a_clear_message_and_no_stack_trace(string args, string message)
    {
        using var folder = new TempFolder();
        var plugins = plugin.InstallInto(folder);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, args.Split(' '));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_valid_config_with_no_source_able_to_run_passes_with_a_warning()
    {
        using var folder = new TempFolder();
        // No tokens in the environment: every built-in source is not-configured.
        folder.File("plugins.json", "{}");

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("(0 ready to run)", result.Out, StringComparison.Ordinal);
        Assert.Contains(result.Error.Split('\n'), l => l.StartsWith("warning: no source can run", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Help_and_usage_errors_name_the_command_okrhost()
    {
        using var folder = new TempFolder();

        var help = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "--help");
        var wrong = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "reprot");

        Assert.Equal(0, help.ExitCode);
        Assert.Contains("okrhost [command] [options]", help.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("OkrHost", help.Out + help.Error, StringComparison.Ordinal);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("run 'okrhost --help' for usage", wrong.Error, StringComparison.Ordinal);
    }
}

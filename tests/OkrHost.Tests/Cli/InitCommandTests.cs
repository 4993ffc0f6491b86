using System.Text.Json;
using OkrHost.Plugins;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public class InitCommandTests
{
    private static readonly string[] Written = ["plugins.json", "okrs.json", ".env.example", ".gitignore"];

    [Fact]
    public async Task Init_in_an_empty_folder_writes_files_that_validate_and_a_second_run_changes_nothing()
    {
        using var folder = new TempFolder();

        var init = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.All(Written, name => Assert.True(File.Exists(folder.Combine(name)), name));
        Assert.Contains("no source is enabled", init.Out, StringComparison.Ordinal);
        var validate = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        // The notes init writes are not settings: no "unknown key" warning for them.
        Assert.DoesNotContain("$comment", validate.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unknown", validate.Error, StringComparison.Ordinal);

        var before = Written.ToDictionary(name => name, name => (File.ReadAllText(folder.Combine(name)), File.GetLastWriteTimeUtc(folder.Combine(name))));
        var again = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init");

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("nothing changed", again.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("wrote", again.Out, StringComparison.Ordinal);
        Assert.All(Written, name => Assert.Equal(before[name], (File.ReadAllText(folder.Combine(name)), File.GetLastWriteTimeUtc(folder.Combine(name)))));
    }

    [Fact]
    public async Task Every_installed_source_is_listed_and_enabled_only_when_its_token_variable_is_set_in_the_environment_or_dot_env()
    {
        using var folder = new TempFolder();
        folder.File(".env", "LINEAR_API_KEY=lin_api_fromdotenv\n");

        var init = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_fromenvironment" }, "init");

        Assert.True(init.ExitCode == 0, init.ToString());
        using var catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);
        using var config = JsonDocument.Parse(File.ReadAllText(folder.Combine("plugins.json")));
        var sources = config.RootElement.GetProperty("sources");
        Assert.Equal(catalog.Plugins.Select(p => p.Id).Order(), sources.EnumerateObject().Select(p => p.Name).Order());
        foreach (var plugin in catalog.Plugins)
        {
            var entry = sources.GetProperty(plugin.Id);
            Assert.Equal(plugin.Id is "github" or "linear", entry.GetProperty("enabled").GetBoolean());
            Assert.Equal(plugin.Metadata.DefaultTokenEnv, entry.GetProperty("tokenEnv").GetString());
        }

        // The plugin's own words for what it needs, so the user knows what to fill in.
        Assert.Contains("repositories: list the repositories to measure", sources.GetProperty("github").GetProperty("$comment").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("fromdotenv", File.ReadAllText(folder.Combine("plugins.json")), StringComparison.Ordinal);

        using var okrs = JsonDocument.Parse(File.ReadAllText(folder.Combine("okrs.json")));
        var metrics = okrs.RootElement.GetProperty("objectives").EnumerateArray().SelectMany(o => o.GetProperty("keyResults").EnumerateArray())
            .Select(kr => kr.GetProperty("metric").GetString()!).ToArray();
        Assert.Equal(3, metrics.Length);
        Assert.Contains(metrics, m => m.StartsWith("github.", StringComparison.Ordinal));
        Assert.Contains(metrics, m => m.StartsWith("linear.", StringComparison.Ordinal));
        // GitHub deploys, so DORA's overall score is an example goal too, and plugins.json says how to pick its benchmark.
        Assert.Contains("dora.score.overall", metrics);
        Assert.Equal("all", config.RootElement.GetProperty("dora").GetProperty("benchmark").GetProperty("industry").GetString());

        var validate = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, new Dictionary<string, string> { ["GITHUB_TOKEN"] = "ghp_fromenvironment" }, "validate");
        Assert.True(validate.ExitCode == 0, validate.ToString());
        Assert.Contains("github: not-configured: $.sources.github.repositories", validate.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Env_example_names_every_token_variable_with_how_to_get_it_and_the_repository_ships_the_same_file()
    {
        using var folder = new TempFolder();

        var init = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init");

        Assert.True(init.ExitCode == 0, init.ToString());
        var example = File.ReadAllText(folder.Combine(".env.example"));
        using var catalog = PluginCatalog.Discover(RepoPaths.HostPlugins);
        foreach (var plugin in catalog.Plugins)
        {
            Assert.Contains($"\n{plugin.Metadata.DefaultTokenEnv}=\n", example, StringComparison.Ordinal);
            Assert.False(string.IsNullOrWhiteSpace(plugin.Metadata.TokenHelp), plugin.Id);
            Assert.Contains($"# {plugin.DisplayName}: {plugin.Metadata.TokenHelp}\n", example, StringComparison.Ordinal);
        }

        Assert.Equal(example, File.ReadAllText(Path.Combine(RepoPaths.Root, ".env.example")));
        var ignored = File.ReadAllLines(Path.Combine(RepoPaths.Root, ".gitignore")).Select(l => l.Trim()).ToArray();
        Assert.Contains(".env", ignored);
    }

    [Fact]
    public async Task Gitignore_gets_each_line_once_keeping_what_it_had()
    {
        using var folder = new TempFolder();
        folder.File(".gitignore", "node_modules/\nout/\n  .env  \n*.log");

        var first = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init");
        var second = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init", "--force");

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        var lines = File.ReadAllLines(folder.Combine(".gitignore")).Select(l => l.Trim()).ToArray();
        Assert.Equal(["node_modules/", "out/", ".env", "*.log"], lines.Take(4));
        foreach (var line in new[] { ".env", "okrhost.db*", "out/", "*.log", "node_modules/" })
        {
            Assert.Single(lines, line);
        }

        Assert.Contains("ignores okrhost.db*", first.Out, StringComparison.Ordinal);
        Assert.Contains("kept    .gitignore", second.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Force_overwrites_the_files_and_without_it_an_edited_file_is_kept()
    {
        using var folder = new TempFolder();
        await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init", "--dir", "team");
        var path = folder.Combine("team", "plugins.json");
        var original = File.ReadAllText(path);
        File.WriteAllText(path, """{ "sources": {} }""");

        var kept = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init", "--dir", "team");
        Assert.True(kept.ExitCode == 0, kept.ToString());
        Assert.Equal("""{ "sources": {} }""", File.ReadAllText(path));
        Assert.Contains("kept    plugins.json (it exists; --force overwrites it)", kept.Out, StringComparison.Ordinal);

        var forced = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "init", "--dir", "team", "--force");
        Assert.True(forced.ExitCode == 0, forced.ToString());
        Assert.Equal(original, File.ReadAllText(path));
        Assert.Contains("wrote   plugins.json", forced.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_no_plugins_installed_the_files_still_validate_and_say_what_to_do()
    {
        using var folder = new TempFolder();
        var noPlugins = Directory.CreateDirectory(folder.Combine("plugins")).FullName;

        var init = await CliRunner.RunAsync(folder.Path, noPlugins, null, "init");
        var validate = await CliRunner.RunAsync(folder.Path, noPlugins, null, "validate");

        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("No source plugin is installed", File.ReadAllText(folder.Combine("okrs.json")), StringComparison.Ordinal);
        Assert.True(validate.ExitCode == 0, validate.ToString());
    }
}

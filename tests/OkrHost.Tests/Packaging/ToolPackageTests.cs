using System.IO.Compression;
using System.Text.Json;
using OkrHost.Testing;

namespace OkrHost.Tests.Packaging;

public class ToolPackageTests(ToolPackageFixture tool) : IClassFixture<ToolPackageFixture>
{
    [Fact]
    public void The_package_is_the_okrhost_tool_with_every_in_repo_plugin_beside_the_host()
    {
        using var package = ZipFile.OpenRead(tool.Package);
        var entries = package.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);

        var settings = package.GetEntry("tools/net10.0/any/DotnetToolSettings.xml")!;
        using (var reader = new StreamReader(settings.Open()))
        {
            Assert.Contains("""<Command Name="okrhost" EntryPoint="OkrHost.dll" """, reader.ReadToEnd(), StringComparison.Ordinal);
        }

        var plugins = Directory.GetDirectories(Path.Combine(RepoPaths.Root, "plugins")).Select(Path.GetFileName).ToArray();
        Assert.Equal(5, plugins.Length);
        Assert.All(plugins, name =>
        {
            Assert.Contains($"tools/net10.0/any/plugins/{name}/{name}.dll", entries);
            Assert.Contains($"tools/net10.0/any/plugins/{name}/{name}.deps.json", entries);
        });
        Assert.Contains("tools/net10.0/any/plugins/GitHub/Octokit.dll", entries);
        // The host's shared assemblies must not be duplicated inside a plugin folder (MEF would see no exports).
        Assert.DoesNotContain(entries, e => e.StartsWith("tools/net10.0/any/plugins/", StringComparison.Ordinal)
            && (e.EndsWith("/OkrHost.Contracts.dll", StringComparison.Ordinal) || e.Contains("/System.Composition.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_installed_tool_runs_the_demo_with_every_source_ok()
    {
        using var work = new TempFolder();

        var result = await ProcessRunner.RunAsync(tool.Command, ["report", "--demo", "--out", work.Combine("site")], TimeSpan.FromMinutes(3), work.Path, tool.Variables);

        Assert.True(result.ExitCode == 0, result.ToString());
        using var snapshot = JsonDocument.Parse(File.ReadAllText(work.Combine("site", "report.json")));
        var sources = snapshot.RootElement.GetProperty("sources").EnumerateArray().ToArray();
        Assert.Equal(["github", "linear", "slack", "grafana", "notion"], sources.Select(s => s.GetProperty("id").GetString()));
        Assert.All(sources, s => Assert.True(s.GetProperty("status").GetString() == "ok", s.ToString()));
        Assert.True(File.Exists(work.Combine("site", "report.html")));
    }

    [Fact]
    public async Task The_installed_tool_discovers_its_plugins_in_its_own_folder()
    {
        using var work = new TempFolder();

        var result = await ProcessRunner.RunAsync(tool.Command, ["plugins"], TimeSpan.FromMinutes(1), work.Path, tool.Variables);

        Assert.True(result.ExitCode == 0, result.ToString());
        var folderLine = result.Out.Split('\n').Single(l => l.StartsWith("plugins folder: ", StringComparison.Ordinal));
        Assert.StartsWith(Path.GetDirectoryName(tool.Command)!, folderLine["plugins folder: ".Length..].Trim(), StringComparison.Ordinal);
        Assert.Empty(result.Error);
        foreach (var id in new[] { "github", "linear", "slack", "grafana", "notion" })
        {
            Assert.Contains(id, result.Out, StringComparison.Ordinal);
        }
    }
}

using System.Text.Json;
using OkrHost.Testing;
using OkrHost.Tests.Plugins;

namespace OkrHost.Tests.Hardening;

/// <summary>Two plugin folders declaring one source id: neither runs, both are named.</summary>
public class DuplicateSourceIdTests
{
    private const string Token = "ghp_TheRealGitHubTokenNobodyElseGets42";

    [Fact]
    public async Task A_dropped_in_plugin_claiming_github_loads_neither_it_nor_the_real_one()
    {
        using var folder = new TempFolder();
        ThrowawayPlugins.InstallBuiltIn(folder, "GitHub");
        var plugins = ThrowawayPlugins.InstallInto(folder, "ImpostorPlugin", "Impostor");
        folder.File("plugins.json", """
            { "report": { "output": "out" },
              "sources": { "github": { "repositories": ["acme/api"] } } }
            """);

        var listed = await CliRunner.RunAsync(folder.Path, plugins, null, "plugins");
        var result = await CliRunner.RunAsync(folder.Path, plugins, new Dictionary<string, string> { ["GITHUB_TOKEN"] = Token }, "report", "--period", "2026-10");

        const string warning = "warning: plugins/GitHub and plugins/Impostor: both skipped, each declares source id 'github'; remove one of them";
        Assert.Contains(warning, listed.Error, StringComparison.Ordinal);
        Assert.Contains("no plugins found", listed.Out, StringComparison.Ordinal);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(warning, result.Error, StringComparison.Ordinal);
        Assert.Contains("$.sources.github: no installed plugin provides source 'github'", result.Error, StringComparison.Ordinal);
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        Assert.Empty(snapshot.RootElement.GetProperty("sources").EnumerateArray());
        var deploymentFrequency = snapshot.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("id").GetString() == "dora.deployment_frequency");
        Assert.Equal(JsonValueKind.Null, deploymentFrequency.GetProperty("value").ValueKind);
    }
}

using System.Text.Json;
using OkrHost.Cli;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public sealed class SandboxCommandTests
{
    [Fact]
    public async Task Following_the_printed_sandbox_config_gives_a_report_with_scored_okrs_and_ask_answers_about_it()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now });
        using var printed = new StringWriter();
        SandboxCommand.PrintSandboxConfig(sandbox, printed);

        // What a user copies: the exported variables and the JSON block, as printed.
        var lines = printed.ToString().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var variables = lines.Where(l => l.StartsWith("  export ", StringComparison.Ordinal))
            .Select(l => l["  export ".Length..].Split('=', 2))
            .ToDictionary(p => p[0], p => p[1]);
        var start = lines.IndexOf("{");
        var json = string.Join('\n', lines.Skip(start).Take(lines.IndexOf("}") - start + 1));
        using var folder = new TempFolder();
        folder.File("plugins.json", json);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "report", "--period", "2026-10");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var keyResults = snapshot.RootElement.GetProperty("okrs").EnumerateArray().SelectMany(o => o.GetProperty("keyResults").EnumerateArray()).ToList();
        Assert.NotEmpty(keyResults);
        Assert.Contains(keyResults, kr => kr.GetProperty("progress").ValueKind == JsonValueKind.Number);

        // The printed insights block points at the sandbox's scripted model, so ask works against the standalone sandbox.
        Assert.Equal(DemoReport.ModelKeyVariable, JsonDocument.Parse(json).RootElement.GetProperty("insights").GetProperty("llm").GetProperty("apiKeyEnv").GetString());
        var ask = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, variables, "ask", "which key results got worse?");
        Assert.True(ask.ExitCode == 0, ask.ToString());
        Assert.Contains("answered by the openai model okrhost-sandbox-scripted", ask.Out, StringComparison.Ordinal);
    }
}

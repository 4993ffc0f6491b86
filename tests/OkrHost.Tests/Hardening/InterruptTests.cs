using System.Diagnostics;
using System.Text.Json.Nodes;
using OkrHost.Cli;
using OkrHost.Testing;
using OkrHost.Tests.Http;

namespace OkrHost.Tests.Hardening;

/// <summary>Ctrl+C or SIGTERM mid-run: exit 130, one line saying so, and the previous report untouched.</summary>
public class InterruptTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>
{
    private const string Previous = "{ \"previous\": true }";

    [Fact]
    public async Task An_interrupted_run_exits_130_and_keeps_the_previous_report()
    {
        using var run = new FaultyPluginRun("block");
        run.Folder.File("out/report.json", Previous);
        using var interrupt = new CancellationTokenSource();
        try
        {
            var running = run.ReportAsync(new CliRunOptions { Interrupted = interrupt.Token });
            using (var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                while (!File.Exists(run.Folder.Combine("started")))
                {
                    await Task.Delay(20, patience.Token);
                }
            }

            await interrupt.CancelAsync();
            var result = await running.WaitAsync(TimeSpan.FromSeconds(60));

            Assert.True(result.ExitCode == 130, result.ToString());
            Assert.Equal(CliApp.InterruptedMessage, result.Error.Trim().Split('\n')[^1]);
            Assert.Equal(Previous, File.ReadAllText(run.Folder.Combine("out", "report.json")));
            Assert.False(File.Exists(run.Folder.Combine("out", "report.html")));
        }
        finally
        {
            run.Folder.File("release", "");
        }
    }

    [Fact]
    public async Task Sigterm_to_the_okrhost_process_exits_130_and_keeps_the_previous_report()
    {
        var asked = new TaskCompletionSource();
        await using var hanging = await ScriptedServer.StartAsync(async (context, _) =>
        {
            asked.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        using var folder = new TempFolder();
        var (_, variables) = AimedSource.Write(folder, sandbox.Server, "slack", hanging.BaseUrl.ToString(), new JsonObject());
        folder.File("out/report.json", Previous);
        var start = new ProcessStartInfo("dotnet", [RepoPaths.HostAssembly, "report", "--only", "slack", "--period", "2026-10", "--no-cache"])
        {
            WorkingDirectory = folder.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in variables)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        await asked.Task.WaitAsync(TimeSpan.FromSeconds(60));
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(process.ExitCode == 130, $"exit {process.ExitCode}\n{await stderr}");
        Assert.Contains(CliApp.InterruptedMessage, await stderr, StringComparison.Ordinal);
        Assert.Equal(Previous, File.ReadAllText(folder.Combine("out", "report.json")));
    }
}

using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Testing;
using OkrHost.Tests.Plugins;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// A folder with the Faulty plugin, set to one fault, beside the well-behaved OnCall plugin, so a test
/// also shows that the other source still runs. (Not with a fake clock: moving it times out every source
/// still running, the other one too.)
/// </summary>
internal sealed class FaultyPluginRun : IDisposable
{
    public FaultyPluginRun(string fault, int sourceTimeoutSeconds = 30, bool withOnCall = true)
    {
        if (withOnCall)
        {
            ThrowawayPlugins.InstallInto(Folder, "OnCallPlugin", "OnCall");
        }

        Plugins = ThrowawayPlugins.InstallInto(Folder, "FaultyPlugin", "Faulty");
        Folder.File("pages.csv", "2026-10-03T23:30:00Z,checkout\n");
        Folder.File("plugins.json", new JsonObject
        {
            ["report"] = new JsonObject { ["output"] = "out" },
            ["sources"] = new JsonObject
            {
                ["faulty"] = new JsonObject { ["fault"] = fault },
                ["oncall"] = new JsonObject { ["pagesFile"] = "pages.csv" },
            },
            ["http"] = new JsonObject { ["sourceTimeoutSeconds"] = sourceTimeoutSeconds },
        }.ToJsonString());
    }

    public TempFolder Folder { get; } = new();

    public string Plugins { get; }

    public Task<CliResult> ReportAsync(CliRunOptions? options = null) =>
        CliRunner.RunAsync(Folder.Path, Plugins, null, options ?? new CliRunOptions(), "report", "--period", "2026-10");

    public string ReportJson => File.ReadAllText(Folder.Combine("out", "report.json"));

    /// <summary>Status and error of each source in report.json, by id.</summary>
    public Dictionary<string, (string Status, string? Error)> Sources()
    {
        using var snapshot = JsonDocument.Parse(ReportJson);
        return snapshot.RootElement.GetProperty("sources").EnumerateArray().ToDictionary(
            s => s.GetProperty("id").GetString()!,
            s => (s.GetProperty("status").GetString()!, s.GetProperty("error").GetString()));
    }

    public void Dispose() => Folder.Dispose();
}

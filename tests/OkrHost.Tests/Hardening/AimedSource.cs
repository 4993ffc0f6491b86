using System.Text.Json.Nodes;
using OkrHost.Sandbox;
using OkrHost.Testing;

namespace OkrHost.Tests.Hardening;

/// <summary>A plugins.json with one source configured as in the sandbox's demo, but aimed at a test's own server.</summary>
internal static class AimedSource
{
    /// <summary>Writes the config; returns the source's token variable and the sandbox's value for it.</summary>
    public static (string TokenEnv, IReadOnlyDictionary<string, string> Variables) Write(
        TempFolder folder, SandboxServer sandbox, string source, string baseUrl, JsonObject? http = null)
    {
        var (sources, variables) = sandbox.DemoSources();
        var settings = sources[source]!.DeepClone().AsObject();
        settings["baseUrl"] = baseUrl;
        folder.File("plugins.json", new JsonObject
        {
            ["report"] = new JsonObject { ["output"] = "out" },
            ["sources"] = new JsonObject { [source] = settings },
            ["http"] = http ?? new JsonObject { ["maxRetries"] = 0 },
        }.ToJsonString());
        return (settings["tokenEnv"]!.GetValue<string>(), variables);
    }
}

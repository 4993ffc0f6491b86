using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Grafana;

/// <summary>Emulates the Grafana API for the simulated organisation.</summary>
public sealed class GrafanaEmulator(SandboxOrg org) : IServiceEmulator
{
    /// <inheritdoc/>
    public string Id => "grafana";

    /// <inheritdoc/>
    public string Token => "sandbox-grafana-token";

    /// <summary>The organisation served.</summary>
    public SandboxOrg Org { get; } = org;

    /// <inheritdoc/>
    public void Map(IEndpointRouteBuilder routes)
    {
    }

    /// <inheritdoc/>
    public JsonObject DemoSettings(Uri baseUrl) => new() { ["baseUrl"] = baseUrl.ToString() };

    /// <inheritdoc/>
    public long MinimumRequests(SandboxPeriod period) => 0;
}

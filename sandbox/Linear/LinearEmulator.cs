using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Linear;

/// <summary>Emulates the Linear API for the simulated organisation.</summary>
public sealed class LinearEmulator(SandboxOrg org) : IServiceEmulator
{
    /// <inheritdoc/>
    public string Id => "linear";

    /// <inheritdoc/>
    public string Token => "sandbox-linear-token";

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

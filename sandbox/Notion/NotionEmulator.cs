using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Notion;

/// <summary>Emulates the Notion API for the simulated organisation.</summary>
public sealed class NotionEmulator(SandboxOrg org) : IServiceEmulator
{
    /// <inheritdoc/>
    public string Id => "notion";

    /// <inheritdoc/>
    public string Token => "sandbox-notion-token";

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

using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.Slack;

/// <summary>Emulates the Slack API for the simulated organisation.</summary>
public sealed class SlackEmulator(SandboxOrg org) : IServiceEmulator
{
    /// <inheritdoc/>
    public string Id => "slack";

    /// <inheritdoc/>
    public string Token => "sandbox-slack-token";

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

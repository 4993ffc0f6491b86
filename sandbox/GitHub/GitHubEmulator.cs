using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox.GitHub;

/// <summary>Emulates the GitHub API for the simulated organisation.</summary>
public sealed class GitHubEmulator(SandboxOrg org) : IServiceEmulator
{
    /// <inheritdoc/>
    public string Id => "github";

    /// <inheritdoc/>
    public string Token => "sandbox-github-token";

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

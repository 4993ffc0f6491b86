namespace OkrHost.Plugins.Linear;

/// <summary>The <c>sources.linear</c> object of plugins.json.</summary>
public sealed class LinearSettings
{
    /// <summary>Linear's GraphQL endpoint, posted to as is.</summary>
    public string BaseUrl { get; set; } = "https://api.linear.app/graphql";

    /// <summary>Environment variable holding the personal API key or OAuth token.</summary>
    public string TokenEnv { get; set; } = LinearSource.DefaultTokenEnv;

    /// <summary>Team keys whose issues count; empty means every team the key can see.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>The label that makes an issue a bug, matched case-insensitively.</summary>
    public string BugLabel { get; set; } = "Bug";
}

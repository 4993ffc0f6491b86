namespace OkrHost.Plugins.Linear;

/// <summary>The <c>sources.linear</c> object of plugins.json (the host owns enabled, baseUrl and tokenEnv).</summary>
public sealed class LinearSettings
{
    /// <summary>Linear's GraphQL endpoint, the default of <c>baseUrl</c>.</summary>
    public const string DefaultBaseUrl = "https://api.linear.app/graphql";

    /// <summary>Team keys whose issues count; empty means every team the key can see.</summary>
    public List<string> Teams { get; set; } = [];

    /// <summary>The label that makes an issue a bug, matched case-insensitively.</summary>
    public string BugLabel { get; set; } = "Bug";
}

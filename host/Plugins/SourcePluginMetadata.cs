using OkrHost.Contracts;

namespace OkrHost.Plugins;

/// <summary>The metadata view of <see cref="SourcePluginAttribute"/> that MEF fills before a plugin is created.</summary>
public sealed class SourcePluginMetadata
{
    /// <inheritdoc cref="SourcePluginAttribute.Id"/>
    public string Id { get; set; } = "";

    /// <inheritdoc cref="SourcePluginAttribute.DisplayName"/>
    public string DisplayName { get; set; } = "";

    /// <inheritdoc cref="SourcePluginAttribute.DefaultTokenEnv"/>
    public string? DefaultTokenEnv { get; set; }

    /// <inheritdoc cref="SourcePluginAttribute.DefaultBaseUrl"/>
    public string? DefaultBaseUrl { get; set; }

    /// <inheritdoc cref="SourcePluginAttribute.TokenHelp"/>
    public string? TokenHelp { get; set; }

    /// <inheritdoc cref="SourcePluginAttribute.PartitionSetting"/>
    public string? PartitionSetting { get; set; }
}

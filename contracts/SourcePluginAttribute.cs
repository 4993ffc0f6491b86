using System.Composition;

namespace OkrHost.Contracts;

/// <summary>
/// Identifies an exported <see cref="ISourcePlugin"/>. Read by the host before the plugin is created.
/// </summary>
/// <example><code>
/// [Export(typeof(ISourcePlugin))]
/// [SourcePlugin("github", "GitHub", DefaultTokenEnv = "GITHUB_TOKEN")]
/// public sealed class GitHubSource : ISourcePlugin { … }
/// </code></example>
[MetadataAttribute]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SourcePluginAttribute : Attribute
{
    /// <summary>Declares a source plugin.</summary>
    /// <param name="id">Lower-case key of the source in <c>plugins.json</c> and prefix of its metric ids.</param>
    /// <param name="displayName">Name shown in the report and by <c>okrhost plugins</c>.</param>
    public SourcePluginAttribute(string id, string displayName)
    {
        Id = id;
        DisplayName = displayName;
    }

    /// <summary>Lower-case key of the source in <c>plugins.json</c> and prefix of its metric ids.</summary>
    public string Id { get; }

    /// <summary>Name shown in the report and by <c>okrhost plugins</c>.</summary>
    public string DisplayName { get; }

    /// <summary>
    /// Environment variable the token is read from when the settings do not name one in <c>tokenEnv</c>.
    /// <c>null</c> for a source that needs no token.
    /// </summary>
    public string? DefaultTokenEnv { get; set; }

    /// <summary>
    /// The service's address when the settings do not give <c>baseUrl</c> (the public API: <c>https://api.github.com/</c>).
    /// <c>null</c> for a self-hosted service, whose <c>baseUrl</c> the user must give.
    /// </summary>
    public string? DefaultBaseUrl { get; set; }

    /// <summary>
    /// How to get the token, for people setting the source up: the kind of token, the scopes or
    /// permissions it needs and where to create it, in one or two sentences. <c>okrhost init</c> writes it
    /// into <c>.env.example</c> and <c>okrhost doctor</c> quotes it when the service refuses a request.
    /// </summary>
    public string? TokenHelp { get; set; }

    /// <summary>
    /// The list-valued setting that partitions this source's work (GitHub's <c>repositories</c>, Linear's
    /// <c>teams</c>), so <c>okrhost collect --shard i/N</c> can hand each shard a part of it: the host sorts
    /// the list, gives shard i every N-th entry starting at the i-th, and binds the settings with that part
    /// only. Facts of different parts must not contradict each other: a record found by two parts carries
    /// the same id in both. <c>null</c>, or the setting absent or empty: shard 1 collects the whole source.
    /// </summary>
    public string? PartitionSetting { get; set; }
}

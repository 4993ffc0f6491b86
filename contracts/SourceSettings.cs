namespace OkrHost.Contracts;

/// <summary>
/// One source's entry of <c>plugins.json</c> as the host hands it over: the keys the host owns
/// resolved (<c>tokenEnv</c> to its token, <c>baseUrl</c> to the configured or default address) and the
/// rest bound to the plugin's <see cref="ISourcePlugin.SettingsType"/>.
/// </summary>
public sealed class SourceSettings
{
    /// <summary>Creates settings; called by the host (and by tests through the host's binder).</summary>
    /// <param name="sourceId">The source's id.</param>
    /// <param name="jsonPath">JSON path of the source's object, e.g. <c>$.sources.github</c>, used in problems.</param>
    /// <param name="values">The bound instance of the plugin's settings type.</param>
    /// <param name="token">The token read from the environment, or <c>null</c>.</param>
    /// <param name="tokenEnv">The variable the token is read from, or <c>null</c> for a source without one.</param>
    /// <param name="baseUrl">The <c>baseUrl</c> setting, else the plugin's default; <c>null</c> when neither.</param>
    /// <param name="configDirectory">Folder of the config file; relative paths resolve against it.</param>
    public SourceSettings(string sourceId, string jsonPath, object values, string? token, string? tokenEnv, Uri? baseUrl, string configDirectory)
    {
        SourceId = sourceId;
        JsonPath = jsonPath;
        Values = values;
        Token = token;
        TokenEnv = tokenEnv;
        BaseUrl = baseUrl;
        ConfigDirectory = configDirectory;
    }

    /// <summary>The source's id.</summary>
    public string SourceId { get; }

    /// <summary>JSON path of the source's object in the config file, e.g. <c>$.sources.github</c>.</summary>
    public string JsonPath { get; }

    /// <summary>The bound instance of <see cref="ISourcePlugin.SettingsType"/>.</summary>
    public object Values { get; }

    /// <summary>
    /// The secret read from the variable named by <c>tokenEnv</c> (or the plugin's default). Pass it to
    /// <see cref="SourceHttpOptions.Authorization"/>; never log it or put it in a fact or result.
    /// </summary>
    public string? Token { get; }

    /// <summary>The variable the token is read from, for messages ("set GITHUB_TOKEN"); <c>null</c> for a source without a token.</summary>
    public string? TokenEnv { get; }

    /// <summary>
    /// The absolute http(s) address of the service: the <c>baseUrl</c> setting, else
    /// <see cref="SourcePluginAttribute.DefaultBaseUrl"/>; <c>null</c> when neither is set.
    /// </summary>
    public Uri? BaseUrl { get; }

    /// <summary>Folder of the config file; relative paths in settings resolve against it.</summary>
    public string ConfigDirectory { get; }

    /// <summary><see cref="Values"/> as the plugin's settings type.</summary>
    /// <exception cref="InvalidOperationException">The values are of another type.</exception>
    public T Get<T>() where T : class =>
        Values as T ?? throw new InvalidOperationException($"the settings of {SourceId} are a {Values.GetType().Name}, not a {typeof(T).Name}");

    /// <summary>Path of a key below this source, for problems: <c>Path("repositories")</c> → <c>$.sources.github.repositories</c>.</summary>
    public string Path(string key) => $"{JsonPath}.{key}";
}

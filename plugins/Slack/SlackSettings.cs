using System.Text.RegularExpressions;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Slack;

/// <summary>The <c>sources.slack</c> object of plugins.json.</summary>
public sealed class SlackSettings
{
    /// <summary>Default of <see cref="WarRoomPattern"/> (PRODUCT.md section 3).</summary>
    public const string DefaultWarRoomPattern = "(?i)^(inc|incident|war-?room)[-_]";

    /// <summary>Whether the source runs.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Web API root; methods are appended (<c>conversations.list</c>).</summary>
    public string BaseUrl { get; set; } = "https://slack.com/api/";

    /// <summary>Environment variable holding the bot token.</summary>
    public string TokenEnv { get; set; } = SlackSource.DefaultTokenEnv;

    /// <summary>Regular expression a channel name must match to be a war room.</summary>
    public string WarRoomPattern { get; set; } = DefaultWarRoomPattern;

    /// <summary>Binds and checks <paramref name="settings"/>; every problem goes to <paramref name="problems"/>.</summary>
    internal static SlackSettings Read(SourceSettings settings, List<SettingProblem> problems, out Regex? warRoom, out Uri? baseUri)
    {
        var bound = settings.Bind<SlackSettings>(problems);
        warRoom = null;
        try
        {
            warRoom = new Regex(bound.WarRoomPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            problems.Add(SettingProblem.Invalid(settings.Path("warRoomPattern"), $"is not a valid regular expression: {ex.Message}"));
        }

        baseUri = Uri.TryCreate(bound.BaseUrl.EndsWith('/') ? bound.BaseUrl : bound.BaseUrl + "/", UriKind.Absolute, out var uri)
            && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            ? uri
            : null;
        if (baseUri is null)
        {
            problems.Add(SettingProblem.Invalid(settings.Path("baseUrl"), "must be an absolute http(s) URL such as https://slack.com/api/"));
        }

        return bound;
    }
}

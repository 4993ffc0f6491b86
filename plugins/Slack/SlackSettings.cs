using System.Text.RegularExpressions;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Slack;

/// <summary>The <c>sources.slack</c> object of plugins.json (the host owns enabled, baseUrl and tokenEnv).</summary>
public sealed class SlackSettings
{
    /// <summary>Default of <see cref="WarRoomPattern"/> (PRODUCT.md section 3).</summary>
    public const string DefaultWarRoomPattern = "(?i)^(inc|incident|war-?room)[-_]";

    /// <summary>Regular expression a channel name must match to be a war room.</summary>
    public string WarRoomPattern { get; set; } = DefaultWarRoomPattern;

    /// <summary>The war-room pattern, or null (with a problem) when it is not a valid regular expression.</summary>
    internal Regex? WarRoomRegex(SourceSettings source, List<Problem> problems)
    {
        try
        {
            return new Regex(WarRoomPattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            problems.Add(Problem.Error(source.Path("warRoomPattern"), $"is not a valid regular expression: {ex.Message}"));
            return null;
        }
    }
}

using System.Globalization;

namespace OkrHost.Reporting;

/// <summary>
/// How text from outside the host's control (a plugin, a model) is kept to a size: cut, with a marker
/// saying how long it was, so one runaway string cannot swell the report or the terminal.
/// </summary>
public static class TextLimit
{
    /// <summary><paramref name="text"/> cut to <paramref name="maxLength"/> characters with the marker; shorter text as is.</summary>
    public static string Cut(string text, int maxLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Length <= maxLength
            ? text
            : string.Create(CultureInfo.InvariantCulture, $"{text[..maxLength]}… [truncated: {text.Length:N0} characters in all]");
    }
}

using System.Text.RegularExpressions;
using OkrHost.Rendering;
using OkrHost.Reporting;

namespace OkrHost.Tests.Rendering;

/// <summary>Renders a snapshot and reads the markup the way a browser's tokenizer would see it.</summary>
internal static partial class RenderedHtml
{
    public static Task<string> Render(ReportSnapshot snapshot, IReadOnlyDictionary<string, Type>? sections = null) =>
        new HtmlReportRenderer().RenderAsync(snapshot, sections);

    /// <summary>
    /// Every start tag. Razor encodes '&lt;' in text and attribute values, so a raw '&lt;' always opens a real tag
    /// (or the doctype, or the inline CSS, which has no '&lt;').
    /// </summary>
    public static IEnumerable<string> Tags(string html) => TagPattern().Matches(html).Select(m => m.Value);

    /// <summary>Every attribute of every tag; a quoted value is consumed whole, so text inside it is never taken for an attribute.</summary>
    public static IEnumerable<(string Tag, string Name, string Value)> Attributes(string html) =>
        from tag in Tags(html)
        from Match attribute in AttributePattern().Matches(tag)
        select (tag, attribute.Groups["name"].Value, attribute.Groups["value"].Value);

    public static IEnumerable<(string Tag, string Name, string Value)> Attributes(string html, string name) =>
        Attributes(html).Where(attribute => string.Equals(attribute.Name, name, StringComparison.OrdinalIgnoreCase));

    public static int Count(string html, string text) =>
        (html.Length - html.Replace(text, "", StringComparison.Ordinal).Length) / text.Length;

    [GeneratedRegex(@"<[a-zA-Z][^>]*>")]
    private static partial Regex TagPattern();

    [GeneratedRegex("""\s(?<name>[a-zA-Z:-]+)\s*=\s*(?:"(?<value>[^"]*)"|'(?<value>[^']*)'|(?<value>[^\s>]+))""")]
    private static partial Regex AttributePattern();
}

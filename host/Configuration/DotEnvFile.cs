using OkrHost.Contracts;
using System.Text;
using System.Text.RegularExpressions;

namespace OkrHost.Configuration;

/// <summary>
/// Reads the <c>.env</c> beside the config: <c>NAME=value</c> lines, optionally prefixed by
/// <c>export</c>, values bare or in single or double quotes, <c>#</c> comments. A line that does not
/// parse is skipped with a warning naming its line number; it never stops the run.
/// </summary>
public static partial class DotEnvFile
{
    public const string FileName = ".env";

    public static Dictionary<string, string> Read(string directory, List<Problem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var path = Path.Combine(directory, FileName);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return variables;
        }

        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(Problem.Warning(FileName, "$", $"ignored, cannot be read: {ex.Message}"));
            return variables;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            if (ParseLine(lines[i], out var name, out var value, out var problem))
            {
                variables[name] = value;
            }
            else if (problem is not null)
            {
                problems.Add(Problem.Warning(FileName, $"line {i + 1}", $"ignored: {problem}"));
            }
        }

        return variables;
    }

    /// <summary>One line: true with the pair, or false with a problem (null for blank and comment lines).</summary>
    internal static bool ParseLine(string line, out string name, out string value, out string? problem)
    {
        name = value = "";
        problem = null;
        var text = line.Trim();
        if (text.Length == 0 || text.StartsWith('#'))
        {
            return false;
        }

        if (ExportPrefix().Match(text) is { Success: true } export)
        {
            text = text[export.Length..].TrimStart();
        }

        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            problem = text == "export" ? "'export' without NAME=value" : "no '=' (expected NAME=value)";
            return false;
        }

        name = text[..equals].Trim();
        if (!NameForm().IsMatch(name))
        {
            problem = name.Length == 0 ? "no name before '='" : $"'{name}' is not a variable name (letters, digits and _, not starting with a digit)";
            return false;
        }

        var rest = text[(equals + 1)..].Trim();
        if (rest.Length > 0 && rest[0] is '"' or '\'')
        {
            return Quoted(rest, out value, out problem);
        }

        // A bare value ends at a comment that follows whitespace.
        var comment = rest.IndexOf(" #", StringComparison.Ordinal);
        value = (comment < 0 ? rest : rest[..comment]).TrimEnd();
        return true;
    }

    private static bool Quoted(string rest, out string value, out string? problem)
    {
        var quote = rest[0];
        var builder = new StringBuilder();
        for (var i = 1; i < rest.Length; i++)
        {
            var c = rest[i];
            if (c == quote)
            {
                var after = rest[(i + 1)..].TrimStart();
                if (after.Length > 0 && !after.StartsWith('#'))
                {
                    (value, problem) = ("", $"unexpected text after the closing quote: {after}");
                    return false;
                }

                (value, problem) = (builder.ToString(), null);
                return true;
            }

            if (quote == '"' && c == '\\' && i + 1 < rest.Length)
            {
                i++;
                builder.Append(rest[i] switch { 'n' => '\n', 't' => '\t', var other => other });
                continue;
            }

            builder.Append(c);
        }

        (value, problem) = ("", $"unterminated {(quote == '"' ? "double" : "single")} quote");
        return false;
    }

    [GeneratedRegex(@"^export\s+")]
    private static partial Regex ExportPrefix();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$")]
    private static partial Regex NameForm();
}

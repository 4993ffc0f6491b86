using System.Text;

namespace OkrHost.Tests.Deploy;

/// <summary>One simple command of a shell script: its words as written and as the command receives them.</summary>
/// <param name="Raw">The words as written (quotes and expansions kept), joined by single spaces.</param>
/// <param name="Words">
/// The words the command receives, with every expansion (<c>$VAR</c>, <c>${VAR}</c>, <c>$(…)</c>,
/// <c>$((…))</c>, GitHub's <c>${{ … }}</c>) replaced by <see cref="ShellCommands.Placeholder"/>.
/// </param>
public sealed record ShellCommand(string Raw, IReadOnlyList<string> Words);

/// <summary>
/// Just enough of POSIX shell to find the commands a CI or Kubernetes recipe runs: quotes, expansions,
/// comments, line continuations, <c>;</c> <c>&amp;&amp;</c> <c>||</c> <c>|</c>, redirections, leading
/// variable assignments and the keywords that can start a command. Values are unknowable offline, so
/// every expansion becomes a placeholder that any option accepting a number, a shard or a path accepts.
/// </summary>
public static class ShellCommands
{
    public const string Placeholder = "1";

    private static readonly HashSet<string> Keywords = ["if", "then", "else", "elif", "do", "while", "until", "!", "exec", "time", "{", "("];

    /// <summary>Every simple command of <paramref name="script"/> whose program is <paramref name="program"/>.</summary>
    public static IReadOnlyList<ShellCommand> Find(string script, string program) =>
        Split(script).Select(StripPrefix).Where(c => c.Count > 0 && c[0].Value == program)
            .Select(c => new ShellCommand(string.Join(' ', c.Select(w => w.Raw)), c.Select(w => w.Value).ToArray()))
            .ToArray();

    private static List<Word> StripPrefix(List<Word> command)
    {
        var start = command.FindIndex(w => !Keywords.Contains(w.Raw) && !IsAssignment(w.Raw));
        return start < 0 ? [] : command[start..];
    }

    private static bool IsAssignment(string raw)
    {
        var equals = raw.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 && raw[..equals].All(c => char.IsAsciiLetterOrDigit(c) || c == '_') && !char.IsAsciiDigit(raw[0]);
    }

    private static List<List<Word>> Split(string script)
    {
        var commands = new List<List<Word>>();
        var current = new List<Word>();
        var raw = new StringBuilder();
        var value = new StringBuilder();
        var inWord = false;
        var redirectTarget = false;
        var text = script.Replace("\\\r\n", " ", StringComparison.Ordinal).Replace("\\\n", " ", StringComparison.Ordinal);

        void EndWord()
        {
            if (inWord && !redirectTarget)
            {
                current.Add(new Word(raw.ToString(), value.ToString()));
            }

            redirectTarget &= !inWord;
            raw.Clear();
            value.Clear();
            inWord = false;
        }

        void EndCommand()
        {
            EndWord();
            redirectTarget = false;
            if (current.Count > 0)
            {
                commands.Add(current);
                current = [];
            }
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case ' ' or '\t':
                    EndWord();
                    break;
                case '\n' or '\r' or ';' or '&' or '|':
                    EndCommand();
                    break;
                case '#' when !inWord:
                    while (i + 1 < text.Length && text[i + 1] != '\n')
                    {
                        i++;
                    }

                    break;
                case '>' or '<':
                    // "2>&1", ">> file", ">&2": a file-descriptor number before it and the target after it
                    // are not arguments of the command.
                    if (inWord && raw.ToString().All(char.IsAsciiDigit))
                    {
                        raw.Clear();
                        value.Clear();
                        inWord = false;
                    }

                    EndWord();
                    while (i + 1 < text.Length && text[i + 1] is '>' or '<' or '&')
                    {
                        i++;
                    }

                    redirectTarget = true;
                    break;
                case '\'':
                    {
                        var end = text.IndexOf('\'', i + 1);
                        end = end < 0 ? text.Length - 1 : end;
                        raw.Append(text, i, end - i + 1);
                        value.Append(text, i + 1, Math.Max(0, end - i - 1));
                        inWord = true;
                        i = end;
                        break;
                    }

                case '"':
                    {
                        raw.Append(c);
                        i++;
                        while (i < text.Length && text[i] != '"')
                        {
                            if (text[i] == '$')
                            {
                                i = Expansion(text, i, raw, value);
                            }
                            else if (text[i] == '\\' && i + 1 < text.Length)
                            {
                                raw.Append(text, i, 2);
                                value.Append(text[i + 1]);
                                i += 2;
                            }
                            else
                            {
                                raw.Append(text[i]);
                                value.Append(text[i]);
                                i++;
                            }
                        }

                        raw.Append('"');
                        inWord = true;
                        break;
                    }

                case '$':
                    i = Expansion(text, i, raw, value) - 1;
                    inWord = true;
                    break;
                case '\\' when i + 1 < text.Length:
                    raw.Append(text, i, 2);
                    value.Append(text[i + 1]);
                    inWord = true;
                    i++;
                    break;
                default:
                    raw.Append(c);
                    value.Append(c);
                    inWord = true;
                    break;
            }
        }

        EndCommand();
        return commands;
    }

    /// <summary>Reads the expansion starting at <paramref name="start"/> (a '$'); returns the index after it.</summary>
    private static int Expansion(string text, int start, StringBuilder raw, StringBuilder value)
    {
        var end = start + 1;
        if (Starts(text, end, "{{"))
        {
            end = Closing(text, end + 2, "}}");
        }
        else if (Starts(text, end, "(") || Starts(text, end, "{"))
        {
            var (open, close) = text[end] == '(' ? ('(', ')') : ('{', '}');
            var depth = 0;
            do
            {
                depth += text[end] == open ? 1 : text[end] == close ? -1 : 0;
                end++;
            }
            while (depth > 0 && end < text.Length);
        }
        else if (end < text.Length && text[end] is '?' or '#' or '@' or '*' or '$' or '!')
        {
            end++;
        }
        else
        {
            while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] == '_'))
            {
                end++;
            }
        }

        if (end == start + 1)
        {
            // A lone '$' is a literal dollar sign.
            raw.Append('$');
            value.Append('$');
            return end;
        }

        raw.Append(text, start, end - start);
        value.Append(Placeholder);
        return end;
    }

    private static bool Starts(string text, int index, string prefix) =>
        index <= text.Length - prefix.Length && string.CompareOrdinal(text, index, prefix, 0, prefix.Length) == 0;

    private static int Closing(string text, int from, string close)
    {
        var index = text.IndexOf(close, from, StringComparison.Ordinal);
        return index < 0 ? text.Length : index + close.Length;
    }

    private sealed record Word(string Raw, string Value);
}

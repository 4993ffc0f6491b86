using System.Globalization;

namespace OkrHost.Sandbox.GitHub;

/// <summary>
/// GitHub's search-style <c>created</c> qualifier of <c>actions/runs</c>: <c>A..B</c> (inclusive, either
/// side may be <c>*</c>), <c>&gt;=A</c>, <c>&gt;A</c>, <c>&lt;=A</c>, <c>&lt;A</c> or a bare <c>A</c>, where a
/// date means its whole UTC day and a date-time means that second.
/// </summary>
internal static class CreatedFilter
{
    public static bool TryParse(string text, out DateTimeOffset from, out DateTimeOffset to)
    {
        from = DateTimeOffset.MinValue;
        to = DateTimeOffset.MaxValue;
        (DateTimeOffset Start, DateTimeOffset End) value;
        if (text.Contains("..", StringComparison.Ordinal))
        {
            var parts = text.Split("..");
            if (parts.Length != 2)
            {
                return false;
            }

            if (parts[0] != "*")
            {
                if (!TryValue(parts[0], out value))
                {
                    return false;
                }

                from = value.Start;
            }

            if (parts[1] != "*")
            {
                if (!TryValue(parts[1], out value))
                {
                    return false;
                }

                to = value.End;
            }

            return true;
        }

        var op = text.StartsWith(">=", StringComparison.Ordinal) || text.StartsWith("<=", StringComparison.Ordinal) ? text[..2]
            : text.StartsWith('>') || text.StartsWith('<') ? text[..1]
            : "";
        if (op.Length > 0)
        {
            if (!TryValue(text[op.Length..], out value))
            {
                return false;
            }

            switch (op)
            {
                case ">=": from = value.Start; break;
                case ">": from = value.End; break;
                case "<=": to = value.End; break;
                default: to = value.Start; break;
            }

            return true;
        }

        if (!TryValue(text, out value))
        {
            return false;
        }

        (from, to) = value;
        return true;
    }

    private static bool TryValue(string text, out (DateTimeOffset Start, DateTimeOffset End) value)
    {
        value = default;
        if (DateTime.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var day))
        {
            var start = new DateTimeOffset(day, TimeSpan.Zero);
            value = (start, start.AddDays(1));
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant))
        {
            value = (instant.ToUniversalTime(), instant.ToUniversalTime().AddSeconds(1));
            return true;
        }

        return false;
    }
}

using System.Globalization;
using System.Text.RegularExpressions;

namespace OkrHost.Insights;

/// <summary>
/// Decides whether every number a model wrote is one of the facts. The rule:
/// <list type="bullet">
/// <item>Not checked: dates (2026-10-31), times (14:05), ordinals (3rd), four-digit years 1900–2099,
/// and digits joined to a letter, digit, dot or hyphen before them (p90, Q4, ENG-1412, the 12 of "10-12").
/// Numbers written as words ("three") are not checked.</item>
/// <item>A number with d decimals matches a fact f when |f| rounded to d decimals (half away from zero)
/// equals it; the sign is ignored, since prose says "fell 12%" for a change of −12.</item>
/// <item>A percentage ("12.5%", "12.5 percent") also matches when |f| × 100 rounds to it (ratios and
/// progress are fractions in the facts).</item>
/// <item>Thousands separators are allowed (1,234).</item>
/// </list>
/// </summary>
public static partial class NumberCheck
{
    /// <summary>The numbers of <paramref name="prose"/> that match no fact, as written; empty when all do.</summary>
    public static IReadOnlyList<string> Unsupported(string prose, IEnumerable<double> facts)
    {
        ArgumentNullException.ThrowIfNull(prose);
        ArgumentNullException.ThrowIfNull(facts);
        var known = facts.Select(Math.Abs).ToArray();
        return Tokens(prose)
            .Where(t => !known.Any(f => Matches(f, t.Value, t.Decimals) || (t.Percent && Matches(f * 100, t.Value, t.Decimals))))
            .Select(t => t.Written)
            .ToArray();
    }

    /// <summary>The numbers the check would read in <paramref name="text"/> (a deterministic insight's text is itself a fact).</summary>
    public static IEnumerable<double> NumbersIn(string text) => Tokens(text).Select(t => (double)t.Value);

    private static IEnumerable<(string Written, decimal Value, int Decimals, bool Percent)> Tokens(string prose)
    {
        ArgumentNullException.ThrowIfNull(prose);
        foreach (Match match in Number().Matches(NotNumbers().Replace(prose, " ")))
        {
            var digits = match.Groups["n"].Value.Replace(",", "", StringComparison.Ordinal);
            if (!decimal.TryParse(digits, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
            {
                continue;
            }

            var decimals = digits.Contains('.', StringComparison.Ordinal) ? digits.Length - digits.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
            var percent = match.Groups["pct"].Success;
            if (decimals == 0 && !percent && number is >= 1900 and <= 2099 && digits.Length == 4)
            {
                continue;
            }

            yield return (match.Value.Trim(), number, decimals, percent);
        }
    }

    private static bool Matches(double fact, decimal written, int decimals)
    {
        if (!double.IsFinite(fact) || fact > (double)decimal.MaxValue)
        {
            return false;
        }

        return Math.Round((decimal)fact, Math.Min(decimals, 28), MidpointRounding.AwayFromZero) == written;
    }

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?\b|\b\d{1,2}:\d{2}(:\d{2})?\b|\b\d+(st|nd|rd|th)\b", RegexOptions.IgnoreCase)]
    private static partial Regex NotNumbers();

    [GeneratedRegex(@"(?<![\p{L}\p{N}_.\-])[-−+]?(?<n>\d{1,3}(,\d{3})+(\.\d+)?|\d+(\.\d+)?)(?![\p{L}\p{N}_])(?<pct>\s?%|\s?percent\b)?", RegexOptions.IgnoreCase)]
    private static partial Regex Number();
}

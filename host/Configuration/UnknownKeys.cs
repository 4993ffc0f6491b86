using OkrHost.Contracts;

namespace OkrHost.Configuration;

/// <summary>
/// The one judgement of a key no reader knows (PRODUCT.md section 7, One verdict): a near-miss of a known
/// key — the same but for case, or at most two edits away — is a typo whose setting would silently not
/// apply, so it is an error naming the key meant; any other unknown key is a warning listing the known ones.
/// </summary>
public static class UnknownKeys
{
    /// <summary>A key any object of an input file may carry to explain itself; never read, never a problem.</summary>
    public const string CommentKey = "$comment";

    private const int MaxEdits = 2;

    /// <summary>The problem with <paramref name="key"/> at <paramref name="jsonPath"/>, or null for <see cref="CommentKey"/>.</summary>
    /// <param name="file">The file it is in, when the caller knows it.</param>
    /// <param name="jsonPath">The key's own path.</param>
    /// <param name="key">The key as written.</param>
    /// <param name="known">The keys the object may have.</param>
    /// <param name="noun">What the object's keys are called in messages: "key", "setting".</param>
    public static Problem? Check(string? file, string jsonPath, string key, IReadOnlyCollection<string> known, string noun = "key")
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        if (key == CommentKey)
        {
            return null;
        }

        return Suggestion(key, known) is { } meant
            ? Problem.Error(file, jsonPath, $"unknown {noun} '{key}'; did you mean `{meant}`? (a misspelt {noun} would be ignored)")
            : Problem.Warning(file, jsonPath, $"unknown {noun} '{key}' is ignored (known: {string.Join(", ", known)})");
    }

    /// <summary>The known key <paramref name="key"/> is a near-miss of, the closest first; null when none is near.</summary>
    public static string? Suggestion(string key, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(known);
        return known
            .Select(candidate => (Candidate: candidate, Distance: string.Equals(candidate, key, StringComparison.OrdinalIgnoreCase)
                ? 0
                : Quickenshtein.Levenshtein.GetDistance(key, candidate)))
            .Where(c => c.Distance <= MaxEdits)
            .OrderBy(c => c.Distance)
            .Select(c => c.Candidate)
            .FirstOrDefault();
    }
}

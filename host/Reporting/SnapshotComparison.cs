using System.Globalization;

namespace OkrHost.Reporting;

/// <summary>
/// Whether two reports of one period give the same numbers: what the bench checks of an incremental or
/// a sharded run against a cold single run.
/// </summary>
public static class SnapshotComparison
{
    /// <summary>
    /// Every metric (value, previous, trend, sample size) and key result (actual, progress, status) of
    /// <paramref name="candidate"/> that differs from <paramref name="reference"/>. For the
    /// <paramref name="storeDerived"/> metrics (point-in-time ones, whose previous value and trend come from
    /// the history store) only the value is compared.
    /// </summary>
    public static IReadOnlyList<string> Differences(ReportSnapshot reference, ReportSnapshot candidate, IReadOnlySet<string> storeDerived)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(storeDerived);
        var differences = new List<string>();
        var candidates = candidate.Metrics.ToDictionary(m => m.Id, StringComparer.Ordinal);
        foreach (var expected in reference.Metrics)
        {
            if (!candidates.TryGetValue(expected.Id, out var actual))
            {
                differences.Add($"{expected.Id} is missing");
                continue;
            }

            Compare(differences, expected.Id, "value", expected.Value, actual.Value);
            Compare(differences, expected.Id, "sample size", expected.SampleSize, actual.SampleSize);
            if (storeDerived.Contains(expected.Id))
            {
                continue;
            }

            Compare(differences, expected.Id, "previous", expected.Previous, actual.Previous);
            var expectedTrend = expected.Trend?.Select(t => t.Value).ToArray() ?? [];
            var actualTrend = actual.Trend?.Select(t => t.Value).ToArray() ?? [];
            if (!expectedTrend.SequenceEqual(actualTrend))
            {
                differences.Add($"{expected.Id} trend [{Format(expectedTrend)}] ≠ [{Format(actualTrend)}]");
            }
        }

        differences.AddRange(candidate.Metrics.Where(m => !reference.Metrics.Any(r => r.Id == m.Id)).Select(m => $"{m.Id} is extra"));

        var expectedKeyResults = reference.Okrs.SelectMany(o => o.KeyResults.Select(kr => (o.Title, kr))).ToArray();
        var actualKeyResults = candidate.Okrs.SelectMany(o => o.KeyResults.Select(kr => (o.Title, kr))).ToArray();
        if (expectedKeyResults.Length != actualKeyResults.Length)
        {
            differences.Add($"{expectedKeyResults.Length} key results ≠ {actualKeyResults.Length}");
        }

        foreach (var ((objective, expected), (_, actual)) in expectedKeyResults.Zip(actualKeyResults))
        {
            var name = $"“{objective} / {expected.Title}”";
            Compare(differences, name, "actual", expected.Actual, actual.Actual);
            Compare(differences, name, "progress", expected.Progress, actual.Progress);
            if (expected.Status != actual.Status)
            {
                differences.Add($"{name} status {expected.Status} ≠ {actual.Status}");
            }
        }

        return differences;
    }

    private static void Compare<T>(List<string> differences, string name, string what, T? expected, T? actual) where T : struct
    {
        if (!Nullable.Equals(expected, actual))
        {
            differences.Add($"{name} {what} {Format(expected)} ≠ {Format(actual)}");
        }
    }

    private static string Format<T>(T? value) where T : struct =>
        value is { } v ? Convert.ToString(v, CultureInfo.InvariantCulture)! : "null";

    private static string Format(IEnumerable<double?> values) => string.Join(", ", values.Select(Format));
}

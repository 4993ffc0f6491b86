namespace OkrHost.Contracts;

/// <summary>The statistics every source computes the same way (PRODUCT.md section 6).</summary>
public static class MetricMath
{
    /// <summary>
    /// Percentile with linear interpolation between closest ranks (numpy's default, Excel
    /// PERCENTILE.INC). <c>null</c> for no values.
    /// </summary>
    /// <param name="values">The sample, in any order.</param>
    /// <param name="percentile">From 0 to 100.</param>
    public static double? Percentile(IEnumerable<double> values, double percentile)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(percentile, 0);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(percentile, 100);
        var sorted = values.ToArray();
        if (sorted.Length == 0)
        {
            return null;
        }

        Array.Sort(sorted);
        var rank = percentile / 100 * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = (int)Math.Ceiling(rank);
        return sorted[lower] + (sorted[upper] - sorted[lower]) * (rank - lower);
    }

    /// <summary>The 50th percentile; <c>null</c> for no values.</summary>
    public static double? Median(IEnumerable<double> values) => Percentile(values, 50);

    /// <summary><paramref name="numerator"/> / <paramref name="denominator"/>, or <c>null</c> when the denominator is 0.</summary>
    public static double? Ratio(double numerator, double denominator) => denominator == 0 ? null : numerator / denominator;

    /// <summary>
    /// A count over <paramref name="period"/> expressed per 7 days: <c>count / (days / 7)</c>.
    /// </summary>
    public static double PerWeek(double count, ReportPeriod period) => count / (period.Days / 7);

    // Starts of consecutive buckets covering the period: UTC days from its start, or 7-day buckets aligned
    // to its end (the newest ends at the period's end, like the trend weeks; only the oldest may be shorter).
    private static List<DateTimeOffset> BucketStarts(ReportPeriod period, SeriesBucket bucket)
    {
        var starts = new List<DateTimeOffset>();
        if (bucket == SeriesBucket.Day)
        {
            for (var start = period.From; start < period.To; start += TimeSpan.FromDays(1))
            {
                starts.Add(start);
            }

            return starts;
        }

        for (var start = period.To - TimeSpan.FromDays(7); start > period.From; start -= TimeSpan.FromDays(7))
        {
            starts.Add(start);
        }

        if (period.From < period.To)
        {
            starts.Add(period.From);
        }

        starts.Reverse();
        return starts;
    }

    /// <summary>
    /// A series with one point per bucket of <paramref name="period"/> (UTC days from its start, or 7-day
    /// buckets ending at its end like the trend weeks, the oldest possibly shorter): <paramref name="aggregate"/> over the items whose time falls in the bucket (called with an empty
    /// list for an empty bucket).
    /// </summary>
    public static TimeSeries Series<T>(
        string id,
        string title,
        MetricUnit unit,
        ReportPeriod period,
        SeriesBucket bucket,
        IEnumerable<T> items,
        Func<T, DateTimeOffset> timeOf,
        Func<IReadOnlyList<T>, double?> aggregate)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(timeOf);
        ArgumentNullException.ThrowIfNull(aggregate);
        var starts = BucketStarts(period, bucket);
        var groups = new List<T>[starts.Count];
        for (var i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        foreach (var item in items)
        {
            var at = timeOf(item);
            if (period.Contains(at))
            {
                var index = 0;
                while (index + 1 < starts.Count && starts[index + 1] <= at)
                {
                    index++;
                }

                groups[index].Add(item);
            }
        }

        var points = starts.Select((start, i) => new SeriesPoint(start, aggregate(groups[i]))).ToArray();
        return new TimeSeries(id, title, unit, bucket, points);
    }
}

using OkrHost.Contracts;
using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>
/// Coordinates of a <see cref="TimeSeries"/> drawn in a fixed SVG view box. The x axis is time: each bucket
/// is as wide as the time it covers, so a last weekly bucket cut to two days by the period's end is drawn
/// two days wide, not as a full week.
/// </summary>
public sealed class ChartGeometry
{
    public const double Width = 640;
    public const double Height = 220;
    public const double Left = 56;
    public const double Right = 12;
    public const double Top = 14;
    public const double Bottom = 30;

    // Below this many view-box units a date label would run into its neighbour's.
    private const double MinLabelWidth = 80;
    private const double BarShare = 0.7;

    private readonly TimeSeries _series;
    private readonly DateTimeOffset _start;
    private readonly double _span;

    /// <param name="series">The series.</param>
    /// <param name="periodEnd">The report period's (exclusive) end: no bucket reaches past it. Null when unknown.</param>
    public ChartGeometry(TimeSeries series, DateTimeOffset? periodEnd = null)
    {
        _series = series;
        var length = series.Bucket == SeriesBucket.Week ? TimeSpan.FromDays(7) : TimeSpan.FromDays(1);
        Buckets = series.Points
            .Select((point, i) =>
            {
                var end = i + 1 < series.Points.Count ? series.Points[i + 1].Start : point.Start + length;
                if (periodEnd is { } cut && cut > point.Start && cut < end)
                {
                    end = cut;
                }

                return new Bucket(point, end);
            })
            .ToList();
        FullLength = length;
        _start = Buckets.Count == 0 ? default : Buckets[0].Point.Start;
        _span = Buckets.Count == 0 ? 1 : Math.Max(1, (Buckets[^1].End - _start).TotalSeconds);
        var highest = series.Points.Select(p => Value(p) ?? 0).DefaultIfEmpty(0).Max();
        // A duration axis is rounded in the unit its labels use, so 271 h gives "0 · 6 days · 12 days", not "16.7 days".
        var labelUnit = NumberFormat.SecondsPer(series.Unit) is { } perUnit && highest > 0 ? NumberFormat.UnitSeconds(highest * perUnit) / perUnit : 1;
        Max = NiceCeiling(highest / labelUnit, wholeHalves: series.Unit == MetricUnit.Count) * labelUnit;
    }

    /// <summary>One point with the end of the time it covers.</summary>
    public sealed record Bucket(SeriesPoint Point, DateTimeOffset End)
    {
        public TimeSpan Length => End - Point.Start;
    }

    public IReadOnlyList<Bucket> Buckets { get; }

    /// <summary>A whole bucket's length (7 days or 1 day); shorter buckets are partial.</summary>
    public TimeSpan FullLength { get; }

    /// <summary>Top of the value axis: the highest value rounded up to a round number (the grid has a line at half of it).</summary>
    public double Max { get; }

    public double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

    /// <summary>Counts read as bars; durations, ratios and rates read as a trend line.</summary>
    public bool IsBar => _series.Unit is MetricUnit.Count;

    public double Baseline => Top + PlotHeight;

    public double X(DateTimeOffset instant) => Left + (PlotWidth * (instant - _start).TotalSeconds / _span);

    public double BucketWidth(int index) => X(Buckets[index].End) - X(Buckets[index].Point.Start);

    public double CenterX(int index) => X(Buckets[index].Point.Start) + (BucketWidth(index) / 2);

    public double BarX(int index) => CenterX(index) - (BarWidth(index) / 2);

    public double BarWidth(int index) => BucketWidth(index) * BarShare;

    public bool IsPartial(int index) => Buckets[index].Length < FullLength;

    public double Y(double value) => Top + PlotHeight - (PlotHeight * Math.Clamp(value / Max, 0, 1));

    /// <summary>Only some buckets get a date label, evenly spaced and never overlapping.</summary>
    public bool HasXLabel(int index)
    {
        var step = (int)Math.Ceiling(MinLabelWidth / Math.Max(1, PlotWidth / Math.Max(1, Buckets.Count)));
        return index % Math.Max(1, step) == 0 && BucketWidth(index) * Math.Max(1, step) >= MinLabelWidth;
    }

    /// <summary>Runs of consecutive points with values; a null point breaks the line.</summary>
    public IEnumerable<IReadOnlyList<(double X, double Y)>> Segments()
    {
        var segment = new List<(double X, double Y)>();
        for (var i = 0; i < Buckets.Count; i++)
        {
            if (Value(Buckets[i].Point) is { } value)
            {
                segment.Add((CenterX(i), Y(value)));
            }
            else if (segment.Count > 0)
            {
                yield return segment;
                segment = [];
            }
        }

        if (segment.Count > 0)
        {
            yield return segment;
        }
    }

    /// <summary>The point's value, or null when it is missing or not a number.</summary>
    public static double? Value(SeriesPoint point) => ReportFormat.Finite(point.Value);

    public static string Points(IEnumerable<(double X, double Y)> points) =>
        string.Join(' ', points.Select(p => $"{ReportFormat.Svg(p.X)},{ReportFormat.Svg(p.Y)}"));

    /// <param name="value">The highest value.</param>
    /// <param name="wholeHalves">For counts: the top and its half are whole numbers, so no "0.5 deployments" gridline.</param>
    private static double NiceCeiling(double value, bool wholeHalves)
    {
        var floor = wholeHalves ? 2 : 1;
        if (value <= floor || double.IsNaN(value) || double.IsInfinity(value))
        {
            return floor;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        return new[] { 1, 2, 2.5, 4, 5, 10 }
            .Select(step => step * magnitude)
            .Where(top => !wholeHalves || top / 2 == Math.Floor(top / 2))
            .First(top => top >= value);
    }
}

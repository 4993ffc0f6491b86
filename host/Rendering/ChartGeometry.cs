using OkrHost.Contracts;

namespace OkrHost.Rendering;

/// <summary>Coordinates of a <see cref="TimeSeries"/> drawn in a fixed SVG view box.</summary>
public sealed class ChartGeometry
{
    public const double Width = 640;
    public const double Height = 220;
    public const double Left = 52;
    public const double Right = 12;
    public const double Top = 14;
    public const double Bottom = 30;
    private const int MaxXLabels = 7;

    private readonly TimeSeries _series;

    public ChartGeometry(TimeSeries series)
    {
        _series = series;
        var highest = series.Points.Select(p => Value(p) ?? 0).DefaultIfEmpty(0).Max();
        Max = NiceCeiling(highest, wholeHalves: series.Unit == MetricUnit.Count);
    }

    /// <summary>Top of the value axis: the highest value rounded up to a round number (the grid has a line at half of it).</summary>
    public double Max { get; }

    public double PlotWidth => Width - Left - Right;

    public double PlotHeight => Height - Top - Bottom;

    public double Slot => _series.Points.Count == 0 ? PlotWidth : PlotWidth / _series.Points.Count;

    public double BarWidth => Slot * 0.68;

    /// <summary>Counts read as bars; durations, ratios and rates read as a trend line.</summary>
    public bool IsBar => _series.Unit is MetricUnit.Count;

    public double Baseline => Top + PlotHeight;

    public double CenterX(int index) => Left + (Slot * index) + (Slot / 2);

    public double Y(double value) => Top + PlotHeight - (PlotHeight * Math.Clamp(value / Max, 0, 1));

    /// <summary>Only some buckets get a date label so they never overlap.</summary>
    public bool HasXLabel(int index)
    {
        var step = (int)Math.Ceiling(_series.Points.Count / (double)MaxXLabels);
        return index % Math.Max(1, step) == 0;
    }

    /// <summary>Runs of consecutive points with values; a null point breaks the line.</summary>
    public IEnumerable<IReadOnlyList<(double X, double Y)>> Segments()
    {
        var segment = new List<(double X, double Y)>();
        for (var i = 0; i < _series.Points.Count; i++)
        {
            if (Value(_series.Points[i]) is { } value)
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

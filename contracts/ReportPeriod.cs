namespace OkrHost.Contracts;

/// <summary>A half-open UTC time window <c>[From, To)</c>.</summary>
/// <param name="From">Inclusive start.</param>
/// <param name="To">Exclusive end.</param>
public readonly record struct ReportPeriod(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Length of the window.</summary>
    public TimeSpan Length => To - From;

    /// <summary>Length of the window in days (fractional for windows that are not whole days).</summary>
    public double Days => Length.TotalDays;

    /// <summary>The window of the same length immediately before this one.</summary>
    public ReportPeriod Previous => new(From - Length, From);

    /// <summary>True when <paramref name="instant"/> is at or after <see cref="From"/> and before <see cref="To"/>.</summary>
    public bool Contains(DateTimeOffset instant) => instant >= From && instant < To;

    /// <inheritdoc/>
    public override string ToString() => $"[{From:yyyy-MM-ddTHH:mm:ssZ}, {To:yyyy-MM-ddTHH:mm:ssZ})";
}

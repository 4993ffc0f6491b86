namespace OkrHost.Contracts;

/// <summary>
/// What one source's collection found for a fetch window: its facts, the time they were taken and
/// remarks about the collection itself. Computing any window inside <see cref="Window"/> needs nothing else.
/// </summary>
public sealed record FactSet
{
    /// <summary>The fetch window the facts are complete for (see <see cref="CollectContext.FetchWindow"/>).</summary>
    public required ReportPeriod Window { get; init; }

    /// <summary>When the collection ran: the "now" of point-in-time readings.</summary>
    public required DateTimeOffset CollectedAt { get; init; }

    /// <summary>Every fact found, of the kinds the plugin declares in <see cref="ISourcePlugin.FactTypes"/>.</summary>
    public IReadOnlyList<Fact> Facts { get; init; } = [];

    /// <summary>
    /// Remarks about the collection that the section shows whatever the window (a search that had to be
    /// split, a setting that left metrics empty). Window-specific remarks belong in
    /// <see cref="SourceComputation.Notes"/>.
    /// </summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>
    /// Where a collection that builds on this set (<see cref="CollectContext.Known"/>) starts asking the
    /// service for records changed since, to be complete for <paramref name="window"/>: this set's
    /// <see cref="CollectedAt"/> less <paramref name="margin"/> (the service's clock and this machine's
    /// differ), or the end of this set's window when <paramref name="window"/> reaches past it and that end
    /// is earlier: a record dated in the part not collected yet was changed no earlier than that date, so
    /// asking from there covers that part too.
    /// </summary>
    /// <param name="window">The new collection's fetch window.</param>
    /// <param name="margin">How long before <see cref="CollectedAt"/> changes are read again.</param>
    public DateTimeOffset ChangedSince(ReportPeriod window, TimeSpan margin)
    {
        var since = CollectedAt - margin;
        return window.To > Window.To && Window.To < since ? Window.To : since;
    }

    /// <summary>
    /// Merges collections of one source (shards, incremental runs). Facts merge by kind and
    /// <see cref="Fact.Id"/>: the later <see cref="Fact.UpdatedAt"/> wins, and on a tie the fact of the
    /// set that comes later in <paramref name="sets"/>. The window is the union of the sets' windows,
    /// which must overlap or touch; notes are kept once each.
    /// </summary>
    /// <exception cref="ArgumentException">No sets, or windows with a gap between them.</exception>
    public static FactSet Merge(IEnumerable<FactSet> sets)
    {
        ArgumentNullException.ThrowIfNull(sets);
        var all = sets.ToArray();
        if (all.Length == 0)
        {
            throw new ArgumentException("nothing to merge", nameof(sets));
        }

        var byStart = all.OrderBy(s => s.Window.From).ToArray();
        var window = byStart[0].Window;
        foreach (var set in byStart.Skip(1))
        {
            if (set.Window.From > window.To || set.Window.To < window.From)
            {
                throw new ArgumentException($"fact windows {window} and {set.Window} leave a gap between them", nameof(sets));
            }

            window = new ReportPeriod(set.Window.From < window.From ? set.Window.From : window.From, set.Window.To > window.To ? set.Window.To : window.To);
        }

        var merged = new Dictionary<(Type, string), Fact>();
        var order = new List<(Type, string)>();
        foreach (var fact in all.SelectMany(s => s.Facts))
        {
            var key = (fact.GetType(), fact.Id);
            if (!merged.TryGetValue(key, out var existing))
            {
                order.Add(key);
                merged[key] = fact;
            }
            else if (fact.UpdatedAt >= existing.UpdatedAt)
            {
                merged[key] = fact;
            }
        }

        return new FactSet
        {
            Window = window,
            CollectedAt = all.Max(s => s.CollectedAt),
            Facts = order.Select(key => merged[key]).ToArray(),
            Notes = all.SelectMany(s => s.Notes).Distinct(StringComparer.Ordinal).ToArray(),
        };
    }
}

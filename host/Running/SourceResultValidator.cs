using System.Globalization;
using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Running;

/// <summary>
/// Checks what a plugin returned before anything else reads it. A collection or a computation with null
/// entries, a metric or series or table id given twice, a metric id of another source, or a number that
/// is not finite is refused as a whole (that source fails, naming the first problems); text longer than
/// <see cref="MaxTextLength"/> is cut with a marker, so one runaway string cannot make the report
/// unreadable. What is handed on is a checked copy; the plugin's own object is never read again.
/// </summary>
public static class SourceResultValidator
{
    /// <summary>Longest text (a cell, a note, a title, an error message) kept whole.</summary>
    public const int MaxTextLength = 2_000;

    private const int ProblemsShown = 3;

    private const string NoResult = "the plugin returned no result (null)";

    /// <summary>The checked copy of a collection's facts, or the problems that refuse them.</summary>
    public static (FactSet? Facts, string? Problem) ValidateFacts(FactSet? facts)
    {
        if (facts is null)
        {
            return (null, NoResult);
        }

        var problems = new List<string>();
        var kept = new List<Fact>();
        foreach (var (fact, i) in Indexed(facts.Facts, "facts", problems))
        {
            if (fact?.Id is null)
            {
                problems.Add(fact is null ? $"facts[{i}] is null" : $"facts[{i}] has no id");
            }
            else
            {
                kept.Add(fact);
            }
        }

        var notes = CheckNotes(facts.Notes, problems);
        return problems.Count == 0 ? (facts with { Facts = kept, Notes = notes }, null) : (null, Refused(problems));
    }

    /// <summary>The checked copy of one window's computation, or the problems that refuse it.</summary>
    /// <param name="sourceId">The source's id; its metric ids start with it.</param>
    /// <param name="computation">What the plugin computed for the window.</param>
    /// <param name="previous">
    /// The computation of the previous period when <paramref name="computation"/> is the report period's,
    /// so a number that is not finite is shown beside the one it would be compared with.
    /// </param>
    public static (SourceComputation? Computation, string? Problem) ValidateComputation(string sourceId, SourceComputation? computation, SourceComputation? previous = null)
    {
        if (computation is null)
        {
            return (null, NoResult);
        }

        var problems = new List<string>();
        var checkedCopy = computation with
        {
            Metrics = CheckMetrics(sourceId, computation, previous, problems),
            Series = CheckSeries(computation, problems),
            Tables = CheckTables(computation, problems),
            Notes = CheckNotes(computation.Notes, problems),
        };
        return problems.Count == 0 ? (checkedCopy, null) : (null, Refused(problems));
    }

    /// <summary>
    /// The checked copy of the OKRs a plugin provided: unusable objectives and key results (null, without
    /// a title or metric, with a target that is not a finite number) become problems, like rows the
    /// plugin itself could not read; null when the plugin returned nothing at all.
    /// </summary>
    public static OkrDocument? ValidateOkrs(OkrDocument? document)
    {
        if (document?.Objectives is null)
        {
            return null;
        }

        var problems = (document.Problems ?? []).OfType<Problem>().ToList();
        var objectives = new List<ObjectiveDefinition>();
        for (var i = 0; i < document.Objectives.Count; i++)
        {
            var objective = document.Objectives[i];
            if (objective?.Title is null || objective.KeyResults is null)
            {
                problems.Add(Problem.Error($"objective {i + 1}", "is empty or lacks its title or key results"));
                continue;
            }

            var title = Truncate(objective.Title);
            var keyResults = new List<KeyResultDefinition>();
            foreach (var kr in objective.KeyResults)
            {
                if (kr?.Title is null || kr.Metric is null || !double.IsFinite(kr.Target) || kr.Baseline is { } b && !double.IsFinite(b))
                {
                    problems.Add(Problem.Error($"a key result of '{title}'", "is empty, lacks its title or metric, or its target or baseline is not a finite number"));
                    continue;
                }

                keyResults.Add(kr with { Title = Truncate(kr.Title), Owner = kr.Owner is null ? null : Truncate(kr.Owner) });
            }

            objectives.Add(new ObjectiveDefinition(title, keyResults));
        }

        return new OkrDocument(objectives, problems);
    }

    /// <summary>
    /// <paramref name="text"/> cut to <see cref="MaxTextLength"/> characters with a marker saying how long
    /// it was; shorter text is returned as is.
    /// </summary>
    public static string Truncate(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return TextLimit.Cut(text, MaxTextLength);
    }

    private static List<MetricValue> CheckMetrics(string sourceId, SourceComputation computation, SourceComputation? previous, List<string> problems)
    {
        var kept = new List<MetricValue>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (metric, i) in Indexed(computation.Metrics, "metrics", problems))
        {
            if (metric?.Id is not { } id)
            {
                problems.Add(metric is null ? $"metrics[{i}] is null" : $"metrics[{i}] has no id");
                continue;
            }

            if (!seen.Add(id))
            {
                problems.Add($"metric '{Truncate(id)}' is returned twice");
            }
            else if (!id.StartsWith(sourceId + ".", StringComparison.Ordinal))
            {
                problems.Add($"metric '{Truncate(id)}' is not one of this source's (its ids start with '{sourceId}.')");
            }
            else if (NotFinite(metric.Value))
            {
                var compared = previous?.Metrics?.FirstOrDefault(m => m?.Id == id) is { } before ? $" (previous {Describe(before.Value)})" : "";
                problems.Add($"metric '{id}' is {Describe(metric.Value)}{compared}: values must be finite numbers or null");
            }
            else
            {
                kept.Add(metric);
            }
        }

        return kept;
    }

    private static List<TimeSeries> CheckSeries(SourceComputation computation, List<string> problems)
    {
        var kept = new List<TimeSeries>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (series, i) in Indexed(computation.Series, "series", problems))
        {
            var where = $"series[{i}]";
            if (series?.Id is null || series.Title is null || series.Points is null)
            {
                problems.Add(series is null ? $"{where} is null" : $"{where} lacks its id, title or points");
                continue;
            }

            if (!seen.Add(series.Id))
            {
                problems.Add($"series '{Truncate(series.Id)}' is returned twice");
                continue;
            }

            var bad = IndexOf(series.Points, p => p is null || NotFinite(p.Value));
            if (bad >= 0)
            {
                problems.Add(series.Points[bad] is { } point
                    ? $"series '{series.Id}' point {bad} is {Describe(point.Value)}: values must be finite numbers or null"
                    : $"series '{series.Id}' point {bad} is null");
                continue;
            }

            kept.Add(series with { Id = Truncate(series.Id), Title = Truncate(series.Title), Points = series.Points.ToArray() });
        }

        return kept;
    }

    private static List<DataTable> CheckTables(SourceComputation computation, List<string> problems)
    {
        var kept = new List<DataTable>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (table, i) in Indexed(computation.Tables, "tables", problems))
        {
            var where = $"tables[{i}]";
            if (table?.Id is null || table.Title is null || table.Columns is null || table.Rows is null)
            {
                problems.Add(table is null ? $"{where} is null" : $"{where} lacks its id, title, columns or rows");
                continue;
            }

            if (!seen.Add(table.Id))
            {
                problems.Add($"table '{Truncate(table.Id)}' is returned twice");
                continue;
            }

            if (table.Columns.Any(c => c is null))
            {
                problems.Add($"table '{table.Id}' has a null column heading");
                continue;
            }

            var rows = new List<IReadOnlyList<TableCell>>(table.Rows.Count);
            for (var r = 0; r < table.Rows.Count; r++)
            {
                var row = table.Rows[r];
                var nullCell = row is null ? -1 : IndexOf(row, c => c?.Text is null);
                if (row is null || nullCell >= 0)
                {
                    problems.Add(row is null ? $"table '{table.Id}' row {r} is null" : $"table '{table.Id}' row {r} cell {nullCell} is null");
                    break;
                }

                rows.Add(row.Select(c => c with { Text = Truncate(c.Text), Link = c.Link is { Length: <= MaxTextLength } link ? link : null }).ToArray());
            }

            if (rows.Count == table.Rows.Count)
            {
                kept.Add(table with { Id = Truncate(table.Id), Title = Truncate(table.Title), Columns = table.Columns.Select(Truncate).ToArray(), Rows = rows });
            }
        }

        return kept;
    }

    private static string[] CheckNotes(IEnumerable<string>? notes, List<string> problems)
    {
        var kept = new List<string>();
        foreach (var (note, i) in Indexed(notes, "notes", problems))
        {
            if (note is null)
            {
                problems.Add($"notes[{i}] is null");
            }
            else
            {
                kept.Add(Truncate(note));
            }
        }

        return [.. kept];
    }

    private static string Refused(List<string> problems)
    {
        var shown = string.Join("; ", problems.Take(ProblemsShown));
        var more = problems.Count > ProblemsShown ? $" (and {problems.Count - ProblemsShown} more)" : "";
        return $"the plugin returned a malformed result: {shown}{more}";
    }

    /// <summary>The items of a list the plugin filled, or a problem when it replaced the list by null.</summary>
    private static IEnumerable<(T Item, int Index)> Indexed<T>(IEnumerable<T>? items, string name, List<string> problems)
    {
        if (items is null)
        {
            problems.Add($"{name} is null");
            return [];
        }

        return items.Select((item, index) => (item, index)).ToArray();
    }

    private static int IndexOf<T>(IReadOnlyList<T> items, Func<T, bool> match)
    {
        for (var i = 0; i < items.Count; i++)
        {
            if (match(items[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool NotFinite(double? value) => value is { } v && !double.IsFinite(v);

    private static string Describe(double? value) => value is { } v ? v.ToString(CultureInfo.InvariantCulture) : "null";
}

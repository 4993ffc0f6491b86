using System.Text.Json;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Plugins.Notion;

/// <summary>
/// Turns the rows of an OKR database into objectives and key results (PRODUCT.md 6.5). A row that
/// cannot become a key result is reported with its title, link and every reason, and left out. Metric
/// ids are only checked for presence: the host knows the whole catalogue and validates them.
/// </summary>
internal static class OkrRows
{
    private static readonly string[] TextTypes = ["select", "rich_text", "title", "status"];
    private static readonly string[] OwnerTypes = ["people", "rich_text", "select"];
    private static readonly string[] NumberTypes = ["number"];

    public static OkrDocument Read(IEnumerable<NotionPage> rows, NotionPropertyNames names)
    {
        var objectives = new List<string>();
        var keyResultsOf = new Dictionary<string, List<KeyResultDefinition>>(StringComparer.Ordinal);
        var problems = new List<Problem>();
        foreach (var row in rows.Where(r => !r.IsDeleted))
        {
            var reader = new RowReader(row);
            var title = reader.Text(names.KeyResult, ["title", "rich_text"], required: true);
            var objective = reader.Text(names.Objective, TextTypes, required: true);
            var metric = reader.Text(names.Metric, TextTypes, required: true);
            var target = reader.Number(names.Target, required: true);
            var baseline = reader.Number(names.Baseline, required: false);
            var direction = reader.Direction(names.Direction);
            var owner = reader.Text(names.Owner, OwnerTypes, required: false);
            var confidence = reader.Confidence(names.Confidence);
            var note = reader.Text(names.Note, ["rich_text"], required: false);
            if (reader.Problems.Count > 0 || title is null || objective is null || metric is null || target is null || direction is null)
            {
                problems.Add(Problem.Error($"Notion row '{(title ?? "(untitled)")}' ({row.Url ?? row.Id})", string.Join("; ", reader.Problems)));
                continue;
            }

            if (!keyResultsOf.TryGetValue(objective, out var keyResults))
            {
                keyResults = keyResultsOf[objective] = [];
                objectives.Add(objective);
            }

            keyResults.Add(new KeyResultDefinition(title, metric, target.Value, baseline, direction.Value, owner) { Confidence = confidence, Note = note });
        }

        return new OkrDocument(objectives.Select(o => new ObjectiveDefinition(o, keyResultsOf[o])).ToList(), problems);
    }

    /// <summary>Reads one row's cells, collecting what is wrong with them.</summary>
    private sealed class RowReader(NotionPage row)
    {
        public List<string> Problems { get; } = [];

        public string? Text(string name, string[] types, bool required)
        {
            if (Cell(name, types, required) is not { } cell)
            {
                return null;
            }

            var text = NotionProperty.Text(cell);
            if (text.Length > 0)
            {
                return text;
            }

            if (required)
            {
                Problems.Add($"{name} is empty");
            }

            return null;
        }

        public double? Number(string name, bool required)
        {
            if (Cell(name, NumberTypes, required) is not { } cell)
            {
                return null;
            }

            var number = NotionProperty.Number(cell);
            if (number is null && required)
            {
                Problems.Add($"{name} is empty");
            }

            return number;
        }

        public KeyResultDirection? Direction(string name)
        {
            var text = Text(name, TextTypes, required: false);
            if (text is null || text.Equals("increase", StringComparison.OrdinalIgnoreCase))
            {
                return KeyResultDirection.Increase;
            }

            if (text.Equals("decrease", StringComparison.OrdinalIgnoreCase))
            {
                return KeyResultDirection.Decrease;
            }

            Problems.Add($"{name} '{text}' is neither Increase nor Decrease");
            return null;
        }

        /// <summary>An empty or absent confidence is no check-in; a value that names none is a problem of the row.</summary>
        public KeyResultConfidence? Confidence(string name)
        {
            var text = Text(name, TextTypes, required: false);
            var confidence = KeyResultConfidences.Parse(text);
            if (text is not null && confidence is null)
            {
                Problems.Add($"{name} '{text}' is none of {KeyResultConfidences.Forms}");
            }

            return confidence;
        }

        private JsonElement? Cell(string name, string[] types, bool required)
        {
            if (!row.Properties.TryGetValue(name, out var cell))
            {
                if (required)
                {
                    Problems.Add($"the database has no property '{name}' (rename it or set properties in plugins.json)");
                }

                return null;
            }

            var type = NotionProperty.Type(cell);
            if (type is null || !types.Contains(type))
            {
                Problems.Add($"{name} is a {type ?? "untyped"} property; expected {string.Join(" or ", types)}");
                return null;
            }

            return cell;
        }
    }
}

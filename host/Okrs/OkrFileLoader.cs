using System.Text.Json;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;

namespace OkrHost.Okrs;

/// <summary>Reads okrs.json (PRODUCT.md section 4), recording every problem with its JSON path.</summary>
public static class OkrFileLoader
{
    private static readonly string[] ObjectiveKeys = ["title", "keyResults", "due"];
    private static readonly string[] KeyResultKeys = ["title", "metric", "target", "baseline", "direction", "owner", "confidence", "note"];

    public static OkrDocument Load(string path, string displayName, List<Problem> problems, IReadOnlySet<string> knownMetrics)
    {
        ArgumentNullException.ThrowIfNull(problems);
        if (Directory.Exists(path))
        {
            problems.Add(Problem.Error(displayName, "$", "is a folder, not an OKR file"));
            return new OkrDocument([], []);
        }

        if (!File.Exists(path))
        {
            problems.Add(Problem.Error(displayName, "$", "file not found"));
            return new OkrDocument([], []);
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path), JsonReader.DocumentOptions);
        }
        catch (JsonException ex)
        {
            problems.Add(Problem.Error(displayName, ex.Path ?? "$", $"not valid JSON: {ex.Message}"));
            return new OkrDocument([], []);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problems.Add(Problem.Error(displayName, "$", $"cannot be read: {ex.Message}"));
            return new OkrDocument([], []);
        }

        using (document)
        {
            return Read(document.RootElement, displayName, "$", problems, knownMetrics);
        }
    }

    /// <summary>
    /// OKRs in the okrs.json layout at <paramref name="rootPath"/> of a file already parsed (a facts bundle
    /// carries them so), checked exactly as okrs.json is.
    /// </summary>
    public static OkrDocument Read(JsonElement root, string displayName, string rootPath, List<Problem> problems, IReadOnlySet<string> knownMetrics)
    {
        ArgumentNullException.ThrowIfNull(problems);
        ArgumentNullException.ThrowIfNull(knownMetrics);
        var reader = new JsonReader(displayName, problems);
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("objectives", out var objectives) || objectives.ValueKind != JsonValueKind.Array)
        {
            reader.Error($"{rootPath}.objectives", "is required: an array of objectives");
            return new OkrDocument([], []);
        }

        var result = new List<ObjectiveDefinition>();
        var index = 0;
        foreach (var objective in objectives.EnumerateArray())
        {
            var objectivePath = $"{rootPath}.objectives[{index++}]";
            if (objective.ValueKind != JsonValueKind.Object)
            {
                reader.Error(objectivePath, "must be an object");
                continue;
            }

            reader.CheckUnknownKeys(objective, objectivePath, ObjectiveKeys);
            var title = RequiredText(reader, objective, "title", $"{objectivePath}.title");
            var due = ReadDue(reader, objective, $"{objectivePath}.due");
            var keyResults = new List<KeyResultDefinition>();
            if (!objective.TryGetProperty("keyResults", out var krs) || krs.ValueKind != JsonValueKind.Array)
            {
                reader.Error($"{objectivePath}.keyResults", "is required: an array of key results");
            }
            else
            {
                var krIndex = 0;
                foreach (var kr in krs.EnumerateArray())
                {
                    if (ReadKeyResult(reader, kr, $"{objectivePath}.keyResults[{krIndex++}]", knownMetrics) is { } definition)
                    {
                        keyResults.Add(definition);
                    }
                }
            }

            result.Add(new ObjectiveDefinition(title ?? "", keyResults) { Due = due });
        }

        return new OkrDocument(result, []);
    }

    private static KeyResultDefinition? ReadKeyResult(JsonReader reader, JsonElement kr, string path, IReadOnlySet<string> knownMetrics)
    {
        if (kr.ValueKind != JsonValueKind.Object)
        {
            reader.Error(path, "must be an object");
            return null;
        }

        reader.CheckUnknownKeys(kr, path, KeyResultKeys);
        var title = RequiredText(reader, kr, "title", $"{path}.title");
        var metric = RequiredText(reader, kr, "metric", $"{path}.metric");
        if (metric is not null && !knownMetrics.Contains(metric))
        {
            reader.Error($"{path}.metric", $"unknown metric '{metric}'; known metric ids: {string.Join(", ", knownMetrics.Order(StringComparer.Ordinal))}");
            metric = null;
        }

        var target = reader.Number(kr, "target", $"{path}.target", required: true);
        var baseline = reader.Number(kr, "baseline", $"{path}.baseline");
        var directionText = reader.String(kr, "direction", $"{path}.direction") ?? "increase";
        KeyResultDirection? direction = directionText.ToLowerInvariant() switch
        {
            "increase" => KeyResultDirection.Increase,
            "decrease" => KeyResultDirection.Decrease,
            _ => null,
        };
        if (direction is null)
        {
            reader.Error($"{path}.direction", $"'{directionText}' must be \"increase\" or \"decrease\"");
        }

        if (target is { } t && baseline is { } b && direction is { } d && KeyResultRules.WrongSide(t, b, d) is { } wrongSide)
        {
            reader.Error($"{path}.target", wrongSide);
            target = null;
        }

        var owner = reader.String(kr, "owner", $"{path}.owner");
        var confidenceText = reader.String(kr, "confidence", $"{path}.confidence");
        var confidence = KeyResultConfidences.Parse(confidenceText);
        if (confidenceText is not null && confidence is null)
        {
            reader.Error($"{path}.confidence", $"'{confidenceText}' must be {KeyResultConfidences.Forms}");
        }

        var note = reader.String(kr, "note", $"{path}.note");
        return title is null || metric is null || target is null || direction is null || (confidenceText is not null && confidence is null)
            ? null
            : new KeyResultDefinition(title, metric, target.Value, baseline, direction.Value, owner) { Confidence = confidence, Note = note };
    }

    private static DateOnly? ReadDue(JsonReader reader, JsonElement objective, string path)
    {
        var text = reader.String(objective, "due", path);
        if (text is null)
        {
            return null;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var due))
        {
            return due;
        }

        reader.Error(path, $"'{text}' is not a date (YYYY-MM-DD)");
        return null;
    }

    private static string? RequiredText(JsonReader reader, JsonElement parent, string key, string path)
    {
        var value = reader.String(parent, key, path);
        if (string.IsNullOrWhiteSpace(value))
        {
            if (value is null && !parent.TryGetProperty(key, out _))
            {
                reader.Error(path, "is required");
            }
            else if (value is not null)
            {
                reader.Error(path, "must not be empty");
            }

            return null;
        }

        return value;
    }
}

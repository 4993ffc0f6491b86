namespace OkrHost.Plugins.Notion;

/// <summary>The <c>sources.notion</c> object of plugins.json (the host owns enabled, baseUrl and tokenEnv).</summary>
public sealed class NotionSettings
{
    /// <summary>The database whose rows are key results; optional.</summary>
    public string? OkrDatabaseId { get; set; }

    /// <summary>The database whose pages are postmortems; optional.</summary>
    public string? PostmortemDatabaseId { get; set; }

    /// <summary>Names of the OKR database's properties.</summary>
    public NotionPropertyNames Properties { get; set; } = new();
}

/// <summary>Names of the OKR database's properties (PRODUCT.md 6.5), for databases laid out differently.</summary>
public sealed class NotionPropertyNames
{
    /// <summary>The key result's title.</summary>
    public string KeyResult { get; set; } = "Key Result";

    /// <summary>The objective the row belongs to (select or text).</summary>
    public string Objective { get; set; } = "Objective";

    /// <summary>The metric id (select or text).</summary>
    public string Metric { get; set; } = "Metric";

    /// <summary>The target (number).</summary>
    public string Target { get; set; } = "Target";

    /// <summary>The baseline (number, optional).</summary>
    public string Baseline { get; set; } = "Baseline";

    /// <summary>Increase or Decrease (select or text, optional, default Increase).</summary>
    public string Direction { get; set; } = "Direction";

    /// <summary>The owner (people or text, optional).</summary>
    public string Owner { get; set; } = "Owner";

    /// <summary>The owner's check-in confidence: On track, At risk or Off track (select or text, optional).</summary>
    public string Confidence { get; set; } = "Confidence";

    /// <summary>The owner's check-in note (rich text, optional).</summary>
    public string Note { get; set; } = "Note";

    /// <summary>Setting key → configured name, for validation.</summary>
    internal IEnumerable<(string Key, string? Name)> All() =>
    [
        ("keyResult", KeyResult), ("objective", Objective), ("metric", Metric), ("target", Target),
        ("baseline", Baseline), ("direction", Direction), ("owner", Owner),
        ("confidence", Confidence), ("note", Note),
    ];
}

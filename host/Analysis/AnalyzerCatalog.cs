namespace OkrHost.Analysis;

/// <summary>The host's cross-source analyzers.</summary>
public static class AnalyzerCatalog
{
    public static IReadOnlyList<IEventAnalyzer> All { get; } = [new DoraAnalyzer()];
}

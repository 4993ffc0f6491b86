using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>The <c>sources.grafana</c> settings (PRODUCT.md section 3), bound by the host; <c>baseUrl</c> (required: self-hosted, possibly under a sub-path, or Cloud) is the host's.</summary>
public sealed class GrafanaSettings
{
    /// <summary>Default of <see cref="AnnotationLimit"/>.</summary>
    public const int DefaultAnnotationLimit = 5000;

    /// <summary>Default of <see cref="TraceLimit"/>.</summary>
    public const int DefaultTraceLimit = 1000;

    /// <summary>Default of <see cref="MaxTraceSearches"/>.</summary>
    public const int DefaultMaxTraceSearches = 16;

    /// <summary>The variable holding the service account token when <c>tokenEnv</c> is absent.</summary>
    public const string DefaultTokenEnv = "GRAFANA_TOKEN";

    /// <summary>Every one of these tags marks a drift annotation.</summary>
    public List<string>? DriftTags { get; set; } = ["drift"];

    /// <summary>Every one of these tags marks a finding annotation.</summary>
    public List<string>? FindingTags { get; set; } = ["finding"];

    /// <summary>The uid of the Tempo data source; without it the trace metrics are empty.</summary>
    public string? TempoDatasourceUid { get; set; }

    /// <summary>
    /// <c>limit</c> of each annotation request. Grafana applies it as given (default 100, no server
    /// maximum) and has no cursor, so a larger page means fewer windows; a window that comes back full is
    /// split anyway, so this only trades requests for response size.
    /// </summary>
    public int AnnotationLimit { get; set; } = DefaultAnnotationLimit;

    /// <summary><c>limit</c> of each Tempo search (Tempo's default is 20; its <c>max_result_limit</c> may cap it).</summary>
    public int TraceLimit { get; set; } = DefaultTraceLimit;

    /// <summary>Most Tempo searches per TraceQL query when windows have to be split; past it the numbers are a sample (said in Notes).</summary>
    public int MaxTraceSearches { get; set; } = DefaultMaxTraceSearches;
}

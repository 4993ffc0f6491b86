namespace OkrHost.Contracts;

/// <summary>
/// A source of metrics: one external service (GitHub, Linear, …) seen through the numbers a team sets
/// key results on.
/// </summary>
/// <remarks>
/// <para>Export an implementation with <c>[Export(typeof(ISourcePlugin))]</c> and
/// <see cref="SourcePluginAttribute"/>, build it against this assembly only, and drop the build output
/// into <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>. The host creates one instance per run.</para>
/// <para>Error rules: <see cref="Metrics"/> and <see cref="ValidateSettings"/> must not throw and must not
/// touch the network. <see cref="CollectAsync"/> reports an expected failure (bad token, malformed
/// answer, unknown repository) by throwing <see cref="SourceException"/> with a message a person can act
/// on; any other exception is reported as an unexpected failure of this source. Either way only this
/// source fails: the others still run and the report is still written.</para>
/// </remarks>
public interface ISourcePlugin
{
    /// <summary>
    /// Every metric this source can produce, declared up front so that OKRs naming them can be
    /// validated without fetching anything, and documentation can list them.
    /// </summary>
    IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>
    /// Checks this source's settings without any I/O. Return every problem, not just the first:
    /// <see cref="SettingProblemKind.Missing"/> makes the source <c>not-configured</c> (the run goes on),
    /// <see cref="SettingProblemKind.Invalid"/> is a configuration error (exit code 2),
    /// <see cref="SettingProblemKind.Unknown"/> is a warning. The host itself reports a missing token.
    /// </summary>
    IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings);

    /// <summary>
    /// Fetches what the metrics need and computes every declared metric for the context's period and
    /// previous period.
    /// </summary>
    /// <returns>
    /// A value for every metric in <see cref="Metrics"/> (use <c>null</c> where there is nothing to
    /// measure, never leave one out), plus optional series, tables and events. The host fills in titles
    /// and units from <see cref="Metrics"/>, so a result carries ids and numbers only.
    /// </returns>
    Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Optional Razor component that renders this source's report section instead of the host's default
    /// (tiles, charts and tables). It must accept a parameter named <c>Section</c> of type
    /// <see cref="SourceSection"/>. The plugin must then compile against the host's
    /// Microsoft.AspNetCore.Components major version.
    /// </summary>
    Type? SectionComponent => null;
}

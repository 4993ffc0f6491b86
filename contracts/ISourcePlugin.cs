namespace OkrHost.Contracts;

/// <summary>
/// A source of metrics: one external service (GitHub, Linear, …) seen through the numbers a team sets
/// key results on. Its work is split in two: <see cref="CollectAsync"/> does all the I/O and returns
/// facts; <see cref="Compute"/> turns facts into metric values for any window, with no I/O at all.
/// </summary>
/// <remarks>
/// <para>Export an implementation with <c>[Export(typeof(ISourcePlugin))]</c> and
/// <see cref="SourcePluginAttribute"/>, build it against this assembly only, and drop the build output
/// into <c>plugins/&lt;Name&gt;/&lt;Name&gt;.dll</c>. The host creates one instance per run. Deriving
/// from <see cref="SourcePlugin{TSettings}"/> saves the casts.</para>
/// <para>The host collects once for a fetch window covering the report period, the previous period and
/// every trend week, then calls <see cref="Compute"/> once per window. It may also compute from facts
/// collected by other runs and merged (<see cref="FactSet.Merge"/>), so a computation must give the same
/// numbers from merged facts as from one collection: depend on facts only, never on list order.</para>
/// <para>Error rules: <see cref="Metrics"/>, <see cref="FactTypes"/>, <see cref="ValidateSettings"/> and
/// <see cref="Compute"/> must not touch the network, the disk or the clock. <see cref="CollectAsync"/>
/// reports an expected failure (bad token, malformed answer, unknown repository) by throwing
/// <see cref="SourceException"/> with a message a person can act on; any other exception is reported as
/// an unexpected failure of this source. Either way only this source fails: the others still run and
/// the report is still written.</para>
/// </remarks>
public interface ISourcePlugin
{
    /// <summary>
    /// Every metric this source can produce, declared up front so that OKRs naming them can be
    /// validated without fetching anything, and documentation can list them.
    /// </summary>
    IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <summary>
    /// Every fact type <see cref="CollectAsync"/> returns besides the shared kinds of this assembly
    /// (<see cref="Dora.DeploymentFact"/>, <see cref="Dora.IncidentFact"/>, <see cref="Dora.PostmortemFact"/>, <see cref="Dora.ChangeFact"/>), so the host
    /// can write and read them as JSON. Each carries a <see cref="FactKindAttribute"/>.
    /// </summary>
    IReadOnlyList<Type> FactTypes { get; }

    /// <summary>
    /// The class the source's entry of <c>plugins.json</c> is bound to (camelCase keys, enums in
    /// kebab-case), without the keys the host owns: <c>enabled</c>, <c>tokenEnv</c>, <c>baseUrl</c>.
    /// It needs a public parameterless constructor and settable properties; their initial values are the
    /// defaults. The host binds it once, lists every value of the wrong type and every unknown key, and
    /// hands the instance over in <see cref="SourceSettings.Values"/>.
    /// </summary>
    Type SettingsType { get; }

    /// <summary>
    /// Checks the bound settings without any I/O. Return every problem, not just the first:
    /// <see cref="ProblemSeverity.Missing"/> makes the source <c>not-configured</c> (the run goes on),
    /// <see cref="ProblemSeverity.Error"/> is a configuration error (exit code 2),
    /// <see cref="ProblemSeverity.Warning"/> is a warning. The host itself reports a missing token,
    /// a malformed <c>baseUrl</c>, wrong types and unknown keys.
    /// </summary>
    IReadOnlyList<Problem> ValidateSettings(SourceSettings settings);

    /// <summary>
    /// Fetches every fact that computing any window inside <see cref="CollectContext.FetchWindow"/> needs,
    /// plus the readings of point-in-time metrics taken now. Called only with settings that passed
    /// <see cref="ValidateSettings"/>.
    /// </summary>
    Task<FactSet> CollectAsync(CollectContext context, CancellationToken cancellationToken);

    /// <summary>
    /// Computes every declared metric over <paramref name="window"/> from <paramref name="facts"/> alone:
    /// pure, no I/O and no clock (the time of the readings is <see cref="FactSet.CollectedAt"/>).
    /// </summary>
    /// <returns>
    /// A value for every metric in <see cref="Metrics"/> (<c>null</c> where there is nothing to measure,
    /// never left out; a point-in-time metric gives its reading whatever the window, and the host keeps it
    /// for the report period only), and, when <see cref="ComputeWindow.WithSection"/>, the section's series,
    /// tables and notes. The host fills in titles and units from <see cref="Metrics"/>.
    /// </returns>
    SourceComputation Compute(FactSet facts, ComputeWindow window);
}

/// <summary>
/// A base for plugins with a settings class: the host binds <typeparamref name="TSettings"/> and the
/// overrides receive it typed.
/// </summary>
/// <typeparam name="TSettings">The settings class (see <see cref="ISourcePlugin.SettingsType"/>).</typeparam>
public abstract class SourcePlugin<TSettings> : ISourcePlugin where TSettings : class, new()
{
    /// <inheritdoc/>
    public abstract IReadOnlyList<MetricDefinition> Metrics { get; }

    /// <inheritdoc/>
    public virtual IReadOnlyList<Type> FactTypes => [];

    /// <inheritdoc/>
    public Type SettingsType => typeof(TSettings);

    /// <inheritdoc/>
    public IReadOnlyList<Problem> ValidateSettings(SourceSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new List<Problem>();
        Validate(settings.Get<TSettings>(), settings, problems);
        return problems;
    }

    /// <inheritdoc/>
    public Task<FactSet> CollectAsync(CollectContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        return CollectAsync(context.Settings.Get<TSettings>(), context, cancellationToken);
    }

    /// <inheritdoc/>
    public abstract SourceComputation Compute(FactSet facts, ComputeWindow window);

    /// <summary>Adds every problem of <paramref name="settings"/> to <paramref name="problems"/> (see <see cref="ISourcePlugin.ValidateSettings"/>).</summary>
    /// <param name="settings">The bound settings.</param>
    /// <param name="source">The source's entry: JSON paths for problems, token, base URL.</param>
    /// <param name="problems">Where problems go.</param>
    protected virtual void Validate(TSettings settings, SourceSettings source, List<Problem> problems)
    {
    }

    /// <inheritdoc cref="ISourcePlugin.CollectAsync"/>
    protected abstract Task<FactSet> CollectAsync(TSettings settings, CollectContext context, CancellationToken cancellationToken);
}

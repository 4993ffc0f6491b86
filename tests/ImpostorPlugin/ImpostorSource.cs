using System.Composition;
using OkrHost.Contracts;

namespace Impostor;

/// <summary>Claims to be GitHub; would report a perfect deployment record if it ever ran.</summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("github", "GitHub (impostor)", DefaultTokenEnv = "GITHUB_TOKEN")]
public sealed class ImpostorSource : SourcePlugin<object>
{
    public override IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("github.deployments_per_week", "Deployments per week", MetricUnit.PerWeek, "Whatever the impostor says."),
    ];

    protected override Task<FactSet> CollectAsync(object settings, CollectContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new FactSet { Window = context.FetchWindow, CollectedAt = context.Clock.GetUtcNow() });

    public override SourceComputation Compute(FactSet facts, ComputeWindow window) =>
        new() { Metrics = [new MetricValue("github.deployments_per_week", 1000)] };
}

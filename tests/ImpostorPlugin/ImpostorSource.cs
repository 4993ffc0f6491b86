using System.Composition;
using OkrHost.Contracts;

namespace Impostor;

/// <summary>Claims to be GitHub; would report a perfect deployment record if it ever ran.</summary>
[Export(typeof(ISourcePlugin))]
[SourcePlugin("github", "GitHub (impostor)", DefaultTokenEnv = "GITHUB_TOKEN")]
public sealed class ImpostorSource : ISourcePlugin
{
    public IReadOnlyList<MetricDefinition> Metrics { get; } =
    [
        new("github.deployments_per_week", "Deployments per week", MetricUnit.PerWeek, "Whatever the impostor says."),
    ];

    public IReadOnlyList<SettingProblem> ValidateSettings(SourceSettings settings) => [];

    public Task<SourceResult> CollectAsync(SourceContext context, CancellationToken cancellationToken)
    {
        var result = new SourceResult();
        result.Metrics.Add(new MetricValue("github.deployments_per_week", 1000, 0));
        return Task.FromResult(result);
    }
}

using System.Composition;
using OkrHost.Contracts;

namespace BadFacts;

/// <summary>A fact type that forgot its kind.</summary>
public sealed record UnnamedFact(string Id) : Fact(Id);

/// <summary>A kind that belongs to the Slack plugin.</summary>
[FactKind("slack.war-room")]
public sealed record BorrowedFact(string Id) : Fact(Id);

/// <summary>A copy of a kind the contracts share: only the contracts' own type may carry it.</summary>
[FactKind("deployment")]
public sealed record CopiedDeploymentFact(string Id) : Fact(Id);

public sealed class NoSettings;

/// <summary>What every bad plugin here shares: one metric, no facts, a zero.</summary>
public abstract class BadFactsSource : SourcePlugin<NoSettings>
{
    protected abstract string Id { get; }

    public override IReadOnlyList<MetricDefinition> Metrics => [new($"{Id}.zero", "Zero", MetricUnit.Count, "Always zero.")];

    protected override Task<FactSet> CollectAsync(NoSettings settings, CollectContext context, CancellationToken cancellationToken) =>
        Task.FromResult(new FactSet { Window = context.FetchWindow, CollectedAt = context.Clock.GetUtcNow() });

    public override SourceComputation Compute(FactSet facts, ComputeWindow window) =>
        new() { Metrics = [new MetricValue($"{Id}.zero", 0)] };
}

[Export(typeof(ISourcePlugin))]
[SourcePlugin("unnamed", "Unnamed")]
public sealed class UnnamedSource : BadFactsSource
{
    protected override string Id => "unnamed";

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(UnnamedFact)];
}

[Export(typeof(ISourcePlugin))]
[SourcePlugin("borrower", "Borrower")]
public sealed class BorrowerSource : BadFactsSource
{
    protected override string Id => "borrower";

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(BorrowedFact)];
}

[Export(typeof(ISourcePlugin))]
[SourcePlugin("copier", "Copier")]
public sealed class CopierSource : BadFactsSource
{
    protected override string Id => "copier";

    public override IReadOnlyList<Type> FactTypes { get; } = [typeof(CopiedDeploymentFact)];
}

[Export(typeof(ISourcePlugin))]
[SourcePlugin("thrower", "Thrower")]
public sealed class ThrowerSource : BadFactsSource
{
    protected override string Id => "thrower";

    public override IReadOnlyList<Type> FactTypes => throw new InvalidOperationException("the fact types could not be listed");
}

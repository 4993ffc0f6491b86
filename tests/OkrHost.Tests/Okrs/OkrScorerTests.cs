using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Okrs;
using OkrHost.Reporting;

namespace OkrHost.Tests.Okrs;

public class OkrScorerTests
{
    private static KeyResultDefinition Increase(double target, double? baseline = null) => new("kr", "m", target, baseline, KeyResultDirection.Increase, null);

    private static KeyResultDefinition Decrease(double target, double? baseline = null) => new("kr", "m", target, baseline, KeyResultDirection.Decrease, null);

    [Theory]
    [InlineData(8.1, 10.0, 3.0, 0.7285714285714285)]
    [InlineData(10.0, 10.0, 3.0, 1.0)]
    [InlineData(14.0, 10.0, 3.0, 1.0)] // clamped above
    [InlineData(1.0, 10.0, 3.0, 0.0)] // clamped below
    [InlineData(5.0, 10.0, null, 0.5)] // baseline defaults to 0
    public void Increase_is_the_share_of_the_way_from_baseline_to_target(double actual, double target, double? baseline, double expected) =>
        Assert.Equal(expected, OkrScorer.Progress(Increase(target, baseline), actual)!.Value, 12);

    [Theory]
    [InlineData(5, 1)]
    [InlineData(6, 1)]
    [InlineData(4.99, 0)]
    public void Increase_with_target_equal_to_baseline_is_all_or_nothing(double actual, double expected) =>
        Assert.Equal(expected, OkrScorer.Progress(Increase(5, 5), actual));

    [Theory]
    [InlineData(40, 24, 72, 0.6666666666666666)]
    [InlineData(20, 24, 72, 1)]
    [InlineData(80, 24, 72, 0)]
    public void Decrease_with_baseline_is_the_share_of_the_way_down(double actual, double target, double baseline, double expected) =>
        Assert.Equal(expected, OkrScorer.Progress(Decrease(target, baseline), actual)!.Value, 12);

    [Theory]
    [InlineData(3, 1)]
    [InlineData(3.01, 0)]
    public void Decrease_with_target_equal_to_baseline_is_all_or_nothing(double actual, double expected) =>
        Assert.Equal(expected, OkrScorer.Progress(Decrease(3, 3), actual));

    [Theory]
    [InlineData(2, 1)]
    [InlineData(4, 1)]
    [InlineData(8, 0.5)]
    public void Decrease_without_baseline_is_target_over_actual_once_above_target(double actual, double expected) =>
        Assert.Equal(expected, OkrScorer.Progress(Decrease(4), actual));

    [Fact]
    public void A_missing_value_has_no_progress() => Assert.Null(OkrScorer.Progress(Increase(10), null));

    [Theory]
    [InlineData(1.0, OkrStatus.Achieved)]
    [InlineData(0.9999, OkrStatus.OnTrack)]
    [InlineData(0.7, OkrStatus.OnTrack)]
    [InlineData(0.6999, OkrStatus.AtRisk)]
    [InlineData(0.4, OkrStatus.AtRisk)]
    [InlineData(0.3999, OkrStatus.OffTrack)]
    [InlineData(0.0, OkrStatus.OffTrack)]
    [InlineData(null, OkrStatus.NoData)]
    public void Status_follows_the_thresholds(double? progress, OkrStatus expected) => Assert.Equal(expected, OkrScorer.StatusOf(progress));

    [Fact]
    public void Objective_progress_is_the_mean_of_key_results_with_data()
    {
        var objective = new ObjectiveDefinition("o",
        [
            new("a", "m.a", 10, 0, KeyResultDirection.Increase, null),
            new("b", "m.b", 10, 0, KeyResultDirection.Increase, null),
            new("c", "m.missing", 10, 0, KeyResultDirection.Increase, null),
        ]);
        var values = new Dictionary<string, double?> { ["m.a"] = 10, ["m.b"] = 4, ["m.missing"] = null };

        var scored = Assert.Single(OkrScorer.Score([objective], values));

        Assert.Equal(0.7, scored.Progress!.Value, 12);
        Assert.Equal(OkrStatus.OnTrack, scored.Status);
        Assert.Equal([OkrStatus.Achieved, OkrStatus.AtRisk, OkrStatus.NoData], scored.KeyResults.Select(k => k.Status));
        Assert.Null(scored.KeyResults[2].Actual);
    }

    [Fact]
    public void An_objective_without_any_data_is_no_data()
    {
        var objective = new ObjectiveDefinition("o", [new("a", "m.a", 10, 0, KeyResultDirection.Increase, null)]);

        var scored = Assert.Single(OkrScorer.Score([objective], new Dictionary<string, double?>()));

        Assert.Null(scored.Progress);
        Assert.Equal(OkrStatus.NoData, scored.Status);
    }
}

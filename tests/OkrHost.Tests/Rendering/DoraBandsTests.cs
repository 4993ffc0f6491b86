using OkrHost.Rendering;

namespace OkrHost.Tests.Rendering;

public class DoraBandsTests
{
    [Theory]
    [InlineData("dora.deployment_frequency", 7.0, DoraBand.Elite)]
    [InlineData("dora.deployment_frequency", 6.99, DoraBand.High)]
    [InlineData("dora.deployment_frequency", 1.0, DoraBand.High)]
    [InlineData("dora.deployment_frequency", 0.25, DoraBand.Medium)]
    [InlineData("dora.deployment_frequency", 0.2, DoraBand.Low)]
    [InlineData("dora.lead_time_hours.p50", 23.9, DoraBand.Elite)]
    [InlineData("dora.lead_time_hours.p50", 24.0, DoraBand.High)]
    [InlineData("dora.lead_time_hours.p50", 168.0, DoraBand.High)]
    [InlineData("dora.lead_time_hours.p50", 168.1, DoraBand.Medium)]
    [InlineData("dora.lead_time_hours.p50", 720.0, DoraBand.Medium)]
    [InlineData("dora.lead_time_hours.p50", 721.0, DoraBand.Low)]
    [InlineData("dora.change_failure_rate", 0.05, DoraBand.Elite)]
    [InlineData("dora.change_failure_rate", 0.10, DoraBand.High)]
    [InlineData("dora.change_failure_rate", 0.15, DoraBand.Medium)]
    [InlineData("dora.change_failure_rate", 0.16, DoraBand.Low)]
    [InlineData("dora.time_to_restore_hours.p50", 0.9, DoraBand.Elite)]
    [InlineData("dora.time_to_restore_hours.p50", 1.0, DoraBand.High)]
    [InlineData("dora.time_to_restore_hours.p50", 24.0, DoraBand.Medium)]
    [InlineData("dora.time_to_restore_hours.p50", 168.0, DoraBand.Low)]
    public void Values_fall_in_the_2023_clusters(string metricId, double value, DoraBand expected) =>
        Assert.Equal(expected, DoraBands.For(metricId, value));

    [Fact]
    public void No_value_or_a_metric_without_clusters_has_no_band()
    {
        Assert.Null(DoraBands.For("dora.deployment_frequency", null));
        Assert.Null(DoraBands.For("dora.postmortem_coverage", 0.5));
    }
}

using OkrHost.Contracts;
using OkrHost.Contracts.Dora;
using OkrHost.Sandbox;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace GitHub.Tests;

public sealed class DemoOrganisationTests(ITestOutputHelper output)
{
    private static readonly ReportPeriod Last30Days = TestSources.Last30Days(SandboxFixture.Now);

    [Fact]
    public async Task The_demo_organisation_yields_every_metric_of_a_report_at_the_minimum_request_count()
    {
        await using var sandbox = await DemoSandbox.StartAsync();
        var minimum = sandbox.Emulator.MinimumRequests(new SandboxPeriod(Last30Days.From, Last30Days.To));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (result, requests) = await sandbox.ReportAsync(Last30Days);
        output.WriteLine($"demo, last 30 days: {requests} requests (minimum {minimum}), {started.ElapsedMilliseconds} ms, {sandbox.Server.Stats("github").Bytes} bytes");

        Assert.Equal(new GitHub.Tests.Catalogue().Ids, result.Metrics.Select(m => m.Id).Order());
        Assert.All(result.Metrics, m =>
        {
            Assert.NotNull(m.Value);
            Assert.NotNull(m.Previous);
        });
        Assert.Equal(requests, sandbox.Server.Stats("github").Requests);
        Assert.InRange(requests, minimum, (long)Math.Floor(minimum * 1.1));
        Assert.Equal(3, result.Series.Count);
        Assert.All(result.Series, s => Assert.Equal(5, s.Points.Count));
    }

    [Fact]
    public async Task Every_incident_of_the_shared_timeline_is_a_successful_production_deployment()
    {
        await using var sandbox = await DemoSandbox.StartAsync();
        var to = new DateTimeOffset(SandboxFixture.Now.UtcDateTime.Date, TimeSpan.Zero);
        var period = new ReportPeriod(to.AddDays(-90), to);

        var (result, _) = await sandbox.RunAsync(period);

        var successes = result.Facts.OfType<DeploymentFact>().Where(e => e.Outcome == DeploymentOutcome.Success)
            .Select(e => (e.Repository, e.At)).ToHashSet();
        var incidents = sandbox.Server.Org.Incidents.Where(i => i.DeployedAt >= period.Previous.From && i.DeployedAt < period.To).ToList();
        Assert.NotEmpty(incidents);
        Assert.All(incidents, incident => Assert.Contains((incident.Repository, incident.DeployedAt), successes));
    }

    [Fact]
    public async Task The_large_profile_stays_near_the_minimum_request_count()
    {
        var generation = System.Diagnostics.Stopwatch.StartNew();
        await using var sandbox = await DemoSandbox.StartAsync(SandboxProfile.Large);
        var generated = generation.ElapsedMilliseconds;
        var minimum = sandbox.Emulator.MinimumRequests(new SandboxPeriod(Last30Days.From, Last30Days.To));

        var started = System.Diagnostics.Stopwatch.StartNew();
        var (result, requests) = await sandbox.ReportAsync(Last30Days);
        output.WriteLine($"large, last 30 days: {requests} requests (minimum {minimum}), run {started.ElapsedMilliseconds} ms, sandbox start {generated} ms");

        Assert.True(result.Value("github.deployments") > 100);
        Assert.InRange(requests, minimum, (long)Math.Floor(minimum * 1.1));
    }
}

/// <summary>The metric ids of PRODUCT.md 6.1, written out so a renamed id fails.</summary>
internal sealed class Catalogue
{
    public IEnumerable<string> Ids { get; } = new[]
    {
        "github.deployments", "github.deployments_per_week", "github.deployment_days", "github.failed_deployments",
        "github.change_failure_rate", "github.lead_time_hours.p50", "github.lead_time_hours.p90",
    }.Order();
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Sandbox;
using OkrHost.Sandbox.GitHub;
using OkrHost.Sandbox.Slack;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace OkrHost.Tests.Analysis;

/// <summary>
/// dora.rework_rate and dora.failed_deployment_recovery_hours.p50 from the CLI equal PRODUCT.md section 14
/// worked out from the sandbox's own data, in which deployments happen inside and outside an incident's first
/// 24 hours, a war room is never archived, and an incident attributed to a deployment is still open.
/// </summary>
public sealed class ReworkAndRecoveryTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Window = TimeSpan.FromHours(24);

    /// <summary>An incident as Slack reports it: a war room, closed when its archive message says so, open while not archived.</summary>
    private sealed record Incident(string Name, DateTimeOffset Opened, DateTimeOffset? Closed)
    {
        public DateTimeOffset FirstWindowEnd => Closed is { } closed && closed < Opened + Window ? closed : Opened + Window;
    }

    [Fact]
    public async Task Rework_and_recovery_from_the_cli_equal_section_14_worked_out_from_the_sandbox()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { Now = SandboxFixture.Now });
        // 90 days: long enough to hold failed deployments that recovered and one whose incidents are not all closed.
        var to = TestSources.Last30Days(SandboxFixture.Now).To;
        var period = new ReportPeriod(to.AddDays(-90), to);
        var deployments = SuccessfulProductionDeployments((GitHubEmulator)sandbox.Emulator("github"));
        var incidents = Incidents((SlackEmulator)sandbox.Emulator("slack"));

        // The cases section 14 is about are really in the data.
        var inPeriod = deployments.Where(period.Contains).ToList();
        Assert.Contains(inPeriod, d => incidents.Any(i => i.Opened <= d && d < i.FirstWindowEnd));
        Assert.Contains(inPeriod, d => !incidents.Any(i => i.Opened <= d && d < i.FirstWindowEnd));
        var forgotten = Assert.Single(incidents, i => i.Name == sandbox.Org.ForgottenWarRoom!.ChannelName);
        Assert.Null(forgotten.Closed);
        Assert.Contains(inPeriod, d => d >= forgotten.Opened + Window);
        var attributed = Attributed(deployments, incidents, period);
        Assert.Contains(attributed, a => period.Contains(a.Deployed) && a.Incidents.Any(i => i.Closed is null));
        Assert.Contains(attributed, a => period.Contains(a.Deployed) && a.Incidents.All(i => i.Closed is not null));

        using var folder = new TempFolder();
        var (sources, tokens) = sandbox.DemoSources();
        folder.File("plugins.json", new JsonObject { ["sources"] = sources }.ToJsonString());
        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, tokens, "report", "--only", "github,slack",
            "--from", Day(period.From), "--to", Day(period.To));
        Assert.True(result.ExitCode == 0, result.ToString());

        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var metrics = snapshot.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);
        var rework = metrics["dora.rework_rate"];
        var recovery = metrics["dora.failed_deployment_recovery_hours.p50"];
        output.WriteLine($"rework {rework.GetProperty("value")} of {rework.GetProperty("sampleSize")}, previous {rework.GetProperty("previous")}; "
            + $"recovery {recovery.GetProperty("value")} h of {recovery.GetProperty("sampleSize")}, previous {recovery.GetProperty("previous")}");

        Assert.Equal(Rework(deployments, incidents, period), (Value(rework, "value"), Int(rework, "sampleSize")));
        Assert.Equal(Rework(deployments, incidents, period.Previous).Rate, Value(rework, "previous"));
        Assert.Equal(Recovery(deployments, incidents, period), (Value(recovery, "value"), Int(recovery, "sampleSize")));
        Assert.Equal(Recovery(deployments, incidents, period.Previous).Median, Value(recovery, "previous"));
        // Each trend week is the definition applied to that week.
        var trend = rework.GetProperty("trend").EnumerateArray().ToArray();
        Assert.Equal(13, trend.Length);
        Assert.All(trend, week => Assert.Equal(
            Rework(deployments, incidents, new ReportPeriod(week.GetProperty("from").GetDateTimeOffset(), week.GetProperty("to").GetDateTimeOffset())).Rate,
            Value(week, "value")));
        Assert.NotNull(Value(rework, "value"));
        Assert.NotNull(Value(recovery, "value"));
    }

    private static (double? Rate, int? Sample) Rework(IReadOnlyList<DateTimeOffset> deployments, IReadOnlyList<Incident> incidents, ReportPeriod period)
    {
        var inPeriod = deployments.Where(period.Contains).ToList();
        var reworked = inPeriod.Count(d => incidents.Any(i => i.Opened <= d && d < i.FirstWindowEnd));
        return (inPeriod.Count == 0 ? null : (double)reworked / inPeriod.Count, inPeriod.Count);
    }

    private static (double? Median, int? Sample) Recovery(IReadOnlyList<DateTimeOffset> deployments, IReadOnlyList<Incident> incidents, ReportPeriod period)
    {
        var recovered = Attributed(deployments, incidents, period)
            .Where(a => period.Contains(a.Deployed) && a.Incidents.All(i => i.Closed is not null))
            .Select(a => (a.Incidents.Max(i => i.Closed!.Value) - a.Deployed).TotalHours)
            .ToList();
        return (MetricMath.Median(recovered), recovered.Count);
    }

    /// <summary>Each incident opened in the period, on the latest deployment strictly before it and at most 24 h earlier, grouped by that deployment.</summary>
    private static List<(DateTimeOffset Deployed, List<Incident> Incidents)> Attributed(IReadOnlyList<DateTimeOffset> deployments, IReadOnlyList<Incident> incidents, ReportPeriod period) =>
        incidents.Where(i => period.Contains(i.Opened))
            .Select(i => (Incident: i, Deployed: deployments.Where(d => d < i.Opened).DefaultIfEmpty(DateTimeOffset.MinValue).Max()))
            .Where(x => x.Incident.Opened - x.Deployed <= Window)
            .GroupBy(x => x.Deployed)
            .Select(g => (g.Key, g.Select(x => x.Incident).ToList()))
            .ToList();

    /// <summary>Every successful production deployment's time (its earliest success status, to the second as the API writes it), ascending.</summary>
    private static List<DateTimeOffset> SuccessfulProductionDeployments(GitHubEmulator github) =>
        github.Data.Repositories.SelectMany(r => r.Deployments)
            .Where(d => d.Environment.Contains("prod", StringComparison.OrdinalIgnoreCase) && d.Statuses.Any(s => s.State == "success"))
            .Select(d => DateTimeOffset.FromUnixTimeSeconds(d.Statuses.Where(s => s.State == "success").Min(s => s.CreatedAt).ToUnixTimeSeconds()))
            .Order()
            .ToList();

    /// <summary>Every war room whose state is known: open ones, and archived ones with their archive message.</summary>
    private static List<Incident> Incidents(SlackEmulator slack)
    {
        lock (slack.Data.Sync)
        {
            return slack.Data.Channels
                .Where(c => c.Name.StartsWith("inc-", StringComparison.Ordinal) || c.Name.StartsWith("war-room-", StringComparison.Ordinal))
                .Where(c => !c.IsArchived || c.Messages.Any(m => m.Subtype == "channel_archive"))
                .Select(c => new Incident(c.Name, c.Created, c.IsArchived ? c.Messages.Where(m => m.Subtype == "channel_archive").Max(m => m.At) : null))
                .ToList();
        }
    }

    private static string Day(DateTimeOffset at) => at.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static double? Value(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } number ? number.GetDouble() : null;

    private static int? Int(JsonElement element, string name) =>
        element.GetProperty(name) is { ValueKind: JsonValueKind.Number } number ? number.GetInt32() : null;
}

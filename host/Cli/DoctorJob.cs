using System.Net;
using OkrHost.Http;
using OkrHost.Running;
using OkrHost.UseCases;

namespace OkrHost.Cli;

/// <summary>
/// <c>okrhost doctor</c>: proves every enabled source on its real path (plugin, settings, token, base
/// URL, pipeline) by probing its collection, all at once, and prints one line per source: ok, or what
/// to fix.
/// </summary>
internal static class DoctorJob
{
    public static async Task<int> RunAsync(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger, CancellationToken cancellationToken)
    {
        RunOutput.PrintPluginWarnings(environment.Error, preparation.Catalog);

        if (RunOutput.PrintProblems(environment.Error, preparation.Problems))
        {
            environment.Error.WriteLine("nothing was checked: fix the errors above");
            return ExitCodes.InvalidInput;
        }

        var enabled = preparation.Plans.Where(p => p.Enabled).ToArray();
        if (enabled.Length == 0)
        {
            environment.Out.WriteLine($"no source is enabled in {preparation.Config.File}: nothing to prove. Set a source's token (see .env.example) and its \"enabled\": true");
            return ExitCodes.SourcesFailed;
        }

        // No ETag cache: a 304 would prove less, and a check should leave nothing behind.
        using var http = new SourceHttpFactory(preparation.Config.Http with { CacheDirectory = null }, logger, environment.Clock) { Probing = true };
        var runner = new SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
        var probes = await Task.WhenAll(enabled.Select(plan => plan.Runnable
            ? runner.ProbeAsync(plan, preparation.Period, loadOkrs: preparation.OkrProvider?.Id == plan.Id, cancellationToken)
            : Task.FromResult(new ProbeRun(plan, $"not configured: {string.Join("; ", plan.Missing)}", null, 0))));

        foreach (var probe in probes)
        {
            var line = probe.Error is null ? $"ok ({probe.Requests} request{(probe.Requests == 1 ? "" : "s")})" : $"{probe.Error}{Fix(probe)}";
            environment.Out.WriteLine($"{probe.Plan.Id,-10} {Redact(line, probe.Plan.Settings.Token)}");
        }

        var failed = probes.Count(p => p.Error is not null);
        environment.Out.WriteLine(failed == 0
            ? $"every enabled source is ok ({probes.Length})"
            : $"{failed} of {probes.Length} enabled sources not ok");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.SourcesFailed;
    }

    /// <summary>The host's part of the fix: which variable or setting a refusal points at, when the plugin's message does not name the token's variable.</summary>
    private static string Fix(ProbeRun probe)
    {
        var plan = probe.Plan;
        var variable = plan.Settings.TokenEnv;
        var path = plan.Settings.JsonPath;
        if (variable is not null && probe.Error!.Contains(variable, StringComparison.Ordinal))
        {
            // The plugin's message already says which token and what to do; saying it twice helps no one.
            return "";
        }

        return probe.Refusal switch
        {
            HttpStatusCode.Unauthorized when variable is not null =>
                $" | fix: put a valid {plan.Plugin.DisplayName} token in {variable}{Help(plan)}",
            HttpStatusCode.Forbidden when variable is not null =>
                $" | fix: the token in {variable} lacks a permission{Help(plan)}",
            HttpStatusCode.NotFound =>
                $" | fix: check the settings naming what to read in {path}, and {path}.baseUrl ({plan.Settings.BaseUrl?.OriginalString ?? "the service's default"})"
                + (variable is null ? "" : $"; the token in {variable} must be able to see it"),
            _ => "",
        };
    }

    private static string Help(SourcePlan plan) => plan.Plugin.Metadata.TokenHelp is { } help ? $": {help}" : "";

    /// <summary>A plugin's message could quote the service's answer; the token itself is never printed.</summary>
    private static string Redact(string line, string? token) =>
        string.IsNullOrEmpty(token) ? line : line.Replace(token, "[token]", StringComparison.Ordinal);
}

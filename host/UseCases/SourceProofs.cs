using System.Net;
using OkrHost.Http;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary>One source proved: <paramref name="Text"/> is "ok (n requests)" or what failed with what to fix, the token never in it.</summary>
internal sealed record SourceProof(string SourceId, bool Ok, string Text);

/// <summary>
/// <c>okrhost doctor</c>'s check: proves every enabled source on its real path (plugin, settings, token,
/// base URL, pipeline) by probing its collection, all at once.
/// </summary>
internal sealed class SourceProofs(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger)
{
    public async Task<IReadOnlyList<SourceProof>> ProveAsync(IReadOnlyList<SourcePlan> enabled, CancellationToken cancellationToken)
    {
        // No ETag cache: a 304 would prove less, and a check should leave nothing behind.
        using var http = new SourceHttpFactory(preparation.Config.Http with { CacheDirectory = null }, logger, environment.Clock) { Probing = true };
        var runner = new SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
        var probes = await Task.WhenAll(enabled.Select(plan => plan.Runnable
            ? runner.ProbeAsync(plan, preparation.Period, loadOkrs: preparation.OkrProvider?.Id == plan.Id, cancellationToken)
            : Task.FromResult(new ProbeRun(plan, $"not configured: {string.Join("; ", plan.Missing)}", null, 0))));
        return probes.Select(probe => new SourceProof(
            probe.Plan.Id,
            probe.Error is null,
            Redact(probe.Error is null ? $"ok ({probe.Requests} request{(probe.Requests == 1 ? "" : "s")})" : $"{probe.Error}{Fix(probe)}", probe.Plan.Settings.Token))).ToArray();
    }

    /// <summary>
    /// The OKRs the provider serves, read once its probe proved ok: the probe shows the database answers,
    /// the rows themselves are judged as report and validate judge them. Null with no provider, or one whose probe failed.
    /// </summary>
    public async Task<OkrInput?> ReadProvidedOkrsAsync(IReadOnlyList<SourceProof> proofs, CancellationToken cancellationToken)
    {
        if (preparation.OkrProvider is not { } provider || !proofs.Any(p => p.SourceId == provider.Id && p.Ok))
        {
            return null;
        }

        using var reading = new SourceHttpFactory(preparation.Config.Http with { CacheDirectory = null }, logger, environment.Clock);
        var (okrs, _) = await ProvidedOkrs.LoadAsync(preparation, new SourceRunner(reading, logger, environment.Clock, new LogRunObserver(logger)), preparation.Period, cancellationToken);
        return okrs;
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

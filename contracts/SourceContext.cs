using Microsoft.Extensions.Logging;

namespace OkrHost.Contracts;

/// <summary>Everything a plugin gets from the host for one collection.</summary>
public sealed class CollectContext
{
    /// <summary>
    /// The window the facts must be complete for, half-open and in UTC, chosen by the host: it covers the
    /// report period, the previous period and every trend week. The host later computes any window inside
    /// it, so collect every record whose times can fall in it. What a fact needs from before the window
    /// is the plugin's concern: a deployment created a few days before it that succeeds inside it, the
    /// previous deployment that a lead time is measured from. Fetch that lookback too, and keep facts
    /// that lie wholly outside the window only where a computation inside it needs them.
    /// </summary>
    public required ReportPeriod FetchWindow { get; init; }

    /// <summary>
    /// The source's settings, already bound by the host to the plugin's settings type
    /// (<see cref="SourceSettings.Get{T}"/>), with the token, <c>tokenEnv</c> and <c>baseUrl</c> resolved.
    /// </summary>
    public required SourceSettings Settings { get; init; }

    /// <summary>
    /// HTTP owned by the host: retries, rate-limit waits, conditional-request cache, request counting,
    /// logging and timeouts come with every client and handler it creates.
    /// </summary>
    public required ISourceHttp Http { get; init; }

    /// <summary>
    /// What this source's last stored run collected, when its fetch window overlaps this one and it was
    /// collected with the same settings; <c>null</c> on a first run, with <c>--no-history</c> or
    /// <c>--no-cache</c>, and in <c>okrhost collect</c>. A plugin may ignore it and collect cold. To
    /// collect incrementally, fetch only what can have changed since <see cref="FactSet.CollectedAt"/>
    /// (with a margin for the service's clock) plus whatever lies in <see cref="FetchWindow"/> but not in
    /// <see cref="FactSet.Window"/>, and still return the complete set for <see cref="FetchWindow"/>
    /// (<see cref="FactSet.Merge"/> helps): the numbers must equal a cold collection's.
    /// </summary>
    public FactSet? Known { get; init; }

    /// <summary>Logger for this source. Never log the token.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Progress shown live on a terminal and as log lines elsewhere.</summary>
    public required IProgress<SourceProgress> Progress { get; init; }

    /// <summary>
    /// The clock. Stamp <see cref="FactSet.CollectedAt"/> and point-in-time readings with
    /// <see cref="TimeProvider.GetUtcNow"/>, and wait with it (<c>Task.Delay(…, Clock)</c>) so tests can
    /// run on a fake clock.
    /// </summary>
    public required TimeProvider Clock { get; init; }
}

/// <summary>A step of a source's work, for the progress display.</summary>
/// <param name="Stage">What is being done: "deployments of acme/api".</param>
/// <param name="Completed">Units done so far, when known.</param>
/// <param name="Total">Units in all, when known.</param>
public sealed record SourceProgress(string Stage, int? Completed = null, int? Total = null);

/// <summary>
/// An expected failure of a source (bad token, unknown repository, malformed answer). The message is
/// shown as is in the console and in the report, so name the service, the endpoint and the problem.
/// </summary>
public class SourceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public SourceException(string message) : base(message) { }

    /// <summary>Creates the exception with the low-level cause (kept out of the report, logged with --verbose).</summary>
    public SourceException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>
    /// The HTTP status of the last answer when the host's pipeline gave up on a request after its retries
    /// (a 5xx); null for any other failure. A plugin may then ask differently (a smaller GraphQL page after
    /// a 502 or 504) instead of the same way again.
    /// </summary>
    public int? StatusCode { get; init; }

    /// <summary>True when the host's pipeline gave up because no attempt was answered within its timeout.</summary>
    public bool TimedOut { get; init; }
}

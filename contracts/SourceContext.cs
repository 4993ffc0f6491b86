using Microsoft.Extensions.Logging;

namespace OkrHost.Contracts;

/// <summary>Everything a plugin gets from the host for one collection.</summary>
public sealed class SourceContext
{
    /// <summary>The report period, half-open and in UTC.</summary>
    public required ReportPeriod Period { get; init; }

    /// <summary>The window of the same length immediately before <see cref="Period"/>.</summary>
    public ReportPeriod PreviousPeriod => Period.Previous;

    /// <summary>The source's settings and token.</summary>
    public required SourceSettings Settings { get; init; }

    /// <summary>
    /// HTTP owned by the host: retries, rate-limit waits, conditional-request cache, request counting,
    /// logging and timeouts come with every client and handler it creates.
    /// </summary>
    public required ISourceHttp Http { get; init; }

    /// <summary>Logger for this source. Never log the token.</summary>
    public required ILogger Logger { get; init; }

    /// <summary>Progress shown live on a terminal and as log lines elsewhere.</summary>
    public required IProgress<SourceProgress> Progress { get; init; }

    /// <summary>The clock; "now" metrics read <see cref="TimeProvider.GetUtcNow"/> from it.</summary>
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
}

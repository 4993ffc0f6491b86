using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace OkrHost.Sandbox;

/// <summary>One emulated service, mounted under <c>/{Id}/</c> on the sandbox's loopback port.</summary>
public interface IServiceEmulator
{
    /// <summary>Source id and path prefix: <c>github</c>, <c>linear</c>, <c>slack</c>, <c>grafana</c>, <c>notion</c>.</summary>
    string Id { get; }

    /// <summary>Points charged so far against a query budget (GitHub's GraphQL); 0 for services without one.</summary>
    long PointsSpent => 0;

    /// <summary>The token this emulator accepts (anything else is answered the way the real service answers a bad token).</summary>
    string Token { get; }

    /// <summary>Maps the service's endpoints; <paramref name="routes"/> is already under <c>/{Id}</c>.</summary>
    void Map(IEndpointRouteBuilder routes);

    /// <summary>
    /// The <c>sources.{Id}</c> object of a plugins.json that points the built-in plugin at this emulator
    /// and at the simulated organisation (repositories, teams, database ids…).
    /// </summary>
    JsonObject DemoSettings(Uri baseUrl);

    /// <summary>
    /// The fewest requests a perfect cold client needs to compute every metric of this source for every
    /// window of a report on <paramref name="period"/> (the host's fetch window, from
    /// <see cref="SandboxPeriod.FetchFrom"/>), from this emulator's data and paging rules.
    /// </summary>
    long MinimumRequests(SandboxPeriod period);
}

/// <summary>A report window as the sandbox sees it: <c>[From, To)</c> and the window before it.</summary>
public readonly record struct SandboxPeriod(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>
    /// Trend weeks a report computes unless told otherwise (the host's <c>HostConfig.DefaultTrendWeeks</c>,
    /// which the sandbox cannot reference).
    /// </summary>
    public const int TrendWeeks = 13;

    /// <summary>Start of the previous window of the same length.</summary>
    public DateTimeOffset PreviousFrom => From - (To - From);

    /// <summary>
    /// Start of the host's fetch window (PRODUCT.md section 8): the earliest of the previous window's start,
    /// the first trend week's and the oldest key-result rolling window's (the period's length ending at the
    /// first trend week's end).
    /// </summary>
    public DateTimeOffset FetchFrom => new[] { PreviousFrom, To.AddDays(-7 * TrendWeeks), To.AddDays(-7 * (TrendWeeks - 1)) - (To - From) }.Min();
}

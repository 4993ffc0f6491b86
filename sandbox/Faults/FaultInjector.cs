using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Http;

namespace OkrHost.Sandbox.Faults;

/// <summary>
/// Middleware that injects the <see cref="SandboxOptions.Faults"/> rules. Each request to a service gets
/// the next ordinal of that service; whether a rule fires for it is <see cref="FaultDice"/> of (seed,
/// service, ordinal, rule), so the same traffic meets the same faults on every run. The first rule that
/// fires wins; a rule fires at most <see cref="FaultSpec.Count"/> times.
/// </summary>
internal sealed class FaultInjector
{
    private readonly int _seed;
    private readonly FaultSpec[] _rules;
    private readonly int[] _fired;
    private readonly ConcurrentDictionary<string, StrongBox<long>> _ordinals = new(StringComparer.Ordinal);

    /// <summary>Creates the injector for <paramref name="options"/>.</summary>
    public FaultInjector(SandboxOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _seed = options.Seed;
        _rules = [.. options.Faults];
        _fired = new int[_rules.Length];
    }

    /// <summary>The middleware: answers with a fault, or passes the request on.</summary>
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var service = (context.Request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
        if (_rules.Length == 0 || !FaultSpec.Services.Contains(service))
        {
            await next(context);
            return;
        }

        var ordinal = Interlocked.Increment(ref _ordinals.GetOrAdd(service, _ => new StrongBox<long>()).Value);
        var gitHubGraphQL = service == "github" && context.Request.Path.Value!.EndsWith("/api/graphql", StringComparison.Ordinal);
        for (var index = 0; index < _rules.Length; index++)
        {
            var graphQLOnly = _rules[index].Kind is FaultKind.HeavyQuery or FaultKind.PartialData;
            if ((gitHubGraphQL || !graphQLOnly) && Fires(index, service, ordinal) && TryTakeFiring(index, out var firing))
            {
                await InjectAsync(context, next, _rules[index], service, ordinal, index, gitHubGraphQL, firing);
                return;
            }
        }

        await next(context);
    }

    private bool Fires(int index, string service, long ordinal) =>
        (_rules[index].Service is not { } only || string.Equals(only, service, StringComparison.OrdinalIgnoreCase))
        && FaultDice.Roll(_seed, service, ordinal, index) < _rules[index].Rate;

    /// <param name="firing">How many times the rule fired before this one.</param>
    private bool TryTakeFiring(int index, out int firing)
    {
        while (true)
        {
            firing = Volatile.Read(ref _fired[index]);
            if (firing >= _rules[index].Count)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _fired[index], firing + 1, firing) == firing)
            {
                return true;
            }
        }
    }

    private async Task InjectAsync(HttpContext context, RequestDelegate next, FaultSpec rule, string service, long ordinal, int index, bool gitHubGraphQL, int firing)
    {
        switch (rule.Kind)
        {
            case FaultKind.RateLimit when gitHubGraphQL:
                await FaultAnswers.GitHubGraphQLRateLimitAsync(context, firing);
                break;
            case FaultKind.RateLimit:
                await FaultAnswers.RateLimitAsync(context, service);
                break;
            case FaultKind.ServerError:
                var status = FaultDice.Roll(_seed, service, ordinal, index, purpose: 1) < 0.5
                    ? StatusCodes.Status502BadGateway
                    : gitHubGraphQL ? StatusCodes.Status504GatewayTimeout : StatusCodes.Status503ServiceUnavailable;
                await FaultAnswers.ServerErrorAsync(context, status);
                break;
            case FaultKind.Outage:
                await FaultAnswers.ServerErrorAsync(context, StatusCodes.Status503ServiceUnavailable);
                break;
            case FaultKind.Drop:
                context.Abort();
                break;
            case FaultKind.Slow:
                try
                {
                    await Task.Delay(rule.SlowDelay, context.RequestAborted);
                }
                catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
                {
                    // The client gave up; there is no one left to answer.
                    return;
                }

                await next(context);
                break;
            case FaultKind.Malformed:
                await FaultAnswers.MalformedAsync(context);
                break;
            case FaultKind.HeavyQuery or FaultKind.PartialData:
                context.Items[GitHub.GitHubGraphQLEndpoint.FaultItem] = rule.Kind;
                await next(context);
                break;
            case FaultKind.AuthFailure:
                await FaultAnswers.AuthFailureAsync(context, service);
                break;
            default:
                throw new InvalidOperationException($"unknown fault kind {rule.Kind}");
        }
    }
}

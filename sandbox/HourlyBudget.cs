using GraphQL.SystemTextJson;
using GraphQL.Transport;
using Microsoft.AspNetCore.Http;

namespace OkrHost.Sandbox;

/// <summary>
/// A rate limit's hourly window in wall-clock time: clients compare its reset with their own clock, not
/// with the sandbox's simulated "now".
/// </summary>
internal sealed class HourlyBudget
{
    private readonly Lock _gate = new();
    private int _used;
    private DateTimeOffset _resetAt = DateTimeOffset.MinValue;

    /// <summary>Spends <paramref name="amount"/> when it fits under <paramref name="limit"/>; the window's use and reset after.</summary>
    public (bool Spent, int Used, DateTimeOffset ResetAt) Spend(int amount, int limit)
    {
        lock (_gate)
        {
            var now = DateTimeOffset.UtcNow;
            if (now >= _resetAt)
            {
                _resetAt = now + TimeSpan.FromHours(1);
                _used = 0;
            }

            var spent = _used + amount <= limit;
            if (spent)
            {
                _used += amount;
            }

            return (spent, _used, _resetAt);
        }
    }
}

/// <summary>The body of a GraphQL POST, or null when it is not a GraphQL request's JSON.</summary>
internal static class GraphQLBody
{
    public static async Task<GraphQLRequest?> ReadAsync(HttpContext context, GraphQLSerializer serializer)
    {
        try
        {
            return await serializer.ReadAsync<GraphQLRequest>(context.Request.Body, context.RequestAborted);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}

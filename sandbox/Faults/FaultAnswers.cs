using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace OkrHost.Sandbox.Faults;

/// <summary>What each service really answers when it rate-limits, fails, or rejects a token.</summary>
internal static class FaultAnswers
{
    /// <summary>Cut off mid-document, as when a proxy drops the end of a body.</summary>
    public const string TruncatedJson = """{"data":{"items":[{"id":"1","title":"Deploy pipeline""";

    public static Task RateLimitAsync(HttpContext context, string service)
    {
        var response = context.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "1";
        if (service == "github")
        {
            // Primary-limit headers as GitHub sends them; the reset is real wall-clock time, because
            // clients compare it with their own clock, not with the sandbox's simulated "now".
            var reset = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds();
            response.Headers["x-ratelimit-limit"] = "5000";
            response.Headers["x-ratelimit-remaining"] = "0";
            response.Headers["x-ratelimit-used"] = "5000";
            response.Headers["x-ratelimit-reset"] = reset.ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-resource"] = "core";
        }

        return JsonAsync(response, service switch
        {
            "github" => """{"message":"API rate limit exceeded for user ID 1.","documentation_url":"https://docs.github.com/rest/overview/rate-limits-for-the-rest-api"}""",
            "linear" => """{"errors":[{"message":"Rate limit exceeded","extensions":{"code":"RATELIMITED","type":"ratelimited","userPresentableMessage":"Rate limit exceeded."}}]}""",
            "slack" => """{"ok":false,"error":"ratelimited"}""",
            "notion" => """{"object":"error","status":429,"code":"rate_limited","message":"You have been rate limited. Please try again in a few minutes."}""",
            _ => """{"message":"Too many requests"}""",
        });
    }

    /// <summary>
    /// GitHub's GraphQL limits in turn, by the rule's <paramref name="firing"/>: the primary limit (HTTP 200, a
    /// <c>RATE_LIMITED</c> error and <c>x-ratelimit-remaining: 0</c>), a secondary limit as 403, then as 429,
    /// both with <c>retry-after</c>.
    /// </summary>
    public static Task GitHubGraphQLRateLimitAsync(HttpContext context, int firing)
    {
        var response = context.Response;
        if (firing % 3 == 0)
        {
            response.StatusCode = StatusCodes.Status200OK;
            response.Headers["x-ratelimit-limit"] = "5000";
            response.Headers["x-ratelimit-remaining"] = "0";
            response.Headers["x-ratelimit-used"] = "5000";
            response.Headers["x-ratelimit-reset"] = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
            response.Headers["x-ratelimit-resource"] = "graphql";
            return JsonAsync(response, """{"errors":[{"type":"RATE_LIMITED","message":"API rate limit exceeded for user ID 1."}]}""");
        }

        response.StatusCode = firing % 3 == 1 ? StatusCodes.Status403Forbidden : StatusCodes.Status429TooManyRequests;
        response.Headers.RetryAfter = "1";
        return JsonAsync(response, """{"message":"You have exceeded a secondary rate limit. Please wait a few minutes before you try again.","documentation_url":"https://docs.github.com/graphql/overview/rate-limits-and-node-limits-for-the-graphql-api#secondary-rate-limits"}""");
    }

    public static Task ServerErrorAsync(HttpContext context, int status)
    {
        context.Response.StatusCode = status;
        return JsonAsync(context.Response, status == StatusCodes.Status502BadGateway ? """{"message":"Bad Gateway"}""" : status == StatusCodes.Status504GatewayTimeout ? """{"message":"We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists."}""" : """{"message":"Service Unavailable"}""");
    }

    public static Task MalformedAsync(HttpContext context)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        return JsonAsync(context.Response, TruncatedJson);
    }

    public static Task AuthFailureAsync(HttpContext context, string service)
    {
        var (status, body) = service switch
        {
            "github" => (401, """{"message":"Bad credentials","documentation_url":"https://docs.github.com/rest"}"""),
            "linear" => (400, """{"errors":[{"message":"Authentication required, not authenticated","extensions":{"code":"AUTHENTICATION_ERROR","type":"authentication error","userPresentableMessage":"You need to authenticate to access this operation."}}]}"""),
            "slack" => (200, """{"ok":false,"error":"invalid_auth"}"""),
            "notion" => (401, """{"object":"error","status":401,"code":"unauthorized","message":"API token is invalid."}"""),
            _ => (401, """{"message":"Unauthorized"}"""),
        };
        context.Response.StatusCode = status;
        return JsonAsync(context.Response, body);
    }

    private static Task JsonAsync(HttpResponse response, string body)
    {
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(body);
    }
}

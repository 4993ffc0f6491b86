using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Linear;

/// <summary>Linear's GraphQL API over the host's HTTP pipeline.</summary>
internal sealed class LinearClient(HttpClient http, Uri endpoint, string tokenEnv)
{
    private const string Service = "Linear";
    private const string Endpoint = "GraphQL issues query";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        // A field missing or null where the schema promises a value is a malformed answer, not a zero.
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// Personal API keys (always <c>lin_api_…</c>) go bare in <c>Authorization</c>; anything else is an
    /// OAuth access token and goes as <c>Bearer</c> (a value already starting "Bearer " is taken as is).
    /// </summary>
    public static AuthenticationHeaderValue Authorization(string token)
    {
        const string bearer = "Bearer ";
        if (token.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return new AuthenticationHeaderValue("Bearer", token[bearer.Length..].Trim());
        }

        return token.StartsWith("lin_api_", StringComparison.Ordinal)
            ? new AuthenticationHeaderValue(token)
            : new AuthenticationHeaderValue("Bearer", token);
    }

    /// <summary>
    /// Linear answers a rate limit with HTTP 400 (sometimes 429) and a GraphQL error coded <c>RATELIMITED</c>;
    /// the wait runs until <c>x-ratelimit-requests-reset</c> (epoch milliseconds) measured on the host's
    /// <paramref name="clock"/>, or none when absent.
    /// </summary>
    public static async ValueTask<TimeSpan?> DetectRateLimitAsync(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (response.StatusCode is not (HttpStatusCode.BadRequest or HttpStatusCode.TooManyRequests))
        {
            return null;
        }

        GraphQLResponse<JsonElement>? body;
        try
        {
            // ReadAsStringAsync reads the host's buffer; ReadFromJsonAsync would dispose the content's cached
            // stream and leave nothing for the plugin to read when this is not a rate limit.
            body = JsonSerializer.Deserialize<GraphQLResponse<JsonElement>>(await response.Content.ReadAsStringAsync(cancellationToken), Json);
        }
        catch (JsonException)
        {
            return null;
        }

        if (body?.Errors?.Any(error => error.Code == "RATELIMITED") != true)
        {
            return null;
        }

        if (response.Headers.TryGetValues("x-ratelimit-requests-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var resetMs))
        {
            var wait = DateTimeOffset.FromUnixTimeMilliseconds(resetMs) - clock.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return TimeSpan.Zero;
    }

    /// <summary>Runs <paramref name="query"/> once; any GraphQL error fails the source with the errors named.</summary>
    public async Task<T> QueryAsync<T>(string query, string operationName, IReadOnlyDictionary<string, object?> variables, CancellationToken cancellationToken)
        where T : class
    {
        using var content = JsonContent.Create(new GraphQLRequest(query, operationName, variables), options: Json);
        using var response = await http.PostAsync(endpoint, content, cancellationToken);
        var body = await ReadAsync<T>(response, cancellationToken);
        if (body.Errors is { Count: > 0 } errors)
        {
            throw new SourceException(Describe(response.StatusCode, errors, hasData: body.Data is not null));
        }

        if (!response.IsSuccessStatusCode)
        {
            throw new SourceException($"{Service} {Endpoint}: the API answered HTTP {(int)response.StatusCode} {response.ReasonPhrase} without GraphQL errors");
        }

        return body.Data ?? throw new SourceException($"{Service} {Endpoint}: the answer (HTTP {(int)response.StatusCode}) has neither data nor errors");
    }

    private static async Task<GraphQLResponse<T>> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (!response.IsSuccessStatusCode && mediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new SourceException($"{Service} {Endpoint}: the API answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return await response.ReadJsonAsync<GraphQLResponse<T>>(Service, Endpoint, Json, cancellationToken);
    }

    private string Describe(HttpStatusCode status, IReadOnlyList<GraphQLError> errors, bool hasData)
    {
        if (errors.Any(error => error.Code == "AUTHENTICATION_ERROR"))
        {
            return $"{Service} {Endpoint}: Linear rejected the API key (AUTHENTICATION_ERROR); check {tokenEnv}";
        }

        if (errors.Any(error => error.Code == "RATELIMITED"))
        {
            return $"{Service} {Endpoint}: rate limited (RATELIMITED) and the host's wait for the reset ran out; try again later";
        }

        var listed = string.Join("; ", errors.Take(5).Select(error => error.ToString()))
            + (errors.Count > 5 ? $"; and {errors.Count - 5} more" : "");
        return hasData
            ? $"{Service} {Endpoint}: partial answer (HTTP {(int)status}), the API returned data with errors: {listed}"
            : $"{Service} {Endpoint}: the API answered HTTP {(int)status} with errors: {listed}";
    }
}

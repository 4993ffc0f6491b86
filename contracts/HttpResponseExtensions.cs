using System.Text.Json;

namespace OkrHost.Contracts;

/// <summary>Reading services' answers with failures that name the service, the endpoint and the problem.</summary>
public static class HttpResponseExtensions
{
    /// <summary>
    /// Parses the body as JSON. Invalid JSON becomes a <see cref="SourceException"/> such as
    /// "Slack conversations.list: the answer is not valid JSON (…)".
    /// </summary>
    /// <param name="response">The answer.</param>
    /// <param name="service">Service name for the message: "Slack".</param>
    /// <param name="endpoint">Endpoint or operation for the message: "conversations.list".</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<JsonDocument> ReadJsonDocumentAsync(
        this HttpResponseMessage response,
        string service,
        string endpoint,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonDocument.ParseAsync(stream, default, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new SourceException($"{service} {endpoint}: the answer (HTTP {(int)response.StatusCode}) is not valid JSON: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Deserializes the body. Invalid JSON, or JSON of the wrong shape, becomes a
    /// <see cref="SourceException"/> naming the service, the endpoint and the JSON path.
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(
        this HttpResponseMessage response,
        string service,
        string endpoint,
        JsonSerializerOptions options,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        try
        {
            return await JsonSerializer.DeserializeAsync<T>(stream, options, cancellationToken)
                ?? throw new SourceException($"{service} {endpoint}: the answer (HTTP {(int)response.StatusCode}) is empty");
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "" : $" at {ex.Path}";
            throw new SourceException($"{service} {endpoint}: unexpected answer (HTTP {(int)response.StatusCode}){where}: {ex.Message}", ex);
        }
    }
}

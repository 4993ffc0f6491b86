using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Notion;

/// <summary>The one Notion endpoint the plugin needs: <c>POST /v1/databases/{id}/query</c>, every page of it.</summary>
internal sealed class NotionApi : IDisposable
{
    /// <summary>The API version whose shapes the plugin reads.</summary>
    public const string Version = "2022-06-28";

    /// <summary>Notion's largest page size.</summary>
    public const int PageSize = 100;

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        RespectRequiredConstructorParameters = true,
        RespectNullableAnnotations = true,
    };

    private readonly HttpClient _http;
    private readonly string _tokenEnv;

    public NotionApi(ISourceHttp http, SourceSettings source)
    {
        _tokenEnv = source.TokenEnv ?? NotionSource.DefaultTokenEnv;
        var baseUrl = (source.BaseUrl ?? new Uri(NotionSource.DefaultBaseUrl)).AbsoluteUri;
        var token = source.Token;
        _http = http.CreateClient(new SourceHttpOptions
        {
            BaseAddress = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/"),
            Authorization = token is null ? null : new AuthenticationHeaderValue("Bearer", token),
            Headers = new Dictionary<string, string> { ["Notion-Version"] = Version },
            // Notion's published average; the host paces, and waits out any 429 it still gets.
            MaxRequestsPerSecond = 3,
        });
    }

    /// <summary>
    /// Every page of <paramref name="databaseId"/> matching <paramref name="filter"/>, oldest first,
    /// following <c>next_cursor</c> at the largest page size.
    /// </summary>
    public async Task<IReadOnlyList<NotionPage>> QueryAsync(string databaseId, JsonObject? filter, IProgress<int> fetched, CancellationToken cancellationToken)
    {
        var endpoint = $"POST /v1/databases/{databaseId}/query";
        var pages = new List<NotionPage>();
        string? cursor = null;
        do
        {
            var body = new JsonObject
            {
                ["page_size"] = PageSize,
                ["sorts"] = new JsonArray(new JsonObject { ["timestamp"] = "created_time", ["direction"] = "ascending" }),
            };
            if (filter is not null)
            {
                body["filter"] = filter.DeepClone();
            }

            if (cursor is not null)
            {
                body["start_cursor"] = cursor;
            }

            using var content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json");
            using var response = await _http.PostAsync(new Uri($"v1/databases/{Uri.EscapeDataString(databaseId)}/query", UriKind.Relative), content, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                throw await FailureAsync(response, databaseId, endpoint, cancellationToken);
            }

            var list = await response.ReadJsonAsync<QueryAnswer>("Notion", endpoint, JsonOptions, cancellationToken);
            if (list.Object != "list")
            {
                throw new SourceException($"Notion {endpoint}: unexpected answer: object is '{list.Object}', expected 'list'");
            }

            pages.AddRange(list.Results.Where(p => p.Object == "page"));
            fetched.Report(pages.Count);
            cursor = !list.HasMore ? null
                : list.NextCursor ?? throw new SourceException($"Notion {endpoint}: unexpected answer: has_more is true but next_cursor is null");
        }
        while (cursor is not null);

        return pages;
    }

    /// <summary>An ISO 8601 instant as Notion's date filters take it.</summary>
    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    public void Dispose() => _http.Dispose();

    private async Task<SourceException> FailureAsync(HttpResponseMessage response, string databaseId, string endpoint, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var (code, message) = await ReadErrorAsync(response, cancellationToken);
        var said = code is null ? $"HTTP {status}" : $"HTTP {status} {code}: {message}";
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized =>
                new SourceException($"Notion {endpoint}: Notion rejected the token ({said}); check {_tokenEnv}"),
            HttpStatusCode.NotFound =>
                new SourceException($"Notion database {databaseId} was not found ({endpoint}, {said}): share the database with the integration"),
            HttpStatusCode.Forbidden =>
                new SourceException($"Notion {endpoint}: the integration may not read database {databaseId} ({said}): give it the 'Read content' capability"),
            HttpStatusCode.TooManyRequests =>
                new SourceException($"Notion {endpoint}: still rate limited after waiting ({said})"),
            _ => new SourceException($"Notion {endpoint}: Notion refused the request ({said})"),
        };
    }

    private static async Task<(string? Code, string? Message)> ReadErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            using var document = JsonDocument.Parse(text);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("object", out var kind) && kind.ValueEquals("error")
                && root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.String
                ? (code.GetString(), root.TryGetProperty("message", out var message) ? message.GetString() : null)
                : (null, null);
        }
        catch (JsonException)
        {
            // Not Notion's error object (a proxy's HTML page, say): the status alone has to do.
            return (null, null);
        }
    }

    private sealed record QueryAnswer(string Object, IReadOnlyList<NotionPage> Results, string? NextCursor, bool HasMore);
}

/// <summary>A page (database row) as the query returns it.</summary>
internal sealed record NotionPage(
    string Object,
    string Id,
    DateTimeOffset CreatedTime,
    DateTimeOffset LastEditedTime,
    IReadOnlyDictionary<string, JsonElement> Properties,
    string? Url = null,
    bool Archived = false,
    bool InTrash = false)
{
    /// <summary>Deleted pages: archived, or in the trash (a field newer API versions add).</summary>
    public bool IsDeleted => Archived || InTrash;

    /// <summary>The text of the page's title property, whatever it is called; empty when untitled.</summary>
    public string Title => Properties.Values.FirstOrDefault(p => NotionProperty.Type(p) == "title") is { ValueKind: JsonValueKind.Object } title
        ? NotionProperty.PlainText(title)
        : "";
}

using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Logging;
using OkrHost.Contracts;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// GitHub's GraphQL API over the host's HTTP pipeline (retries, rate-limit waits, token guard and counting
/// are the host's): several repositories a query, the points each query cost added up, GitHub's answers
/// turned into messages a person can act on.
/// </summary>
internal sealed class GitHubGraphQL : IDisposable
{
    /// <summary>Smallest page a query is cut down to after GitHub gave up on a bigger one (502/504).</summary>
    private const int SmallestPage = 25;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly string _tokenEnv;
    private readonly ILogger _logger;
    private int _pageSize = GitHubApi.PageSize;
    private long _points;
    private int _queries;

    public GitHubGraphQL(CollectContext context, Uri endpoint, string tokenEnv)
    {
        _endpoint = endpoint;
        _tokenEnv = tokenEnv;
        _logger = context.Logger;
        var token = context.Settings.Token ?? throw new SourceException($"GitHub: no token; set {tokenEnv}");
        _http = context.Http.CreateClient(new SourceHttpOptions
        {
            Authorization = new AuthenticationHeaderValue("bearer", token),
            ConditionalCache = false,
            // Well under GitHub's secondary limit on concurrent requests, shared by every batch.
            MaxConcurrentRequests = 4,
            RateLimitDetector = DetectRateLimitAsync,
        });
    }

    /// <summary>Points the queries so far cost, as GitHub reported them.</summary>
    public long Points => Interlocked.Read(ref _points);

    /// <summary>Queries answered so far.</summary>
    public int Queries => _queries;

    /// <summary>
    /// GitHub answers a spent primary limit with HTTP 200, a <c>RATE_LIMITED</c> error and
    /// <c>x-ratelimit-remaining: 0</c>: a rate limit whose wait the host reads from <c>x-ratelimit-reset</c>.
    /// Secondary limits (403/429 with <c>retry-after</c>) the host recognises itself.
    /// </summary>
    public static async ValueTask<TimeSpan?> DetectRateLimitAsync(HttpResponseMessage response, TimeProvider clock, CancellationToken cancellationToken)
    {
        if (!response.Headers.TryGetValues("x-ratelimit-remaining", out var remaining) || remaining.FirstOrDefault() != "0")
        {
            return null;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        return body.Contains("\"RATE_LIMITED\"", StringComparison.Ordinal) ? TimeSpan.Zero : null;
    }

    /// <summary>
    /// One query per batch of repositories, each repository's part of the answer read as <typeparamref name="T"/>
    /// (null where GitHub has nothing, e.g. an unknown commit). <paramref name="variables"/> gives a repository's
    /// own variables (suffixed with its index); <paramref name="shared"/> the query's, for a page size.
    /// </summary>
    public async Task<List<T?>> RepositoriesAsync<TItem, T>(
        string operation, Func<int, string> document, IReadOnlyList<TItem> items, Func<TItem, string> repositoryOf,
        Func<TItem, int, IEnumerable<KeyValuePair<string, object?>>> variables, Func<int, IEnumerable<KeyValuePair<string, object?>>> shared,
        CancellationToken cancellationToken)
        where T : class
    {
        var batches = items.Chunk(GitHubQueries.RepositoriesPerQuery).ToList();
        var answers = await Task.WhenAll(batches.Select(batch => BatchAsync<TItem, T>(operation, document, batch, repositoryOf, variables, shared, cancellationToken)));
        return [.. answers.SelectMany(a => a)];
    }

    private async Task<T?[]> BatchAsync<TItem, T>(
        string operation, Func<int, string> document, TItem[] batch, Func<TItem, string> repositoryOf,
        Func<TItem, int, IEnumerable<KeyValuePair<string, object?>>> variables, Func<int, IEnumerable<KeyValuePair<string, object?>>> shared,
        CancellationToken cancellationToken)
        where T : class
    {
        while (true)
        {
            var pageSize = Volatile.Read(ref _pageSize);
            var values = new Dictionary<string, object?>(shared(pageSize));
            for (var i = 0; i < batch.Length; i++)
            {
                var (owner, name) = DeploymentHistory.Split(repositoryOf(batch[i]));
                values[$"owner{i}"] = owner;
                values[$"name{i}"] = name;
                foreach (var (key, value) in variables(batch[i], i))
                {
                    values[key + i] = value;
                }
            }

            using var content = JsonContent.Create(new { query = document(batch.Length), operationName = operation, variables = values }, options: Json);
            HttpResponseMessage response;
            try
            {
                response = await _http.PostAsync(_endpoint, content, cancellationToken);
            }
            catch (SourceException ex) when (pageSize > SmallestPage && (ex.StatusCode is 502 or 504 || ex.TimedOut))
            {
                // GitHub answers 502 or 504 when a query runs too long; the host has retried it as it was, so
                // the next try asks for half as much. Any other failure (refused, rate limit) would only repeat.
                Interlocked.CompareExchange(ref _pageSize, pageSize / 2, pageSize);
                _logger.LogWarning("GitHub GraphQL {Operation}: {Problem}; asking again for pages of {PageSize}", operation, ex.Message, pageSize / 2);
                continue;
            }

            using (response)
            {
                var data = await ReadAsync(operation, response, batch.Select(repositoryOf).ToList(), cancellationToken);
                Interlocked.Increment(ref _queries);
                return [.. batch.Select((_, i) => data.TryGetProperty($"r{i}", out var part) && part.ValueKind == JsonValueKind.Object ? part.Deserialize<T>(Json) : null)];
            }
        }
    }

    private async Task<JsonElement> ReadAsync(string operation, HttpResponseMessage response, IReadOnlyList<string> repositories, CancellationToken cancellationToken)
    {
        var endpoint = $"GraphQL {operation} query";
        if (response.StatusCode == HttpStatusCode.Unauthorized)
        {
            throw new SourceException($"GitHub {endpoint}: the token was rejected (HTTP 401 Bad credentials); check {_tokenEnv}");
        }

        var where = $"requests go to {_endpoint} (for GitHub Enterprise, baseUrl is the server's address and /api/graphql is added; graphqlUrl sets it)";
        if (response.Content.Headers.ContentType?.MediaType?.Contains("json", StringComparison.OrdinalIgnoreCase) != true)
        {
            throw new SourceException($"GitHub {endpoint}: the answer (HTTP {(int)response.StatusCode}) is not GitHub JSON; {where}");
        }

        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new SourceException($"GitHub {endpoint}: there is no GraphQL API here (HTTP 404); {where}");
        }

        var body = await response.ReadJsonAsync<Answer>("GitHub", endpoint, Json, cancellationToken);
        if (body.Errors is { Count: > 0 } errors)
        {
            throw new SourceException($"GitHub {endpoint}: {Describe(errors, repositories, body.Data is { ValueKind: JsonValueKind.Object })}");
        }

        if (!response.IsSuccessStatusCode || body.Data is not { ValueKind: JsonValueKind.Object } data)
        {
            throw new SourceException($"GitHub {endpoint}: unexpected answer (HTTP {(int)response.StatusCode}) without data");
        }

        if (data.TryGetProperty("rateLimit", out var rateLimit) && rateLimit.TryGetProperty("cost", out var cost) && cost.TryGetInt64(out var points))
        {
            Interlocked.Add(ref _points, points);
        }

        return data;
    }

    private string Describe(IReadOnlyList<Error> errors, IReadOnlyList<string> repositories, bool hasData)
    {
        if (errors.Any(e => e.Type == "RATE_LIMITED"))
        {
            return "the GraphQL rate limit is spent (RATE_LIMITED) and the wait for its reset ran out; run again later";
        }

        string? RepositoryOf(Error error) => error.Path is [{ ValueKind: JsonValueKind.String } first, ..] && first.GetString() is ['r', .. var index]
            && int.TryParse(index, out var i) && i < repositories.Count
            ? repositories[i]
            : null;

        string Where(Error error) => (RepositoryOf(error), string.Join('.', error.Path ?? [])) switch
        {
            ({ } repository, var path) => $"{repository} ({path})",
            (null, var path) => path,
        };

        var error = errors[0];
        var where = Where(error);
        return error.Type switch
        {
            "NOT_FOUND" when error.Path is { Count: 1 } && RepositoryOf(error) is { } missing =>
                $"repository {missing} was not found (NOT_FOUND: {error.Message}); check 'repositories' and that the token in {_tokenEnv} can read it",
            "FORBIDDEN" =>
                $"access to {where} was refused (FORBIDDEN: {error.Message}); the token in {_tokenEnv} needs read access to its deployments and contents",
            "MAX_NODE_LIMIT_EXCEEDED" => $"the query asks for too many nodes ({error.Message})",
            _ => (hasData ? "the answer has errors beside its data" : "the query failed")
                + string.Concat(errors.Take(3).Select(e => $"; {(Where(e) is { Length: > 0 } at ? at + ": " : "")}{e.Message}{(e.Type is null ? "" : $" ({e.Type})")}"))
                + (errors.Count > 3 ? $"; and {errors.Count - 3} more" : ""),
        };
    }

    public void Dispose() => _http.Dispose();

    private sealed record Answer(JsonElement? Data = null, IReadOnlyList<Error>? Errors = null);

    private sealed record Error(string? Message = null, string? Type = null, [property: JsonPropertyName("path")] IReadOnlyList<JsonElement>? Path = null);
}

/// <summary>GitHub's Relay page info.</summary>
internal sealed record PageInfo(bool HasNextPage, string? EndCursor = null);

/// <summary>A connection page of <typeparamref name="T"/>.</summary>
internal sealed record Page<T>(PageInfo PageInfo, IReadOnlyList<T> Nodes, int TotalCount = 0);

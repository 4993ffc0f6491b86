using Octokit;
using Octokit.Internal;
using OkrHost.Contracts;

namespace OkrHost.Plugins.GitHub;

/// <summary>
/// Octokit over the host's HTTP pipeline (retries, rate-limit waits, ETag cache and counting are the
/// host's), with GitHub's failures turned into messages a person can act on.
/// </summary>
internal sealed class GitHubApi : IDisposable
{
    /// <summary>Largest page GitHub serves.</summary>
    public const int PageSize = 100;

    private readonly HttpClientAdapter _adapter;
    private readonly string _tokenEnv;
    private readonly Uri _root;

    public GitHubApi(CollectContext context, Uri root, string tokenEnv)
    {
        _root = root;
        _tokenEnv = tokenEnv;
        var token = context.Settings.Token ?? throw new SourceException($"GitHub: no token; set {tokenEnv}");
        var options = new SourceHttpOptions
        {
            Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token),
            Headers = new Dictionary<string, string> { ["X-GitHub-Api-Version"] = "2022-11-28" },
            // Well under GitHub's secondary limit of 100 concurrent requests, shared by every repository.
            MaxConcurrentRequests = 8,
        };
        _adapter = new HttpClientAdapter(() => context.Http.CreateHandler(options));
        var connection = new Connection(
            new ProductHeaderValue("okrhost"),
            root,
            new InMemoryCredentialStore(new Credentials(token, AuthenticationType.Bearer)),
            _adapter,
            new SimpleJsonSerializer());
        Client = new GitHubClient(connection);
    }

    public GitHubClient Client { get; }

    /// <summary>One page of a list endpoint and the Link header's next page.</summary>
    public async Task<(IReadOnlyList<T> Items, Uri? Next)> PageAsync<T>(
        Uri uri, IDictionary<string, string>? parameters, string endpoint, string repository, CancellationToken cancellationToken)
    {
        var response = await CallAsync(() => Client.Connection.Get<List<T>>(uri, parameters), endpoint, repository, cancellationToken);
        if (response.Body is null)
        {
            throw NotJson(endpoint, response.HttpResponse.ContentType);
        }

        var next = response.HttpResponse.ApiInfo?.Links is { } links && links.TryGetValue("next", out var link) ? link : null;
        return (response.Body, next);
    }

    /// <summary>Every page of a list endpoint.</summary>
    public async Task<List<T>> AllPagesAsync<T>(Uri uri, string endpoint, string repository, CancellationToken cancellationToken)
    {
        var all = new List<T>();
        Uri? next = uri;
        IDictionary<string, string>? parameters = new Dictionary<string, string> { ["per_page"] = PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        while (next is not null)
        {
            var (items, following) = await PageAsync<T>(next, parameters, endpoint, repository, cancellationToken);
            all.AddRange(items);
            (next, parameters) = (following, null);
        }

        return all;
    }

    /// <summary>
    /// Runs one Octokit call. Octokit takes no cancellation token: the host's handler is bound to the
    /// source's cancellation, and the wait is abandoned here when the run is cancelled.
    /// </summary>
    public async Task<T> CallAsync<T>(Func<Task<T>> call, string endpoint, string repository, CancellationToken cancellationToken, string? notFound = null)
    {
        try
        {
            var result = await call().WaitAsync(cancellationToken);
            return result ?? throw NotJson(endpoint, null);
        }
        catch (AuthorizationException)
        {
            throw new SourceException($"GitHub {endpoint}: the token was rejected (HTTP 401 Bad credentials); check {_tokenEnv}");
        }
        catch (RateLimitExceededException ex)
        {
            throw new SourceException($"GitHub {endpoint}: the API rate limit is spent until {ex.Reset.UtcDateTime:yyyy-MM-dd HH:mm} UTC (HTTP 403)");
        }
        catch (SecondaryRateLimitExceededException)
        {
            throw new SourceException($"GitHub {endpoint}: GitHub's secondary rate limit refused the request (HTTP 403); run again later");
        }
        catch (ForbiddenException ex)
        {
            throw new SourceException(
                $"GitHub {endpoint}: access to {repository} was refused (HTTP 403: {ex.Message}); the token in {_tokenEnv} needs read access to its deployments and Actions");
        }
        catch (NotFoundException)
        {
            throw new SourceException(
                $"GitHub {endpoint}: {notFound ?? $"repository {repository} was not found (HTTP 404); check 'repositories' and that the token in {_tokenEnv} can read it"}{EnterpriseHint}");
        }
        catch (ApiException ex)
        {
            throw new SourceException($"GitHub {endpoint}: unexpected answer (HTTP {(int)ex.StatusCode}): {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is not SourceException and not OperationCanceledException and not HttpRequestException)
        {
            throw new SourceException($"GitHub {endpoint}: the answer could not be read ({ex.GetType().Name}: {ex.Message}){EnterpriseHint}", ex);
        }
    }

    public void Dispose() => _adapter.Dispose();

    private string EnterpriseHint => _root == GitHubSettings.PublicApi
        ? ""
        : $" (requests go to {_root}; for GitHub Enterprise, baseUrl is the server's address such as https://github.example.com/ and /api/v3/ is added)";

    private SourceException NotJson(string endpoint, string? contentType) =>
        new($"GitHub {endpoint}: the answer is not GitHub JSON{(contentType is null ? "" : $" (content type {contentType})")}{EnterpriseHint}");
}

using Microsoft.Extensions.AI;
using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.Http;
using OllamaSharp;

namespace OkrHost.Insights;

/// <summary>
/// A chat client for <c>insights.llm</c> whose requests go through the host's HTTP pipeline as the
/// pseudo-source <c>llm</c>: retries, rate-limit waits, timeouts, the token guard and request counting
/// are the ones every source gets.
/// </summary>
public sealed class LanguageModel : IDisposable
{
    public const string SourceId = "llm";

    private readonly HttpClient _http;

    private LanguageModel(LlmSettings settings, IChatClient client, SourceHttp sourceHttp, HttpClient http)
    {
        Settings = settings;
        Client = client;
        SourceHttp = sourceHttp;
        _http = http;
    }

    public LlmSettings Settings { get; }

    public IChatClient Client { get; }

    /// <summary>Counts the requests sent to the model.</summary>
    public SourceHttp SourceHttp { get; }

    /// <summary>The configured model, or the reason it cannot be used (a missing API key).</summary>
    public static LanguageModel Create(LlmSettings settings, string? apiKey, SourceHttpFactory httpFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(httpFactory);
        if (settings.ApiKeyEnv is { } keyEnv && string.IsNullOrEmpty(apiKey))
        {
            throw new LanguageModelUnavailableException(
                $"environment variable {keyEnv} (insights.llm.apiKeyEnv) is not set: the {settings.DisplayName} needs an API key");
        }

        var sourceHttp = httpFactory.ForSource(SourceId, cancellationToken);
        var http = sourceHttp.CreateClient(new SourceHttpOptions
        {
            BaseAddress = settings.BaseUrl,
            Authorization = string.IsNullOrEmpty(apiKey) ? null : Authorization.Bearer(apiKey),
            ConditionalCache = false,
            MaxConcurrentRequests = 2,
        });
        IChatClient client = settings.Provider switch
        {
            LlmProvider.OpenAI => new OpenAICompatibleChatClient(http, settings.Model),
            _ => new OllamaApiClient(http, settings.Model),
        };
        return new LanguageModel(settings, client, sourceHttp, http);
    }

    /// <summary>The model from plugins.json, its key read from the environment or .env.</summary>
    public static LanguageModel Create(HostConfig config, Func<string, string?> variable, SourceHttpFactory httpFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        var settings = config.Llm ?? throw new LanguageModelUnavailableException("no language model is configured (insights.llm)");
        return Create(settings, settings.ApiKeyEnv is { } env ? config.Variable(variable, env) : null, httpFactory, cancellationToken);
    }

    /// <summary>
    /// One line for the report or the terminal. The service's own error text is left out: it may echo
    /// the request, and the pipeline's messages already name the host, path and status. A rejected key
    /// (401 or 403) names the variable <paramref name="apiKeyEnv"/> to check, as a source names its token's.
    /// </summary>
    public static string Describe(Exception exception, string? apiKeyEnv = null) => exception switch
    {
        LanguageModelUnavailableException or SourceException => exception.Message,
        HttpRequestException http => http.StatusCode is { } status ? Status((int)status, apiKeyEnv) : "the model could not be reached",
        TaskCanceledException or TimeoutException => "the model did not answer in time",
        _ => $"the model's answer could not be used ({exception.GetType().Name})",
    };

    private static string Status(int status, string? apiKeyEnv) => status is 401 or 403
        ? $"the model answered HTTP {status}: it rejected the API key; check the variable {apiKeyEnv ?? "that holds it"} (insights.llm.apiKeyEnv)"
        : $"the model answered HTTP {status}";

    public void Dispose()
    {
        Client.Dispose();
        _http.Dispose();
    }
}

/// <summary>The configured model cannot be used: no configuration or no API key.</summary>
public sealed class LanguageModelUnavailableException(string message) : Exception(message);

using OkrHost.Contracts;
using System.Text.Json;

namespace OkrHost.Configuration;

public enum LlmProvider
{
    /// <summary>OpenAI, Azure OpenAI, and local servers speaking the OpenAI chat-completions API.</summary>
    OpenAI,
    /// <summary>Ollama's own API.</summary>
    Ollama,
}

/// <summary><c>insights.llm</c>: the model that writes the narrative and answers <c>okrhost ask</c>.</summary>
/// <param name="BaseUrl">For OpenAI-compatible servers, up to and including <c>/v1</c>.</param>
/// <param name="ApiKeyEnv">The variable holding the API key; null when the server needs none (Ollama).</param>
public sealed record LlmSettings(LlmProvider Provider, Uri BaseUrl, string Model, string? ApiKeyEnv)
{
    public const string DefaultOpenAIKeyEnv = "OPENAI_API_KEY";
    public static readonly Uri DefaultOpenAIBaseUrl = new("https://api.openai.com/v1/");
    public static readonly Uri DefaultOllamaBaseUrl = new("http://127.0.0.1:11434/");

    /// <summary>How the report names the model: "openai model gpt-4o-mini".</summary>
    public string DisplayName => $"{(Provider == LlmProvider.OpenAI ? "openai" : "ollama")} model {Model}";
}

/// <summary>What an alert is raised for (<c>alerts.on</c>).</summary>
public enum AlertTrigger
{
    /// <summary>A key result's status got worse since the last stored run.</summary>
    StatusWorse,
    /// <summary>A key result is off-track.</summary>
    OffTrack,
    /// <summary>A metric's newest week is outside its trend's range, in the bad direction.</summary>
    Anomaly,
    /// <summary>A source failed.</summary>
    SourceFailed,
}

/// <summary><c>alerts</c>: where one message with the new alert-worthy insights goes after a report.</summary>
public sealed record AlertSettings(SlackAlertTarget? Slack, WebhookAlertTarget? Webhook, IReadOnlySet<AlertTrigger> On);

/// <param name="BaseUrl">Slack's Web API base, from <c>sources.slack.baseUrl</c> (the sandbox in the demo).</param>
public sealed record SlackAlertTarget(string Channel, string TokenEnv, Uri BaseUrl);

/// <param name="UrlEnv">The variable holding the webhook URL: the URL itself is a secret.</param>
public sealed record WebhookAlertTarget(string UrlEnv);

/// <summary><c>$.insights</c> as written.</summary>
public sealed class InsightsConfig
{
    public LlmConfig? Llm { get; set; }
}

/// <summary><c>$.insights.llm</c> as written.</summary>
public sealed class LlmConfig
{
    /// <summary><c>openai</c> or <c>ollama</c>.</summary>
    public string? Provider { get; set; }

    public string? BaseUrl { get; set; }

    public string? Model { get; set; }

    public string? ApiKeyEnv { get; set; }
}

/// <summary><c>$.alerts</c> as written.</summary>
public sealed class AlertsConfig
{
    public SlackAlertConfig? Slack { get; set; }

    public WebhookAlertConfig? Webhook { get; set; }

    /// <summary>The triggers (<c>status-worse</c>, …); any JSON, so a wrong one is named in the trigger's own words.</summary>
    public JsonElement? On { get; set; }
}

/// <summary><c>$.alerts.slack</c> as written.</summary>
public sealed class SlackAlertConfig
{
    public string? Channel { get; set; }

    public string? TokenEnv { get; set; }
}

/// <summary><c>$.alerts.webhook</c> as written.</summary>
public sealed class WebhookAlertConfig
{
    public string? UrlEnv { get; set; }
}

/// <summary>Checks <c>insights</c> and <c>alerts</c> of plugins.json, each problem with its JSON path.</summary>
internal static class InsightsSettingsReader
{
    public static readonly IReadOnlyDictionary<string, AlertTrigger> Triggers = new Dictionary<string, AlertTrigger>(StringComparer.Ordinal)
    {
        ["status-worse"] = AlertTrigger.StatusWorse,
        ["off-track"] = AlertTrigger.OffTrack,
        ["anomaly"] = AlertTrigger.Anomaly,
        ["source-failed"] = AlertTrigger.SourceFailed,
    };

    /// <summary>The model <c>$.insights.llm</c> names; null when there is none or it is unusable (then with problems).</summary>
    public static LlmSettings? Llm(InsightsConfig? insights, ICollection<Problem> problems)
    {
        if (insights?.Llm is not { } llm)
        {
            return null;
        }

        LlmProvider? provider = llm.Provider switch
        {
            "openai" => LlmProvider.OpenAI,
            "ollama" => LlmProvider.Ollama,
            _ => null,
        };
        if (provider is null)
        {
            problems.Add(Problem.Error("$.insights.llm.provider", llm.Provider is null ? "is required: \"openai\" or \"ollama\"" : $"'{llm.Provider}' must be \"openai\" or \"ollama\""));
        }

        if (string.IsNullOrWhiteSpace(llm.Model))
        {
            problems.Add(Problem.Error("$.insights.llm.model", "is required: the model name, e.g. \"gpt-4o-mini\" or \"llama3.2\""));
        }

        Uri? baseUrl = provider == LlmProvider.Ollama ? LlmSettings.DefaultOllamaBaseUrl : LlmSettings.DefaultOpenAIBaseUrl;
        if (llm.BaseUrl is not null)
        {
            baseUrl = HttpUrl(llm.BaseUrl, "$.insights.llm.baseUrl", carriesSecret: provider == LlmProvider.OpenAI || llm.ApiKeyEnv is not null, problems);
        }

        if (provider is not { } p || string.IsNullOrWhiteSpace(llm.Model) || baseUrl is null)
        {
            return null;
        }

        return new LlmSettings(p, baseUrl, llm.Model, llm.ApiKeyEnv ?? (p == LlmProvider.OpenAI ? LlmSettings.DefaultOpenAIKeyEnv : null));
    }

    /// <summary>Where <c>$.alerts</c> sends alerts; null when there are none or they are unusable (then with problems).</summary>
    /// <param name="alerts">The section.</param>
    /// <param name="sources">The sources' settings: Slack alerts use the Slack source's token and service unless told otherwise.</param>
    /// <param name="problems">Where problems go.</param>
    public static AlertSettings? Alerts(AlertsConfig? alerts, IReadOnlyDictionary<string, JsonElement> sources, ICollection<Problem> problems)
    {
        if (alerts is null)
        {
            return null;
        }

        var triggers = new HashSet<AlertTrigger>(Triggers.Values);
        if (alerts.On is { ValueKind: not JsonValueKind.Null } on)
        {
            if (on.ValueKind != JsonValueKind.Array)
            {
                problems.Add(Problem.Error("$.alerts.on", $"must be an array of: {string.Join(", ", Triggers.Keys)}"));
            }
            else
            {
                triggers.Clear();
                var index = 0;
                foreach (var item in on.EnumerateArray())
                {
                    var path = $"$.alerts.on[{index++}]";
                    if (item.ValueKind == JsonValueKind.String && Triggers.TryGetValue(item.GetString()!, out var trigger))
                    {
                        triggers.Add(trigger);
                    }
                    else
                    {
                        problems.Add(Problem.Error(path, $"'{item}' is not one of: {string.Join(", ", Triggers.Keys)}"));
                    }
                }
            }
        }

        if ((alerts.Slack is null) == (alerts.Webhook is null))
        {
            problems.Add(Problem.Error("$.alerts", "needs exactly one of \"slack\": { \"channel\" } or \"webhook\": { \"urlEnv\" }"));
            return null;
        }

        if (alerts.Slack is { } slack)
        {
            if (string.IsNullOrWhiteSpace(slack.Channel))
            {
                problems.Add(Problem.Error("$.alerts.slack.channel", "is required: the channel to post to, e.g. \"#eng-okrs\" or a channel id"));
                return null;
            }

            // The alert goes through the Slack source's service and token unless told otherwise.
            var source = sources.TryGetValue("slack", out var slackSource) ? slackSource : default;
            var tokenEnv = slack.TokenEnv
                ?? (source.ValueKind == JsonValueKind.Object && source.TryGetProperty("tokenEnv", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? "SLACK_BOT_TOKEN";
            var baseUrl = source.ValueKind == JsonValueKind.Object && source.TryGetProperty("baseUrl", out var b) && b.ValueKind == JsonValueKind.String
                && Uri.TryCreate(b.GetString(), UriKind.Absolute, out var parsed) ? parsed : new Uri("https://slack.com/api/");
            return new AlertSettings(new SlackAlertTarget(slack.Channel, tokenEnv!, baseUrl), null, triggers);
        }

        if (string.IsNullOrWhiteSpace(alerts.Webhook!.UrlEnv))
        {
            problems.Add(Problem.Error("$.alerts.webhook.urlEnv", "is required: the environment variable holding the webhook URL (the URL is a secret)"));
            return null;
        }

        return new AlertSettings(null, new WebhookAlertTarget(alerts.Webhook.UrlEnv), triggers);
    }

    /// <summary>Problems only the environment reveals: a missing API key, token or webhook URL.</summary>
    public static IEnumerable<Problem> CheckVariables(HostConfig config, Func<string, string?> variable)
    {
        if (config.Llm is { ApiKeyEnv: { } keyEnv } llm && string.IsNullOrEmpty(config.Variable(variable, keyEnv)))
        {
            yield return Problem.Warning(config.File, "$.insights.llm.apiKeyEnv",
                $"environment variable {keyEnv} is not set: the {llm.DisplayName} needs an API key there (or in .env); until then the report has no narrative and ask cannot run");
        }

        if (config.Alerts?.Slack is { } slack && string.IsNullOrEmpty(config.Variable(variable, slack.TokenEnv)))
        {
            yield return Problem.Warning(config.File, "$.alerts.slack.tokenEnv", $"environment variable {slack.TokenEnv} is not set: alerts cannot be posted to Slack");
        }

        if (config.Alerts?.Webhook is { } webhook && string.IsNullOrEmpty(config.Variable(variable, webhook.UrlEnv)))
        {
            yield return Problem.Warning(config.File, "$.alerts.webhook.urlEnv", $"environment variable {webhook.UrlEnv} is not set: alerts cannot be sent");
        }
    }

    /// <summary>An absolute http(s) URL; plain http only to loopback when it carries a secret.</summary>
    public static Uri? HttpUrl(string text, string path, bool carriesSecret, ICollection<Problem> problems)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            problems.Add(Problem.Error(path, $"'{text}' is not an absolute http(s) URL"));
            return null;
        }

        if (carriesSecret && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            problems.Add(Problem.Error(path, $"'{text}' is plain http: an API key is only sent over https (or http to a loopback address)"));
            return null;
        }

        // Relative paths (chat/completions) must append to the base, not replace its last segment.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}

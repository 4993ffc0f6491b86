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

/// <summary>Reads and checks <c>insights</c> and <c>alerts</c> of plugins.json, each problem with its JSON path.</summary>
internal static class InsightsSettingsReader
{
    public static readonly IReadOnlyDictionary<string, AlertTrigger> Triggers = new Dictionary<string, AlertTrigger>(StringComparer.Ordinal)
    {
        ["status-worse"] = AlertTrigger.StatusWorse,
        ["off-track"] = AlertTrigger.OffTrack,
        ["anomaly"] = AlertTrigger.Anomaly,
        ["source-failed"] = AlertTrigger.SourceFailed,
    };

    private static readonly string[] InsightsKeys = ["llm"];
    private static readonly string[] LlmKeys = ["provider", "baseUrl", "model", "apiKeyEnv"];
    private static readonly string[] AlertKeys = ["slack", "webhook", "on"];

    public static LlmSettings? ReadLlm(JsonReader reader, JsonElement root)
    {
        if (reader.Object(root, "insights", "$.insights") is not { } insights)
        {
            return null;
        }

        reader.WarnUnknownKeys(insights, "$.insights", InsightsKeys);
        if (reader.Object(insights, "llm", "$.insights.llm") is not { } llm)
        {
            return null;
        }

        reader.WarnUnknownKeys(llm, "$.insights.llm", LlmKeys);
        var providerText = reader.String(llm, "provider", "$.insights.llm.provider");
        LlmProvider? provider = providerText switch
        {
            "openai" => LlmProvider.OpenAI,
            "ollama" => LlmProvider.Ollama,
            _ => null,
        };
        if (provider is null)
        {
            reader.Error("$.insights.llm.provider", providerText is null ? "is required: \"openai\" or \"ollama\"" : $"'{providerText}' must be \"openai\" or \"ollama\"");
        }

        var model = reader.String(llm, "model", "$.insights.llm.model");
        if (string.IsNullOrWhiteSpace(model))
        {
            reader.Error("$.insights.llm.model", "is required: the model name, e.g. \"gpt-4o-mini\" or \"llama3.2\"");
        }

        var apiKeyEnv = reader.String(llm, "apiKeyEnv", "$.insights.llm.apiKeyEnv");
        var baseUrlText = reader.String(llm, "baseUrl", "$.insights.llm.baseUrl");
        Uri? baseUrl = provider == LlmProvider.Ollama ? LlmSettings.DefaultOllamaBaseUrl : LlmSettings.DefaultOpenAIBaseUrl;
        if (baseUrlText is not null)
        {
            baseUrl = HttpUrl(reader, baseUrlText, "$.insights.llm.baseUrl", carriesSecret: provider == LlmProvider.OpenAI || apiKeyEnv is not null);
        }

        if (provider is not { } p || string.IsNullOrWhiteSpace(model) || baseUrl is null)
        {
            return null;
        }

        return new LlmSettings(p, baseUrl, model, apiKeyEnv ?? (p == LlmProvider.OpenAI ? LlmSettings.DefaultOpenAIKeyEnv : null));
    }

    public static AlertSettings? ReadAlerts(JsonReader reader, JsonElement root, IReadOnlyDictionary<string, JsonElement> sources)
    {
        if (reader.Object(root, "alerts", "$.alerts") is not { } alerts)
        {
            return null;
        }

        reader.WarnUnknownKeys(alerts, "$.alerts", AlertKeys);
        var triggers = new HashSet<AlertTrigger>(Triggers.Values);
        if (alerts.TryGetProperty("on", out var on) && on.ValueKind != JsonValueKind.Null)
        {
            if (on.ValueKind != JsonValueKind.Array)
            {
                reader.Error("$.alerts.on", $"must be an array of: {string.Join(", ", Triggers.Keys)}");
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
                        reader.Error(path, $"'{item}' is not one of: {string.Join(", ", Triggers.Keys)}");
                    }
                }
            }
        }

        var slack = reader.Object(alerts, "slack", "$.alerts.slack");
        var webhook = reader.Object(alerts, "webhook", "$.alerts.webhook");
        if ((slack is null) == (webhook is null))
        {
            reader.Error("$.alerts", "needs exactly one of \"slack\": { \"channel\" } or \"webhook\": { \"urlEnv\" }");
            return null;
        }

        if (slack is { } s)
        {
            reader.WarnUnknownKeys(s, "$.alerts.slack", ["channel", "tokenEnv"]);
            var channel = reader.String(s, "channel", "$.alerts.slack.channel");
            if (string.IsNullOrWhiteSpace(channel))
            {
                reader.Error("$.alerts.slack.channel", "is required: the channel to post to, e.g. \"#eng-okrs\" or a channel id");
                return null;
            }

            // The alert goes through the Slack source's service and token unless told otherwise.
            var source = sources.TryGetValue("slack", out var slackSource) ? slackSource : default;
            var tokenEnv = reader.String(s, "tokenEnv", "$.alerts.slack.tokenEnv")
                ?? (source.ValueKind == JsonValueKind.Object && source.TryGetProperty("tokenEnv", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)
                ?? "SLACK_BOT_TOKEN";
            var baseUrl = source.ValueKind == JsonValueKind.Object && source.TryGetProperty("baseUrl", out var b) && b.ValueKind == JsonValueKind.String
                && Uri.TryCreate(b.GetString(), UriKind.Absolute, out var parsed) ? parsed : new Uri("https://slack.com/api/");
            return new AlertSettings(new SlackAlertTarget(channel, tokenEnv!, baseUrl), null, triggers);
        }

        reader.WarnUnknownKeys(webhook!.Value, "$.alerts.webhook", ["urlEnv"]);
        var urlEnv = reader.String(webhook.Value, "urlEnv", "$.alerts.webhook.urlEnv");
        if (string.IsNullOrWhiteSpace(urlEnv))
        {
            reader.Error("$.alerts.webhook.urlEnv", "is required: the environment variable holding the webhook URL (the URL is a secret)");
            return null;
        }

        return new AlertSettings(null, new WebhookAlertTarget(urlEnv), triggers);
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
    public static Uri? HttpUrl(JsonReader reader, string text, string path, bool carriesSecret)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            reader.Error(path, $"'{text}' is not an absolute http(s) URL");
            return null;
        }

        if (carriesSecret && uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            reader.Error(path, $"'{text}' is plain http: an API key is only sent over https (or http to a loopback address)");
            return null;
        }

        // Relative paths (chat/completions) must append to the base, not replace its last segment.
        return uri.AbsoluteUri.EndsWith('/') ? uri : new Uri(uri.AbsoluteUri + "/");
    }
}

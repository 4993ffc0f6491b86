using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Contracts;
using OkrHost.Http;
using OkrHost.Reporting;
using OkrHost.Configuration;

namespace OkrHost.Insights;

/// <summary>One alert-worthy finding, with the key it is deduplicated by.</summary>
public sealed record Alert(AlertKey Key, AlertTrigger Trigger, InsightSeverity Severity, string Text, string? Metric, string? KeyResult);

/// <summary>
/// Picks the alert-worthy findings of a report (<c>alerts.on</c>) and drops the ones the ledger says were
/// already sent in the same state. One alert per subject: a key result that got worse and is off-track
/// is one alert, the status change's.
/// </summary>
public static class AlertPicker
{
    public static IReadOnlyList<Alert> Candidates(ReportSnapshot snapshot, IReadOnlySet<AlertTrigger> on)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(on);
        var alerts = new List<Alert>();
        // A message leads with what needs action: the most severe first and, among equals, a source that
        // failed (its key results' numbers are missing) before the key results; the page's block ranks by kind instead.
        foreach (var insight in snapshot.Insights.OrderBy(i => i.Severity).ThenBy(i => i.Kind == InsightKind.SourceFailed ? 0 : 1))
        {
            switch (insight.Kind)
            {
                case InsightKind.SourceFailed when on.Contains(AlertTrigger.SourceFailed):
                    alerts.Add(new Alert(new AlertKey($"source:{Fact(insight, "source")}", "failed"), AlertTrigger.SourceFailed, insight.Severity, insight.Text, null, null));
                    break;
                case InsightKind.StatusChanged when on.Contains(AlertTrigger.StatusWorse) && insight.Facts.TryGetValue("worse", out var worse) && worse.ValueKind == JsonValueKind.True:
                    alerts.Add(new Alert(new AlertKey(KeyResultSubject(Fact(insight, "objective"), insight.KeyResult), Fact(insight, "to")), AlertTrigger.StatusWorse, insight.Severity, insight.Text, insight.Metric, insight.KeyResult));
                    break;
                case InsightKind.Anomaly when on.Contains(AlertTrigger.Anomaly) && insight.Severity != InsightSeverity.Info:
                    // A new anomalous week is news again; the same week is not.
                    alerts.Add(new Alert(new AlertKey($"anomaly:{insight.Metric}", Fact(insight, "weekTo")), AlertTrigger.Anomaly, insight.Severity, insight.Text, insight.Metric, null));
                    break;
            }
        }

        if (on.Contains(AlertTrigger.OffTrack))
        {
            foreach (var objective in snapshot.Okrs)
            {
                foreach (var kr in objective.KeyResults.Where(kr => kr.Status == OkrStatus.OffTrack))
                {
                    var subject = KeyResultSubject(objective.Title, kr.Title);
                    if (alerts.Any(a => a.Key.Subject == subject))
                    {
                        continue;
                    }

                    var row = Reporting.NumberFormat.Row(WhatChanged.UnitOf(snapshot, kr.Metric), [kr.Actual, kr.Target]);
                    var text = $"“{kr.Title}” is off-track: actual {row(kr.Actual, "none")} against target {row(kr.Target, "none")}"
                        + $" ({Rendering.ReportFormat.Percent(kr.Progress)} of the way).";
                    alerts.Add(new Alert(new AlertKey(subject, "off-track"), AlertTrigger.OffTrack, InsightSeverity.Critical, text, kr.Metric, kr.Title));
                }
            }
        }

        return alerts;
    }

    /// <summary>The candidates not already alerted in the same state.</summary>
    public static async Task<IReadOnlyList<Alert>> NewAsync(IReadOnlyList<Alert> candidates, IAlertLedger? ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        if (ledger is null || candidates.Count == 0)
        {
            return candidates;
        }

        var last = await ledger.LastAlertedAsync(candidates.Select(c => c.Key.Subject).Distinct().ToArray(), cancellationToken);
        return candidates.Where(c => last.GetValueOrDefault(c.Key.Subject) != c.Key.State).ToArray();
    }

    public static string KeyResultSubject(string? objective, string? keyResult) => $"kr:{objective}/{keyResult}";

    private static string Fact(Insight insight, string name) =>
        insight.Facts.TryGetValue(name, out var value) ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.ToString() : "";
}

/// <summary>The alert message, as Slack Block Kit or as the webhook's JSON.</summary>
public static class AlertMessage
{
    public static JsonObject Slack(string channel, ReportSnapshot snapshot, IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(alerts);
        var headline = $"{alerts.Count} new OKR alert{(alerts.Count == 1 ? "" : "s")}: {snapshot.Title}";
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = new JsonObject { ["type"] = "plain_text", ["text"] = Truncate(headline, 150) } },
            new JsonObject
            {
                ["type"] = "context",
                ["elements"] = new JsonArray(new JsonObject { ["type"] = "mrkdwn", ["text"] = Escape($"{Rendering.ReportFormat.Period(snapshot.Period)} · generated {Rendering.ReportFormat.Timestamp(snapshot.GeneratedAt)}") }),
            },
        };
        foreach (var alert in alerts)
        {
            blocks.Add(new JsonObject
            {
                ["type"] = "section",
                ["text"] = new JsonObject { ["type"] = "mrkdwn", ["text"] = Truncate($"{Marker(alert.Severity)} *{Label(alert.Trigger)}*  {Escape(alert.Text)}", 3000) },
            });
        }

        return new JsonObject
        {
            ["channel"] = channel,
            ["text"] = headline + "\n" + string.Join("\n", alerts.Select(a => $"- {Label(a.Trigger)}: {a.Text}")),
            ["blocks"] = blocks,
            ["unfurl_links"] = false,
        };
    }

    public static JsonObject Webhook(ReportSnapshot snapshot, IReadOnlyList<Alert> alerts)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(alerts);
        return new JsonObject
        {
            ["title"] = snapshot.Title,
            ["generatedAt"] = snapshot.GeneratedAt.ToString("O", CultureInfo.InvariantCulture),
            ["period"] = new JsonObject { ["from"] = snapshot.Period.From.ToString("O", CultureInfo.InvariantCulture), ["to"] = snapshot.Period.To.ToString("O", CultureInfo.InvariantCulture) },
            ["alerts"] = new JsonArray(alerts.Select(a => (JsonNode)new JsonObject
            {
                ["kind"] = Label(a.Trigger),
                ["severity"] = JsonSerializer.SerializeToNode(a.Severity, SnapshotJson.Options),
                ["subject"] = a.Key.Subject,
                ["state"] = a.Key.State,
                ["text"] = a.Text,
                ["metric"] = a.Metric,
                ["keyResult"] = a.KeyResult,
            }).ToArray()),
        };
    }

    public static string Label(AlertTrigger trigger) => InsightsSettingsReader.Triggers.First(t => t.Value == trigger).Key;

    private static string Marker(InsightSeverity severity) => severity switch
    {
        InsightSeverity.Critical => ":red_circle:",
        InsightSeverity.Warning => ":large_orange_circle:",
        _ => ":large_blue_circle:",
    };

    /// <summary>Slack's mrkdwn reserves &amp;, &lt; and &gt; (links, mentions); text from services must not form them.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private static string Truncate(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}

/// <summary>Sends the one alert message of a run, through the host's HTTP pipeline as the pseudo-source <c>alerts</c>.</summary>
public static class AlertSender
{
    public const string SourceId = "alerts";

    /// <summary>Where it went ("Slack #okr-alerts"); throws <see cref="SourceException"/> with a one-line reason when it could not be sent.</summary>
    public static async Task<string> SendAsync(AlertSettings settings, ReportSnapshot snapshot, IReadOnlyList<Alert> alerts,
        Func<string, string?> variable, SourceHttpFactory httpFactory, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(variable);
        ArgumentNullException.ThrowIfNull(httpFactory);
        var http = httpFactory.ForSource(SourceId, cancellationToken);
        if (settings.Slack is { } slack)
        {
            var token = variable(slack.TokenEnv);
            if (string.IsNullOrEmpty(token))
            {
                throw new SourceException($"environment variable {slack.TokenEnv} (alerts.slack.tokenEnv) is not set");
            }

            using var client = http.CreateClient(new SourceHttpOptions { BaseAddress = slack.BaseUrl, Authorization = Authorization.Bearer(token), ConditionalCache = false });
            using var response = await client.PostAsJsonAsync("chat.postMessage", AlertMessage.Slack(slack.Channel, snapshot, alerts), cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
            if (!response.IsSuccessStatusCode || body?["ok"]?.GetValue<bool>() != true)
            {
                throw new SourceException($"Slack chat.postMessage answered {(int)response.StatusCode} {body?["error"]?.ToString() ?? "without ok: true"}");
            }

            return $"Slack {slack.Channel}";
        }

        var webhook = settings.Webhook!;
        var url = variable(webhook.UrlEnv);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && !(uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback)))
        {
            throw new SourceException($"environment variable {webhook.UrlEnv} (alerts.webhook.urlEnv) must hold an https URL (http only to loopback)");
        }

        using var webhookClient = http.CreateClient(new SourceHttpOptions { ConditionalCache = false });
        using var answer = await webhookClient.PostAsJsonAsync(uri, AlertMessage.Webhook(snapshot, alerts), cancellationToken);
        if (!answer.IsSuccessStatusCode)
        {
            // The URL is a secret: only its host is named.
            throw new SourceException($"the webhook at {uri.Host} answered {(int)answer.StatusCode}");
        }

        return $"webhook ({webhook.UrlEnv})";
    }
}

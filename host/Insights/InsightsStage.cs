using OkrHost.Configuration;
using OkrHost.Contracts;
using OkrHost.History;
using OkrHost.Http;
using OkrHost.Reporting;

namespace OkrHost.Insights;

/// <summary>The report's insight steps: what changed and the narrative before writing, alerts and <c>--fail-on</c> after.</summary>
public static class InsightsStage
{
    /// <summary>The snapshot with its insights and, when a model is configured, the narrative or why there is none.</summary>
    public static async Task<ReportSnapshot> AddAsync(ReportSnapshot snapshot, HostConfig config, Func<string, string?> variable,
        SourceHttpFactory http, IRunHistory history, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(history);
        ReportSnapshot? previous;
        try
        {
            previous = await history.PreviousRunAsync(snapshot, cancellationToken);
        }
        catch (HistoryStoreException)
        {
            // The store was usable when the run began; if it fails now, saving the run reports it (exit 3).
            previous = null;
        }

        snapshot = LastRun.Attach(snapshot, previous);
        var insights = WhatChanged.Find(snapshot, previous);
        snapshot = snapshot with { Insights = insights };
        if (config.Llm is not { } llm)
        {
            return snapshot;
        }

        try
        {
            using var model = LanguageModel.Create(config, variable, http, cancellationToken);
            var narrative = await NarrativeWriter.WriteAsync(model.Client, llm.DisplayName, snapshot, insights, cancellationToken, llm.ApiKeyEnv);
            return snapshot with { Narrative = narrative with { Requests = model.SourceHttp.Requests } };
        }
        catch (LanguageModelUnavailableException ex)
        {
            return snapshot with { Narrative = new NarrativeReport(llm.DisplayName, null, "no narrative: " + ex.Message, 0) };
        }
    }

    /// <summary>
    /// Sends one message with the new alert-worthy findings and records them in the ledger. A failure
    /// to send is reported on <paramref name="error"/> and never changes the report's exit code.
    /// </summary>
    public static async Task AlertAsync(ReportSnapshot snapshot, HostConfig config, Func<string, string?> variable, SourceHttpFactory http,
        IAlertLedger? ledger, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (config.Alerts is not { } settings)
        {
            return;
        }

        var candidates = AlertPicker.Candidates(snapshot, settings.On);
        IReadOnlyList<Alert> fresh;
        try
        {
            fresh = await AlertPicker.NewAsync(candidates, ledger, cancellationToken);
        }
        catch (HistoryStoreException ex)
        {
            // Without the ledger every alert would look new: sending nothing beats repeating all of them.
            error.WriteLine($"warning: alerts not sent: the history store could not say which were already sent: {ex.Message}");
            return;
        }

        if (fresh.Count == 0)
        {
            output.WriteLine(candidates.Count == 0 ? "alerts: nothing alert-worthy" : $"alerts: none new ({candidates.Count} already alerted in the same state)");
            return;
        }

        try
        {
            var target = await AlertSender.SendAsync(settings, snapshot, fresh, name => config.Variable(variable, name), http, cancellationToken);
            output.WriteLine($"alerts: {fresh.Count} sent to {target}{(candidates.Count > fresh.Count ? $" ({candidates.Count - fresh.Count} already alerted)" : "")}");
        }
        catch (Exception ex) when (ex is SourceException or HttpRequestException or System.Text.Json.JsonException)
        {
            error.WriteLine($"warning: alerts not sent: {(ex is SourceException ? ex.Message : "the alert service could not be reached or answered malformed JSON")}");
            return;
        }

        if (ledger is null)
        {
            return;
        }

        try
        {
            await ledger.RecordAsync(fresh.Select(a => a.Key).ToArray(), snapshot.GeneratedAt, cancellationToken);
        }
        catch (HistoryStoreException ex)
        {
            error.WriteLine($"warning: alerts sent but not recorded in the history store, so the next run may send them again: {ex.Message}");
        }
    }

    /// <summary>Whether a key result is at <paramref name="threshold"/> or worse (<c>--fail-on</c>); no-data never counts.</summary>
    public static IReadOnlyList<KeyResultReport> AtOrWorse(ReportSnapshot snapshot, OkrStatus threshold)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Okrs.SelectMany(o => o.KeyResults)
            .Where(kr => kr.Status != OkrStatus.NoData && WhatChanged.Rank(kr.Status) >= WhatChanged.Rank(threshold))
            .ToArray();
    }
}

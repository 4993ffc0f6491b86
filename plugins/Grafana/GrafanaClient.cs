using System.Globalization;
using System.Net;
using System.Text.Json;
using OkrHost.Contracts;

namespace OkrHost.Plugins.Grafana;

/// <summary>
/// The Grafana HTTP API calls the report needs, over the host's client. Neither annotations nor Tempo
/// search have a cursor: a window that comes back with <c>limit</c> items may have been cut, so it is
/// split in two and both halves fetched again until no window is full.
/// </summary>
internal sealed class GrafanaClient(HttpClient http, GrafanaSettings settings, string tokenEnv)
{
    private const string AnnotationsEndpoint = "GET /api/annotations";
    private const string AlertsEndpoint = "GET /api/prometheus/grafana/api/v1/alerts";

    /// <summary>
    /// Every annotation overlapping <c>[fromMs, toMs]</c> (both inclusive, as Grafana compares) that
    /// Grafana matches to all of <paramref name="tags"/>, each once.
    /// </summary>
    public async Task<AnnotationSearch> AnnotationsAsync(IReadOnlyList<string> tags, long fromMs, long toMs, CancellationToken cancellationToken)
    {
        var tagQuery = string.Concat(tags.Select(tag => "&tags=" + Uri.EscapeDataString(tag)));
        var search = await SplitWhileFullAsync<Annotation>(
            fromMs,
            toMs,
            settings.AnnotationLimit,
            minimumWidth: 1,
            halvesShareMiddle: false,
            maxRequests: int.MaxValue,
            async (from, to) => await GetAsync<List<Annotation>>(
                string.Create(CultureInfo.InvariantCulture, $"api/annotations?from={from}&to={to}&limit={settings.AnnotationLimit}{tagQuery}"),
                AnnotationsEndpoint,
                cancellationToken));
        if (search.FullWindows.Count > 0)
        {
            throw new SourceException(
                $"Grafana {AnnotationsEndpoint}: {settings.AnnotationLimit} or more annotations tagged {string.Join(", ", tags)} " +
                $"at {DateTimeOffset.FromUnixTimeMilliseconds(search.FullWindows[0]):u}, which no smaller window can separate; raise annotationLimit");
        }

        var unique = search.Items.DistinctBy(a => a.Id).ToArray();
        return new AnnotationSearch(unique, search.Requests);
    }

    /// <summary>Grafana-managed alert instances now.</summary>
    public async Task<IReadOnlyList<AlertInstance>> AlertsAsync(CancellationToken cancellationToken)
    {
        var answer = await GetAsync<AlertsResponse>("api/prometheus/grafana/api/v1/alerts", AlertsEndpoint, cancellationToken);
        if (answer.Status != "success" || answer.Data is null)
        {
            throw new SourceException($"Grafana {AlertsEndpoint}: the answer's status is '{answer.Status}' with no alerts");
        }

        return answer.Data.Alerts;
    }

    /// <summary>
    /// Traces matching <paramref name="traceQl"/> that overlap <c>[startSeconds, endSeconds]</c>, each once,
    /// splitting full windows while <see cref="GrafanaSettings.MaxTraceSearches"/> allows.
    /// </summary>
    public async Task<TraceSearch> TracesAsync(string uid, string traceQl, long startSeconds, long endSeconds, CancellationToken cancellationToken)
    {
        var endpoint = $"GET /api/datasources/proxy/uid/{uid}/api/search";
        // Tempo's start and end are whole seconds while traces start anywhere within a second, so the
        // halves share their middle second (a trace starting in it overlaps both; duplicates go) and two
        // seconds is the narrowest window worth halving. The request budget keeps a very busy Tempo from
        // costing thousands of searches.
        var search = await SplitWhileFullAsync<TempoTrace>(
            startSeconds,
            endSeconds,
            settings.TraceLimit,
            minimumWidth: 2,
            halvesShareMiddle: true,
            settings.MaxTraceSearches,
            async (start, end) => (await GetAsync<TempoSearchResponse>(
                string.Create(CultureInfo.InvariantCulture,
                    $"api/datasources/proxy/uid/{Uri.EscapeDataString(uid)}/api/search?q={Uri.EscapeDataString(traceQl)}&start={start}&end={end}&limit={settings.TraceLimit}"),
                endpoint,
                cancellationToken,
                uid)).Traces ?? []);
        var unique = search.Items.DistinctBy(t => t.TraceId, StringComparer.Ordinal).ToArray();
        return new TraceSearch(unique, search.Requests, search.FullWindows.Count > 0);
    }

    /// <summary>
    /// Fetches <c>[from, to]</c>; every window that comes back with <paramref name="limit"/> items is halved
    /// and both halves fetched again, a level at a time so the outcome never depends on timing. A full
    /// window narrower than <paramref name="minimumWidth"/>, or past <paramref name="maxRequests"/>, is
    /// kept as it is and its start reported in <see cref="WindowedItems{T}.FullWindows"/>.
    /// </summary>
    private static async Task<WindowedItems<T>> SplitWhileFullAsync<T>(
        long from,
        long to,
        int limit,
        long minimumWidth,
        bool halvesShareMiddle,
        int maxRequests,
        Func<long, long, Task<List<T>>> fetch)
    {
        var items = new List<T>();
        var fullWindows = new List<long>();
        var requests = 0;
        var windows = new List<(long From, long To)> { (from, to) };
        while (windows.Count > 0)
        {
            requests += windows.Count;
            var pages = await Task.WhenAll(windows.Select(w => fetch(w.From, w.To)));
            var next = new List<(long From, long To)>();
            for (var i = 0; i < windows.Count; i++)
            {
                var (start, end) = windows[i];
                if (pages[i].Count < limit)
                {
                    items.AddRange(pages[i]);
                }
                else if (end - start >= minimumWidth && requests + next.Count + 2 <= maxRequests)
                {
                    var middle = start + (end - start) / 2;
                    next.Add((start, middle));
                    next.Add((halvesShareMiddle ? middle : middle + 1, end));
                }
                else
                {
                    items.AddRange(pages[i]);
                    fullWindows.Add(start);
                }
            }

            windows = next;
        }

        return new WindowedItems<T>(items, requests, fullWindows);
    }

    private async Task<T> GetAsync<T>(string path, string endpoint, CancellationToken cancellationToken, string? dataSourceUid = null)
    {
        using var response = await http.GetAsync(path, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw await FailureAsync(response, endpoint, dataSourceUid, cancellationToken);
        }

        return await response.ReadJsonAsync<T>("Grafana", endpoint, GrafanaJson.Options, cancellationToken);
    }

    private async Task<SourceException> FailureAsync(HttpResponseMessage response, string endpoint, string? dataSourceUid, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var reason = await ReasonAsync(response, cancellationToken);
        return response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new SourceException(
                $"Grafana {endpoint}: the token was rejected (HTTP 401 {reason}); check {tokenEnv} holds a service account token (glsa_…)"),
            HttpStatusCode.Forbidden => new SourceException(
                $"Grafana {endpoint}: the service account may not read this (HTTP 403 {reason}); give it the Viewer role"),
            HttpStatusCode.NotFound when dataSourceUid is not null => new SourceException(
                $"Grafana {endpoint}: there is no data source with uid '{dataSourceUid}' (HTTP 404 {reason}); check tempoDatasourceUid"),
            HttpStatusCode.NotFound => new SourceException(
                $"Grafana {endpoint}: not found (HTTP 404 {reason}); check that baseUrl points at Grafana"),
            HttpStatusCode.BadRequest when dataSourceUid is not null => new SourceException(
                $"Grafana {endpoint}: Tempo rejected the search (HTTP 400 {reason})"),
            _ => new SourceException($"Grafana {endpoint}: HTTP {status} {reason}"),
        };
    }

    /// <summary>Grafana's <c>message</c>, or the start of a plain-text body (Tempo answers errors in text).</summary>
    private static async Task<string> ReasonAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = (await response.Content.ReadAsStringAsync(cancellationToken)).Trim();
        try
        {
            using var json = JsonDocument.Parse(body);
            if (json.RootElement.ValueKind == JsonValueKind.Object
                && json.RootElement.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String)
            {
                return message.GetString()!;
            }
        }
        catch (JsonException)
        {
            // Not JSON: the text itself is the reason.
        }

        return body.Length == 0 ? response.ReasonPhrase ?? "" : body.Length > 200 ? body[..200] + "…" : body;
    }
}

/// <summary>The annotations one tag set found, and what that cost.</summary>
internal sealed record AnnotationSearch(IReadOnlyList<Annotation> Annotations, int Requests);

/// <summary>What <c>SplitWhileFullAsync</c> gathered: the items, the requests, the starts of windows left full.</summary>
internal sealed record WindowedItems<T>(List<T> Items, int Requests, IReadOnlyList<long> FullWindows);

/// <summary>The traces one TraceQL query found, what that cost, and whether a window stayed full.</summary>
internal sealed record TraceSearch(IReadOnlyList<TempoTrace> Traces, int Requests, bool Truncated);

using System.Text.Json;
using System.Text.RegularExpressions;
using OkrHost.Contracts;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

/// <summary>What a reader needs beside the numbers: the verdict, how many items a number stands on, units a person uses, links that work.</summary>
public partial class ReportReadabilityTests
{
    [Fact]
    public async Task The_headline_counts_objectives_on_track_key_results_off_track_and_sources_reporting()
    {
        var html = await Page(SampleSnapshots.Full());
        var empty = await Page(SampleSnapshots.WithoutOkrs());

        // On track / off track / at risk objectives; two off-track key results; Grafana failed, Notion not configured, PagerDuty disabled.
        Assert.Contains("<p class=\"headline\">1 of 3 objectives on track · 2 key results off track · 3 of 5 sources reporting</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"headline\">No OKRs yet · 3 of 5 sources reporting</p>", empty, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_achieved_objective_counts_as_on_track_and_one_of_each_is_singular()
    {
        var full = SampleSnapshots.Full();
        var snapshot = full with
        {
            Okrs = [full.Okrs[0] with { Status = OkrStatus.Achieved }, full.Okrs[2]],
            Sources = [full.Sources[0]],
        };

        var html = await Page(snapshot);

        Assert.Contains("<p class=\"headline\">1 of 2 objectives on track · 0 key results off track · 1 of 1 source reporting</p>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Source_health_shows_each_sources_newest_record_and_how_long_before_the_report_it_was()
    {
        var html = await Page(SampleSnapshots.Full());
        var health = html[html.IndexOf("id=\"source-health\"", StringComparison.Ordinal)..];

        Assert.Contains("<th scope=\"col\">Newest record</th>", health, StringComparison.Ordinal);
        // Generated 2 Nov 09:00: GitHub's newest record is 31 Oct 17:42, Linear's the same morning.
        Assert.Contains("<span class=\"nowrap\">2026-10-31 17:42 UTC</span><span class=\"muted small\">(1 day earlier)</span>", health, StringComparison.Ordinal);
        Assert.Contains("<span class=\"nowrap\">2026-11-02 08:55 UTC</span><span class=\"muted small\">(same day)</span>", health, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sample_sizes_stand_next_to_medians_and_rates_in_tiles_dora_and_key_results()
    {
        var html = await Page(SampleSnapshots.WithSamplesAndTrends());

        var githubTile = Tile(html, "github.change_failure_rate");
        Assert.Contains("<div class=\"tile-value\">4.5%<span class=\"sample\">n = 44</span></div>", githubTile, StringComparison.Ordinal);
        // A count has no sample size.
        Assert.DoesNotContain("class=\"sample\"", Tile(html, "github.deployments"), StringComparison.Ordinal);
        var dora = html[html.IndexOf("id=\"dora\"", StringComparison.Ordinal)..html.IndexOf("id=\"source-github\"", StringComparison.Ordinal)];
        Assert.Contains("7.1%<span class=\"sample\">n = 42</span>", dora, StringComparison.Ordinal);
        // The key result on dora.change_failure_rate names its sample too.
        var keyResult = html[html.IndexOf("Change failure rate at most 5%", StringComparison.Ordinal)..];
        keyResult = keyResult[..keyResult.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.Contains("<span class=\"sample\">n = 42</span>", keyResult, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dora_score_over_fewer_than_5_items_is_not_given_and_the_panel_says_why()
    {
        var sample = SampleSnapshots.WithDoraScores();
        var html = await Page(sample);
        // The same report with the lead time over 4 commits: no lead time score, and the reason names the sample.
        var fewCommits = await Page(sample with
        {
            Metrics = sample.Metrics.Select(m => m.Id switch
            {
                "dora.lead_time_hours.p50" => m with { SampleSize = 4 },
                "dora.score.lead_time" => m with { Value = null },
                _ => m,
            }).ToList(),
        });

        Assert.Contains("<p class=\"small muted score-why\">Not scored: 2 recovered deployments, fewer than 5.</p>", html, StringComparison.Ordinal);
        Assert.Contains("<p class=\"small muted score-why\">Not scored: 4 commits, fewer than 5.</p>", fewCommits, StringComparison.Ordinal);
        Assert.DoesNotContain("Not scored: 4 commits", html, StringComparison.Ordinal);
        // The metric itself keeps its value and shows the sample it stands on.
        Assert.Contains("20.5 h<span class=\"sample\">n = 2</span>", DoraTile(html, "Failed deployment recovery time (median)"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trend_draws_a_sparkline_with_every_week_in_its_label_and_no_trend_draws_none()
    {
        var withTrend = await Page(SampleSnapshots.WithSamplesAndTrends());
        var without = await Page(SampleSnapshots.Full());

        var tile = Tile(withTrend, "linear.issues_closed");
        Assert.Contains("<svg class=\"spark\"", tile, StringComparison.Ordinal);
        // 1,165 × (0.8 + 0.03 k), the fourth week empty: one gap, so two line pieces.
        Assert.Contains("aria-label=\"13-week trend, oldest first: 967, 1,002, 1,037, —, 1,107,", tile, StringComparison.Ordinal);
        Assert.Equal(2, RenderedHtml.Count(tile, "<polyline"));
        Assert.DoesNotContain("class=\"spark\"", without, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Durations_read_in_days_minutes_or_hours_as_a_person_would_say_them()
    {
        var full = SampleSnapshots.Full();
        var snapshot = full with
        {
            Metrics = full.Metrics.Select(m => m.Id == "linear.cycle_time_hours.p50" ? m with { Value = 178, Previous = 0.75 } : m).ToList(),
        };

        var html = await Page(snapshot);

        var tile = Tile(html, "linear.cycle_time_hours.p50");
        Assert.Contains("<div class=\"tile-value\">7.4 days</div>", tile, StringComparison.Ordinal);
        Assert.Contains("previous 45.0 min", tile, StringComparison.Ordinal);
        Assert.DoesNotContain("178.0 h", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_two_failure_rates_are_explained_side_by_side_with_what_each_counts()
    {
        var html = await Page(SampleSnapshots.WithSamplesAndTrends());
        var full = SampleSnapshots.Full();
        var doraOnly = await Page(full with { Metrics = full.Metrics.Where(m => m.Id != "github.change_failure_rate").ToList() });

        var pair = html[html.IndexOf("<div class=\"failure-rates\"", StringComparison.Ordinal)..];
        pair = pair[..pair.IndexOf("<details", StringComparison.Ordinal)];
        Assert.Contains("7.1%</strong> Change failure rate <code>dora.change_failure_rate</code>", pair, StringComparison.Ordinal);
        Assert.Contains("It counts deployments followed by an incident.", pair, StringComparison.Ordinal);
        Assert.Contains("4.5%</strong> Deployment failure rate <code>github.change_failure_rate</code>", pair, StringComparison.Ordinal);
        Assert.Contains("It counts failed deployment statuses.", pair, StringComparison.Ordinal);
        Assert.Contains("Change failure rate over the report period.", pair, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"failure-rates\"", doraOnly, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Definitions_are_in_a_glossary_per_section_not_in_hover_only_tooltips()
    {
        var html = await Page(SampleSnapshots.Full());

        Assert.DoesNotContain(RenderedHtml.Attributes(html, "title"), attribute => attribute.Tag.Contains("class=\"tile", StringComparison.Ordinal));
        // DORA, GitHub, Linear and Slack report metrics; Grafana failed and Notion is not configured.
        Assert.Equal(4, RenderedHtml.Count(html, "<details class=\"glossary\">"));
        Assert.Contains("<dt>Issues closed <code>linear.issues_closed</code></dt><dd>Issues closed over the report period.</dd>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Links_to_this_machine_are_text_so_a_demo_report_has_no_dead_links()
    {
        var full = SampleSnapshots.Full();
        var github = full.Sources[0];
        var table = new DataTable("runs", "Runs", ["Run"],
        [
            [new TableCell("details", "http://127.0.0.1:34751/github/acme/web/actions/runs/500001198")],
            [new TableCell("local", "http://localhost:5055/x")],
            [new TableCell("real", "https://github.com/acme/web/actions/runs/1")],
        ]);
        var snapshot = full with { Sources = [github with { Tables = [table] }, .. full.Sources.Skip(1)] };

        var html = await Page(snapshot);

        var hrefs = RenderedHtml.Attributes(html, "href").Select(a => a.Value).ToList();
        Assert.Contains("https://github.com/acme/web/actions/runs/1", hrefs);
        Assert.DoesNotContain(hrefs, href => href.Contains("127.0.0.1", StringComparison.Ordinal) || href.Contains("localhost", StringComparison.Ordinal));
        Assert.Contains("details<span class=\"muted small\"> (local link)</span>", html, StringComparison.Ordinal);
        Assert.Contains("Local links (to 127.0.0.1 or localhost", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Local links", await Page(full), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_partial_last_bucket_is_drawn_as_wide_as_the_days_it_covers()
    {
        // Weekly buckets from 1 Oct; the period ends 1 Nov, so the bucket of 29 Oct covers 3 days.
        var html = await Page(SampleSnapshots.Full());
        var chart = html[html.IndexOf("Production deployments <span", StringComparison.Ordinal)..];
        chart = chart[..chart.IndexOf("</figure>", StringComparison.Ordinal)];

        var widths = RenderedHtml.Attributes(chart, "width").Where(a => a.Tag.StartsWith("<rect", StringComparison.Ordinal))
            .Select(a => double.Parse(a.Value, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(5, widths.Count);
        Assert.All(widths.Take(4), width => Assert.Equal(widths[0], width, 0.2));
        Assert.Equal(widths[0] * 3 / 7, widths[4], 0.2);
        Assert.Contains("class=\"bar partial\"", chart, StringComparison.Ordinal);
        Assert.Contains("<title>Week of 29 Oct 2026 (3 days only): 3</title>", chart, StringComparison.Ordinal);
    }

    [Fact]
    public void Sample_size_and_trend_are_in_report_json_and_null_when_unknown()
    {
        var json = SnapshotJson.Serialize(SampleSnapshots.WithSamplesAndTrends());
        using var document = JsonDocument.Parse(json);
        var metrics = document.RootElement.GetProperty("metrics").EnumerateArray().ToDictionary(m => m.GetProperty("id").GetString()!);

        Assert.Equal(2, metrics["dora.time_to_restore_hours.p50"].GetProperty("sampleSize").GetInt32());
        Assert.Equal(JsonValueKind.Null, metrics["github.deployments"].GetProperty("sampleSize").ValueKind);
        var trend = metrics["linear.issues_closed"].GetProperty("trend");
        Assert.Equal(SampleSnapshots.TrendWeeks, trend.GetArrayLength());
        Assert.Equal(SampleSnapshots.To, trend[SampleSnapshots.TrendWeeks - 1].GetProperty("to").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, trend[3].GetProperty("value").ValueKind);
        Assert.Equal(JsonValueKind.Null, metrics["notion.postmortems"].GetProperty("trend").ValueKind);
        Assert.Equal(SampleSnapshots.WithSamplesAndTrends().Metrics.Select(m => m.SampleSize), SnapshotJson.Deserialize(json).Metrics.Select(m => m.SampleSize));
    }

    private static string Tile(string html, string metricId)
    {
        var end = html.IndexOf($"<code>{metricId}</code></div>", StringComparison.Ordinal);
        var start = html.LastIndexOf("<div class=\"tile\">", end, StringComparison.Ordinal);
        return html[start..end];
    }

    private static string DoraTile(string html, string title)
    {
        var start = html.IndexOf($"<div class=\"tile dora-tile\"><div class=\"tile-title\">{title}</div>", StringComparison.Ordinal);
        var end = html.IndexOf("<div class=\"tile dora-tile\">", start + 1, StringComparison.Ordinal);
        return html[start..(end < 0 ? html.IndexOf("</section>", start, StringComparison.Ordinal) : end)];
    }

    /// <summary>The page as text a reader sees: entities decoded, whitespace runs one space, none between tags.</summary>
    private static async Task<string> Page(ReportSnapshot snapshot) =>
        Whitespace().Replace(System.Net.WebUtility.HtmlDecode(await RenderedHtml.Render(snapshot)), " ").Replace("> <", "><", StringComparison.Ordinal);

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();
}

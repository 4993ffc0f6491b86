using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Rendering;
using OkrHost.Contracts;
using OkrHost.Contracts.Sections;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

public class HtmlReportRendererTests
{
    private const string Csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

    [Fact]
    public async Task Every_external_string_is_escaped_and_no_markup_gets_through()
    {
        var hostile = new HostileSnapshot();
        var html = await RenderedHtml.Render(hostile.Build());

        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<img", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(RenderedHtml.Attributes(html), attribute => attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase));
        Assert.DoesNotContain(RenderedHtml.Attributes(html, "href"), a => !a.Value.StartsWith("https://", StringComparison.Ordinal) && !a.Value.StartsWith("http://", StringComparison.Ordinal));
        Assert.Single(RenderedHtml.Attributes(html, "href"));
        Assert.Contains("href=\"https://example.com/%22%3E%3Cscript%3Ealert(1)%3C/script%3E\"", html, StringComparison.Ordinal);

        Assert.True(hostile.Fields.Count >= 20, "the hostile snapshot covers every external field");
        var missing = hostile.Fields.Where(field => !html.Contains(HostileSnapshot.Escaped(field), StringComparison.Ordinal)).ToList();
        Assert.True(missing.Count == 0, "not shown escaped: " + string.Join(", ", missing));
    }

    [Fact]
    public async Task The_page_is_self_contained_behind_a_strict_content_security_policy()
    {
        var html = await RenderedHtml.Render(SampleSnapshots.Full());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains($"<meta http-equiv=\"Content-Security-Policy\" content=\"{Csp}\"", html.Replace("&#x27;", "'", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.Contains("<html lang=\"en\">", html, StringComparison.Ordinal);
        Assert.Contains("<meta charset=\"utf-8\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<link", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.Empty(RenderedHtml.Attributes(html, "src"));

        var cellLinks = SampleSnapshots.Full().Sources.SelectMany(s => s.Tables).SelectMany(t => t.Rows).SelectMany(r => r)
            .Select(c => c.Link).OfType<string>().ToHashSet();
        var hrefs = RenderedHtml.Attributes(html, "href").ToList();
        Assert.Equal(cellLinks.Count, hrefs.Count);
        Assert.All(hrefs, href =>
        {
            Assert.StartsWith("<a ", href.Tag, StringComparison.Ordinal);
            Assert.Contains(href.Value, cellLinks);
            Assert.Contains("rel=\"noopener noreferrer\"", href.Tag, StringComparison.Ordinal);
        });
        Assert.Contains("@page { size: A4; margin: 12mm; }", html, StringComparison.Ordinal);
        Assert.Contains("print-color-adjust: exact", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_header_shows_the_last_included_day_the_previous_period_and_no_global_freshness()
    {
        var html = await RenderedHtml.Render(SampleSnapshots.Full());

        Assert.Contains("<h1>Platform team OKRs</h1>", html, StringComparison.Ordinal);
        Assert.Contains("1 Oct 2026 – 31 Oct 2026", Decode(html), StringComparison.Ordinal);
        Assert.Contains("31 days", html, StringComparison.Ordinal);
        Assert.Contains("31 Aug 2026 – 30 Sep 2026", Decode(html), StringComparison.Ordinal);
        Assert.Contains("2026-11-02 09:00 UTC", html, StringComparison.Ordinal);
        // Freshness is per source, in source health: no global "data as of" that makes a quiet source look stale.
        Assert.DoesNotContain("Data as of", html, StringComparison.Ordinal);
        Assert.DoesNotContain("oldest:", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_scorecard_lists_every_objective_and_key_result_with_its_status()
    {
        var snapshot = SampleSnapshots.Full();
        var html = Decode(await RenderedHtml.Render(snapshot));

        foreach (var objective in snapshot.Okrs)
        {
            Assert.Contains($"<h3>{objective.Title}</h3>", html, StringComparison.Ordinal);
            Assert.Contains($"status-border-{ReportSlug(objective.Status)}", html, StringComparison.Ordinal);
            foreach (var keyResult in objective.KeyResults)
            {
                Assert.Contains($"<div class=\"kr-title\">{keyResult.Title}</div>", html, StringComparison.Ordinal);
            }
        }

        Assert.Equal(snapshot.Okrs.Sum(o => o.KeyResults.Count), RenderedHtml.Count(html, "<tr class=\"kr status-row-"));
        Assert.Equal(2, RenderedHtml.Count(html, "<tr class=\"kr status-row-no-data\""));
        Assert.Equal(2, RenderedHtml.Count(html, "<tr class=\"kr status-row-off-track\""));
        // Actual against target in the metric's unit, with the metric's title looked up.
        Assert.Contains("9.5 / week</span>", html, StringComparison.Ordinal);
        Assert.Contains("10.0 / week</span>", html, StringComparison.Ordinal);
        Assert.Contains("Deployments per week <code>github.deployments_per_week</code>", html, StringComparison.Ordinal);
        Assert.Contains("style=\"width: 93%\"", html, StringComparison.Ordinal);
        Assert.Contains("$.objectives[2].keyResults[3]", html, StringComparison.Ordinal);
        Assert.Contains("target is missing", html, StringComparison.Ordinal);
        Assert.Contains("class=\"legend\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_okrs_the_report_says_how_to_add_them()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.WithoutOkrs()));

        Assert.Contains("This report has no OKRs yet", html, StringComparison.Ordinal);
        Assert.Contains("<code>--okrs FILE</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>\"okrs\": { \"file\": \"okrs.json\" }</code>", html, StringComparison.Ordinal);
        Assert.Contains("<code>\"okrs\": { \"source\": \"notion\" }</code>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"kr ", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metric_tiles_show_value_previous_and_a_change_arrow_coloured_by_direction()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full()));

        // 1,165 closed vs 1,040: up, and more closed issues is good.
        Assert.Contains("<div class=\"tile-value\">1,165</div>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"change change-good\"><span class=\"arrow\" aria-hidden=\"true\">▲</span>+12%</span>", html, StringComparison.Ordinal);
        Assert.Contains("previous 1,040", html, StringComparison.Ordinal);
        // Failure rate 4.5% vs 9.8%: down, and lower is better.
        Assert.Contains("<div class=\"tile-value\">4.5%</div>", html, StringComparison.Ordinal);
        Assert.Contains("▼</span>−5.2 pp", html, StringComparison.Ordinal);
        // War room duration up: bad.
        Assert.Contains("<span class=\"change change-bad\"><span class=\"arrow\" aria-hidden=\"true\">▲</span>+39.4%</span>", html, StringComparison.Ordinal);
        // Issues created have no better direction: grey.
        Assert.Contains("<span class=\"change change-neutral\"><span class=\"arrow\" aria-hidden=\"true\">▲</span>+8.4%</span>", html, StringComparison.Ordinal);
        // A missing value shows a dash and no arrow.
        Assert.Contains("<div class=\"tile-value\">—</div>", html, StringComparison.Ordinal);
        Assert.Contains("previous 2.2 days", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"tile-value\">15.4 h</div>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_failed_source_shows_its_reason_and_a_not_configured_source_what_is_missing()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full()));

        Assert.Contains($"<p class=\"reason\">{SampleSnapshots.GrafanaError}</p>", html, StringComparison.Ordinal);
        Assert.Contains("Grafana failed; its numbers are missing from this report.", html, StringComparison.Ordinal);
        Assert.Contains($"<p class=\"reason\">Missing: {SampleSnapshots.NotionMissing}</p>", html, StringComparison.Ordinal);
        Assert.Contains("Notion is not configured.", html, StringComparison.Ordinal);
        // Disabled sources get no section, only their row in the health table.
        Assert.DoesNotContain("id=\"source-pagerduty\"", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"health-row-disabled\"><th scope=\"row\">PagerDuty", html, StringComparison.Ordinal);
        Assert.Contains($"<td data-label=\"Detail\">{SampleSnapshots.GrafanaError}</td>", html, StringComparison.Ordinal);
        Assert.Equal(6, RenderedHtml.Count(html, "<tr class=\"health-row-"));
    }

    [Fact]
    public async Task The_dora_panel_shows_each_score_on_a_0_to_10_scale_against_its_industry_and_size_benchmarks_and_names_the_edition()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.WithDoraScores()));
        var panel = html[html.IndexOf("id=\"dora\"", StringComparison.Ordinal)..html.IndexOf("id=\"source-github\"", StringComparison.Ordinal)];

        Assert.Contains("DORA Quick Check, 2025 edition", panel, StringComparison.Ordinal);
        Assert.Contains("Industry: <strong>Technology</strong> · organisation size: <strong>20 to 99 employees</strong>", panel, StringComparison.Ordinal);
        Assert.Equal(8, RenderedHtml.Count(panel, "<li class=\"dora-score\">"));
        // The 2023 bands are gone.
        Assert.DoesNotContain("class=\"band", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("Elite", panel, StringComparison.Ordinal);
        // Change fail rate 7.14% scores 10 − 0.714 = 9.3; technology's mean 10 − 1.9 = 8.1 ± 2.0, 20–99 employees' 10 − 1.7 = 8.3 ± 1.8.
        var changeFailure = Score(panel, "Change fail rate score");
        Assert.Contains("<span class=\"score-value\">9.3</span>", changeFailure, StringComparison.Ordinal);
        Assert.Contains("Industry: 8.1 ± 2.0 · Size: 8.3 ± 1.8", changeFailure, StringComparison.Ordinal);
        Assert.Contains("<span class=\"scale-band\" style=\"left: 61%; width: 39%\"></span><span class=\"scale-mean\" style=\"left: 81%\"></span>", changeFailure, StringComparison.Ordinal);
        Assert.Contains("<span class=\"scale-you\" style=\"left: 92.9%\"></span>", changeFailure, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Change fail rate score 9.3 on a 0 to 10 scale; Technology: 8.1 ± 2.0; 20 to 99 employees: 8.3 ± 1.8\"", changeFailure, StringComparison.Ordinal);
        // Overall: technology's mean of its five metric means (5.7 + 4.9 + 7.4 + 8.1 + 7.7) / 5 = 6.76, sd 1.2.
        Assert.Contains("Industry: 6.8 ± 1.2", Score(panel, "DORA overall score"), StringComparison.Ordinal);
        // Two recovered deployments are too few to score; the panel says so instead of drawing a marker.
        var recovery = Score(panel, "Failed deployment recovery score");
        Assert.Contains("<span class=\"score-value\">no score</span>", recovery, StringComparison.Ordinal);
        Assert.Contains("Not scored: 2 recovered deployments, fewer than 5.", recovery, StringComparison.Ordinal);
        Assert.DoesNotContain("scale-you", recovery, StringComparison.Ordinal);
        // A score moves in points of its scale: 13.51% failed before, 8.6; now 9.3.
        Assert.Contains("+0.64</span>", changeFailure, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_snapshot_without_benchmarks_renders_the_dora_metrics_without_scales()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full()));
        var panel = html[html.IndexOf("id=\"dora\"", StringComparison.Ordinal)..html.IndexOf("id=\"source-github\"", StringComparison.Ordinal)];

        Assert.Contains("<div class=\"tile-title\">Change failure rate</div>", panel, StringComparison.Ordinal);
        Assert.Contains("<div class=\"tile-value\">no data</div>", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"scale\"", panel, StringComparison.Ordinal);
        Assert.DoesNotContain("Quick Check", panel, StringComparison.Ordinal);
    }

    private static string Score(string panel, string title)
    {
        var start = panel.IndexOf($"<span class=\"score-title\">{title}</span>", StringComparison.Ordinal);
        var end = panel.IndexOf("</li>", start, StringComparison.Ordinal);
        return panel[start..end];
    }

    [Fact]
    public async Task Charts_are_inline_svg_with_date_labels_an_accessible_title_and_gaps_for_missing_points()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full()));

        Assert.Contains("<svg class=\"chart-svg\"", html, StringComparison.Ordinal);
        Assert.Contains("aria-label=\"Production deployments, weekly from 1 Oct 2026: 1 Oct 9; 8 Oct 12; 15 Oct 7; 22 Oct 11; 29 Oct (3 days only) 3\"", html, StringComparison.Ordinal);
        Assert.Contains("<title>Production deployments, weekly from 1 Oct 2026:", html, StringComparison.Ordinal);
        // The lead-time line has no value in its third week: two line segments, and the gap is marked.
        var leadTime = html[html.IndexOf("Median lead time for changes <span", StringComparison.Ordinal)..];
        leadTime = leadTime[..leadTime.IndexOf("</figure>", StringComparison.Ordinal)];
        Assert.Equal(2, RenderedHtml.Count(leadTime, "<polyline class=\"line\""));
        Assert.Equal(4, RenderedHtml.Count(leadTime, "<circle class=\"dot\""));
        Assert.Contains("<title>Week of 15 Oct 2026: no data</title>", leadTime, StringComparison.Ordinal);
        Assert.Contains(">22 Oct</text>", leadTime, StringComparison.Ordinal);
        // Counts are bars; a month of daily buckets gets at most seven date labels.
        var warRooms = html[html.IndexOf("War rooms opened <span", StringComparison.Ordinal)..];
        warRooms = warRooms[..warRooms.IndexOf("</figure>", StringComparison.Ordinal)];
        Assert.Equal(31, RenderedHtml.Count(warRooms, "<rect class=\"bar\""));
        Assert.InRange(RenderedHtml.Count(warRooms, "text-anchor=\"middle\">"), 5, 7);
    }

    [Fact]
    public async Task Tables_have_captions_links_and_say_how_many_rows_were_left_out()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full()));

        Assert.Contains("<caption>Urgent bugs open at period end</caption>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://linear.app/acme/issue/ENG-1412\" rel=\"noopener noreferrer\">ENG-1412</a>", html, StringComparison.Ordinal);
        Assert.Contains("3 more rows left out to keep the report readable.", html, StringComparison.Ordinal);
        Assert.Contains("<li>Archived issues are included.</li>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_section_component_replaces_the_default_section_and_gets_the_sources_data()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full(), new Dictionary<string, Type> { ["github"] = typeof(CountingSection) }));

        Assert.Contains("<div class=\"custom-section\">github: GitHub, 7 metrics, 2 series, 1 tables, 0 notes; first Production deployments = 42 (37)</div>", html, StringComparison.Ordinal);
        var github = html[html.IndexOf("id=\"source-github\"", StringComparison.Ordinal)..html.IndexOf("id=\"source-linear\"", StringComparison.Ordinal)];
        Assert.DoesNotContain("class=\"tile\"", github, StringComparison.Ordinal);
        // Other sources keep the default section.
        Assert.Contains("<code>linear.issues_closed</code>", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(string), "is not a Razor component")]
    [InlineData(typeof(SectionWithoutParameter), "needs a [Parameter] public SourceSection Section { get; set; }")]
    public async Task A_section_type_that_cannot_take_the_section_is_refused_with_its_source(Type type, string problem)
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => RenderedHtml.Render(SampleSnapshots.Full(), new Dictionary<string, Type> { ["github"] = type }));
        Assert.Contains("The section component for 'github'", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_footer_names_the_okrhost_version_and_report_json()
    {
        var html = await RenderedHtml.Render(SampleSnapshots.Full());

        Assert.Contains($"okrhost {typeof(OkrHost.Rendering.HtmlReportRenderer).Assembly.GetName().Version!.ToString(3)}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("<code>report.json</code>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Numbers_that_are_not_finite_show_as_missing_and_never_reach_styles_or_svg()
    {
        var sample = SampleSnapshots.Full();
        var github = sample.Sources[0];
        var snapshot = sample with
        {
            Metrics = [SampleSnapshots.Metric("github.deployments", "github", "Production deployments", MetricUnit.Count, double.NaN, double.PositiveInfinity, true),
                       SampleSnapshots.Metric("dora.change_failure_rate", "dora", "Change failure rate", MetricUnit.Ratio, double.NaN, 0.1, false)],
            Sources = [github with { Series = [new TimeSeries("s", "Lead time", MetricUnit.Hours, SeriesBucket.Day, [new SeriesPoint(SampleSnapshots.From, double.NaN), new SeriesPoint(SampleSnapshots.From.AddDays(1), 5)])] }],
            Okrs = [sample.Okrs[0] with { Progress = double.NaN }],
        };

        var html = await RenderedHtml.Render(snapshot);

        Assert.DoesNotContain("NaN", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Infinity", html, StringComparison.Ordinal);
        Assert.DoesNotContain("∞", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"tile-value\">no data</div>", html, StringComparison.Ordinal);
        Assert.Contains("Lead time, daily from 1 Oct 2026: 1 Oct no data; 2 Oct 5.0 h", System.Net.WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_source_that_reported_nothing_says_so()
    {
        var sample = SampleSnapshots.Full();
        var empty = new SourceReport { Id = "jira", DisplayName = "Jira", Status = SourceStatus.Ok };

        var html = await RenderedHtml.Render(sample with { Sources = [empty] });

        Assert.Contains("This source reported no metrics.", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_plugin_section_component_that_throws_falls_back_to_the_default_section()
    {
        var html = Decode(await RenderedHtml.Render(SampleSnapshots.Full(), new Dictionary<string, Type> { ["github"] = typeof(ThrowingSection) }));

        var github = html[html.IndexOf("id=\"source-github\"", StringComparison.Ordinal)..html.IndexOf("id=\"source-linear\"", StringComparison.Ordinal)];
        Assert.Contains("GitHub's own section could not be shown (InvalidOperationException); the standard section follows.", github, StringComparison.Ordinal);
        Assert.Contains("<code>github.deployment_days</code>", github, StringComparison.Ordinal);
        Assert.DoesNotContain("secret detail", html, StringComparison.Ordinal);
    }

    private static string Decode(string html) => System.Net.WebUtility.HtmlDecode(html);

    private static string ReportSlug(OkrStatus status) => OkrHost.Rendering.ReportFormat.Slug(status);

    public sealed class SectionWithoutParameter : ComponentBase
    {
        public SourceSection? Section { get; set; }
    }

    public sealed class ThrowingSection : ComponentBase
    {
        [Parameter] public SourceSection Section { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder) => throw new InvalidOperationException("secret detail");
    }

    /// <summary>A plugin's own section, written the way a plugin without .razor files would.</summary>
    public sealed class CountingSection : ComponentBase
    {
        [Parameter] public SourceSection Section { get; set; } = default!;

        protected override void BuildRenderTree(RenderTreeBuilder builder)
        {
            var first = Section.Metrics[0];
            builder.OpenElement(0, "div");
            builder.AddAttribute(1, "class", "custom-section");
            builder.AddContent(2, $"{Section.Id}: {Section.DisplayName}, {Section.Metrics.Count} metrics, {Section.Series.Count} series, {Section.Tables.Count} tables, {Section.Notes.Count} notes; first {first.Definition.Title} = {first.Value} ({first.Previous})");
            builder.CloseElement();
        }
    }
}

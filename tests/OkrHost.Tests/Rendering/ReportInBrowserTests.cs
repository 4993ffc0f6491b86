using System.Text;
using System.Text.RegularExpressions;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

/// <summary>
/// The rendered report in a real browser (Debian's chromium, no downloaded browser). Screenshots and the PDF
/// land in the test output folder, <c>TestResults/screenshots</c> beside the test assembly.
/// </summary>
public partial class ReportInBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";
    private const int Phone = 390;
    private const int Desktop = 1440;
    private const int MaxPrintedPages = 6;

    private static string Output
    {
        get
        {
            var output = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
            Directory.CreateDirectory(output);
            return output;
        }
    }

    [Fact]
    public async Task The_report_opens_offline_in_chromium_with_no_requests_errors_or_csp_violations_and_prints()
    {
        var reportPath = Path.Combine(Output, "report.html");
        await File.WriteAllTextAsync(reportPath, await RenderedHtml.Render(SampleSnapshots.Full()));
        var reportUrl = new Uri(reportPath).AbsoluteUri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        var requests = new List<string>();
        var consoleErrors = new List<string>();
        page.Request += (_, request) => requests.Add(request.Url);
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                consoleErrors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => consoleErrors.Add(error);
        // Injected by the browser's debugging protocol, so the page's own CSP does not block it.
        await page.AddInitScriptAsync("""
            window.__cspViolations = [];
            document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));
            """);

        await page.GotoAsync(reportUrl, new() { WaitUntil = WaitUntilState.Load });

        Assert.True(await page.Locator("#okrs").IsVisibleAsync(), "the scorecard is visible");
        Assert.Equal(9, await page.Locator("tr.kr").CountAsync());
        Assert.True(await page.Locator("#dora").IsVisibleAsync(), "the DORA panel is visible");
        Assert.Equal("Platform team OKRs", await page.TitleAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(Output, "report.png"), FullPage = true });

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var hidden = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('section, .objective, tr.kr, .tile, figure, table, .alert, .glossary dl')]
                .filter(e => { const r = e.getBoundingClientRect(); return r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden'; })
                .map(e => e.id || e.className || e.tagName)
            """);
        Assert.Empty(hidden);
        await page.ScreenshotAsync(new() { Path = Path.Combine(Output, "report-print.png"), FullPage = true });
        await page.PdfAsync(new() { Path = Path.Combine(Output, "report.pdf"), Format = "A4", PrintBackground = true });

        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(violations);
        Assert.Empty(consoleErrors);
        Assert.Equal([reportUrl], requests);
    }

    /// <summary>
    /// The demo report, as <c>okrhost report --demo</c> writes it, on a phone and on a desktop: axe-core finds no
    /// serious or critical problem, nothing is wider than a 390 px screen, every badge stays inside its card,
    /// and it prints on at most 6 A4 pages. Only this test's browser context bypasses the report's CSP, so
    /// axe's script can run; the report itself keeps its strict policy.
    /// </summary>
    [Fact]
    public async Task The_demo_report_passes_axe_at_390_and_1440_px_fits_a_phone_and_prints_on_at_most_6_A4_pages()
    {
        using var folder = new TempFolder();
        var run = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "report", "--demo");
        Assert.True(run.ExitCode == 0, run.ToString());
        var reportPath = Path.Combine(Output, "demo-report.html");
        File.Copy(folder.Combine("out", "report.html"), reportPath, overwrite: true);

        var problems = await PageProblemsAsync(reportPath, "demo", async (page, width) =>
        {
            // The Monday reading (PRODUCT.md section 13): the ranked block with last week's status change, and every
            // key result's rolling trend with its target line, on both screens.
            var found = new List<string>();
            var lines = await page.Locator(".insight-list li").CountAsync();
            if (lines is 0 or > 8)
            {
                found.Add($"{width} px: the what-changed block has {lines} lines");
            }

            if (!await page.Locator(".insight-list li", new() { HasTextString = "went from" }).First.IsVisibleAsync())
            {
                found.Add($"{width} px: no status change is visible in the what-changed block");
            }

            if (await page.Locator("tr.kr:not(.status-row-no-data)").CountAsync() is var scored
                && (scored == 0 || await page.Locator("tr.kr:not(.status-row-no-data) svg.kr-spark").CountAsync() != scored)
                // A horizontal line has no height, so it is counted rather than asked whether it is visible.
                || await page.Locator("svg.kr-spark line.kr-spark-target").CountAsync() != scored
                || !await page.Locator("svg.kr-spark").First.IsVisibleAsync())
            {
                found.Add($"{width} px: a key result has no rolling trend with its target line");
            }

            if (found.Count > 0)
            {
                return found;
            }

            if (width == Desktop && PdfPages(await page.PdfAsync(new() { Path = Path.Combine(Output, "demo-report.pdf"), Format = "A4", PrintBackground = true })) is var pages && pages > MaxPrintedPages)
            {
                return [$"prints on {pages} A4 pages, more than {MaxPrintedPages}"];
            }

            return [];
        });

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// The DORA panel in the browser at phone and desktop width and in print: each score's diamond sits at its
    /// value on the 0–10 track and the shaded band spans the benchmark's mean ± one sd, axe finds nothing
    /// serious, nothing spills off a phone, and every scale stays visible on paper.
    /// </summary>
    [Fact]
    public async Task The_dora_scores_sit_on_their_benchmark_scales_at_390_and_1440_px_and_in_print()
    {
        var path = Path.Combine(Output, "dora-scores.html");
        await File.WriteAllTextAsync(path, await RenderedHtml.Render(SampleSnapshots.WithDoraScores()));

        var problems = await PageProblemsAsync(path, "dora-scores", async (page, width) =>
        {
            var found = new List<string>();
            foreach (var media in new[] { Media.Screen, Media.Print })
            {
                await page.EmulateMediaAsync(new() { Media = media });
                // Change fail rate: score 9.29; technology's benchmark 8.1 ± 2.0, so the band runs from 6.1 to the end of the track.
                var geometry = await page.EvaluateAsync<double[]>(ScaleGeometry, "Change fail rate score");
                var (you, bandFrom, bandTo, scales) = (geometry[0], geometry[1], geometry[2], (int)geometry[3]);
                if (Math.Abs(you - 0.929) > 0.02 || Math.Abs(bandFrom - 0.61) > 0.02 || Math.Abs(bandTo - 1.0) > 0.02)
                {
                    found.Add($"{width} px {media}: change fail rate drawn at {you:0.###} over a band {bandFrom:0.###}–{bandTo:0.###}");
                }

                if (scales != 7)
                {
                    found.Add($"{width} px {media}: {scales} visible scales with a score, expected 7 (recovery has none)");
                }
            }

            await page.EmulateMediaAsync(new() { Media = Media.Screen });
            return found;
        });

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    // Where a score's diamond and its industry band sit on their track (0 to 1), and how many scales with a diamond are visible.
    private const string ScaleGeometry = """
        title => {
            const item = [...document.querySelectorAll('.dora-score')].find(li => li.querySelector('.score-title').textContent === title);
            const element = item.querySelector('.scale-track');
            const box = element.getBoundingClientRect();
            const track = { left: box.left + element.clientLeft, width: element.clientWidth };
            const you = item.querySelector('.scale-you').getBoundingClientRect();
            const band = item.querySelector('.scale-band').getBoundingClientRect();
            const visible = [...document.querySelectorAll('.scale-you')].filter(e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0; });
            return [
                (you.left + you.width / 2 - track.left) / track.width,
                (band.left - track.left) / track.width,
                (band.right - track.left) / track.width,
                new Set(visible.map(e => e.closest('.dora-score'))).size,
            ];
        }
        """;

    /// <summary>The teams index of two reports and a team whose config failed, in the same browser checks as the report.</summary>
    [Fact]
    public async Task The_teams_index_passes_axe_at_390_and_1440_px_and_fits_a_phone()
    {
        var snapshot = SampleSnapshots.Full();
        var index = new TeamsIndex
        {
            GeneratedAt = snapshot.GeneratedAt,
            Teams =
            [
                TeamEntry.From("mobile", 3, "mobile/report.html", ["error: source github failed: HTTP 502 after 4 attempts"], snapshot),
                new TeamEntry("ops", 2, null, ["error: teams/ops/plugins.json: $: not valid JSON", "nothing was fetched: fix the errors above (okrhost validate lists them too)"]),
                TeamEntry.From("platform", 0, "platform/report.html", [], snapshot),
                TeamEntry.From("data", 0, "data/report.html", [], snapshot with
                {
                    OkrProblems = [OkrHost.Contracts.Problem.Error("Notion row 'Faster builds' (https://notion.so/1)", "Target is empty")],
                }),
            ],
        };
        var indexPath = Path.Combine(Output, "teams-index.html");
        await File.WriteAllTextAsync(indexPath, await new HtmlReportRenderer().RenderIndexAsync(index));

        var problems = await PageProblemsAsync(indexPath, "teams-index", (_, _) => Task.FromResult<IEnumerable<string>>([]));

        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    /// <summary>
    /// Opens the page at phone and desktop width (a full-page screenshot of each, named after
    /// <paramref name="name"/>) and lists what is wrong there: the checks below, then <paramref name="more"/>'s.
    /// </summary>
    private static async Task<List<string>> PageProblemsAsync(string path, string name, Func<IPage, int, Task<IEnumerable<string>>> more)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(playwright);
        var problems = new List<string>();
        foreach (var width in new[] { Phone, Desktop })
        {
            await using var context = await browser.NewContextAsync(new() { BypassCSP = true, ViewportSize = new() { Width = width, Height = 900 } });
            var page = await context.NewPageAsync();
            await page.GotoAsync(new Uri(path).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
            await page.ScreenshotAsync(new() { Path = Path.Combine(Output, $"{name}-{width}px.png"), FullPage = true });
            problems.AddRange(await AxeAndLayoutProblemsAsync(page, width));
            problems.AddRange(await more(page, width));
        }

        return problems;
    }

    /// <summary>Serious or critical axe violations, badges spilling out of their card, and (on a phone) anything wider than the screen.</summary>
    private static async Task<List<string>> AxeAndLayoutProblemsAsync(IPage page, int width)
    {
        var axe = await page.RunAxe();
        var problems = axe.Violations
            .Where(violation => violation.Impact is "serious" or "critical")
            .Select(violation => $"{width} px: axe {violation.Impact} {violation.Id} on {violation.Nodes.Length} element(s), e.g. {violation.Nodes[0].Html}")
            .ToList();
        problems.AddRange((await page.EvaluateAsync<string[]>(BadgesOutsideTheirCard)).Select(badge => $"{width} px: badge outside its card: {badge}"));
        if (width == Phone)
        {
            problems.AddRange((await page.EvaluateAsync<string[]>(WiderThanTheScreen)).Select(element => $"{width} px: wider than the screen: {element}"));
        }

        return problems;
    }

    [Fact]
    public void Pdf_pages_are_counted_by_their_page_objects_not_the_page_tree()
    {
        var pdf = Encoding.ASCII.GetBytes("<< /Type /Pages /Count 2 >> << /Type /Page /Parent 2 0 R >> << /Type/Page >>");

        Assert.Equal(2, PdfPages(pdf));
    }

    // Chromium writes one uncompressed "/Type /Page" dictionary per page; "/Type /Pages" is the page tree.
    private static int PdfPages(byte[] pdf) => PageObject().Count(Encoding.Latin1.GetString(pdf));

    private const string WiderThanTheScreen = """
        () => {
            const width = window.innerWidth;
            const found = document.scrollingElement.scrollWidth > width ? [`the page scrolls sideways (${document.scrollingElement.scrollWidth} px)`] : [];
            for (const element of document.body.querySelectorAll('*')) {
                const box = element.getBoundingClientRect();
                if (box.width > 0 && (box.right > width + 0.5 || box.left < -0.5)) {
                    found.push(`${element.tagName.toLowerCase()}.${element.getAttribute('class') ?? ''} (${Math.round(box.left)}–${Math.round(box.right)} px)`);
                }
            }
            return found.slice(0, 20);
        }
        """;

    private const string BadgesOutsideTheirCard = """
        () => [...document.querySelectorAll('.badge, .band, .health')]
            .filter(badge => {
                const card = badge.closest('.tile, .objective, td, .card');
                const inner = badge.getBoundingClientRect(), outer = card.getBoundingClientRect();
                return inner.left < outer.left - 0.5 || inner.right > outer.right + 0.5 || inner.top < outer.top - 0.5 || inner.bottom > outer.bottom + 0.5;
            })
            .map(badge => `${badge.textContent.trim()} in ${badge.closest('.tile, .objective, td, .card').className}`)
        """;

    private static Task<IBrowser> LaunchAsync(IPlaywright playwright)
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser test.");
        return playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    [GeneratedRegex(@"/Type\s*/Page(?![a-zA-Z])")]
    private static partial Regex PageObject();
}

using Microsoft.Playwright;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

/// <summary>The rendered report in a real browser (Debian's chromium, no downloaded browser).</summary>
public class ReportInBrowserTests
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task The_report_opens_offline_in_chromium_with_no_requests_errors_or_csp_violations_and_prints()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium (apt-get install -y chromium) to run the browser test.");

        var output = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");
        Directory.CreateDirectory(output);
        var reportPath = Path.Combine(output, "report.html");
        await File.WriteAllTextAsync(reportPath, await RenderedHtml.Render(SampleSnapshots.Full()));
        var reportUrl = new Uri(reportPath).AbsoluteUri;

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
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
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "report.png"), FullPage = true });

        await page.EmulateMediaAsync(new() { Media = Media.Print });
        var hidden = await page.EvaluateAsync<string[]>("""
            () => [...document.querySelectorAll('section, .objective, tr.kr, .tile, figure, table, .alert')]
                .filter(e => { const r = e.getBoundingClientRect(); return r.width === 0 || r.height === 0 || getComputedStyle(e).visibility === 'hidden'; })
                .map(e => e.id || e.className)
            """);
        Assert.Empty(hidden);
        await page.ScreenshotAsync(new() { Path = Path.Combine(output, "report-print.png"), FullPage = true });
        await page.PdfAsync(new() { Path = Path.Combine(output, "report.pdf"), Format = "A4", PrintBackground = true });

        var violations = await page.EvaluateAsync<string[]>("() => window.__cspViolations");
        Assert.Empty(violations);
        Assert.Empty(consoleErrors);
        Assert.Equal([reportUrl], requests);
    }
}

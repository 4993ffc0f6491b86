using OkrHost.Contracts;
using OkrHost.Rendering;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

public class TeamsIndexTests
{
    [Fact]
    public async Task A_team_whose_okrs_could_not_all_be_scored_shows_its_problems_and_is_not_plainly_healthy()
    {
        var snapshot = SampleSnapshots.Full() with
        {
            OkrProblems =
            [
                Problem.Error("Notion row 'Faster builds' (https://notion.so/1)", "Target is empty"),
                Problem.Error("Notion row 'Fewer pages' (https://notion.so/2)", "Metric is empty"),
                Problem.Warning("$.objectives[0].keyResults[1]", "unknown key 'ownr'"),
            ],
        };
        var index = new TeamsIndex
        {
            GeneratedAt = snapshot.GeneratedAt,
            Teams = [TeamEntry.From("data", 0, "data/report.html", [], snapshot), TeamEntry.From("platform", 0, "platform/report.html", [], SampleSnapshots.Full() with { OkrProblems = [] })],
        };

        var html = System.Net.WebUtility.HtmlDecode(await new HtmlReportRenderer().RenderIndexAsync(index));

        var data = index.Teams[0];
        Assert.False(data.Healthy);
        Assert.Equal(2, data.OkrProblems.Count);
        Assert.Single(data.OkrWarnings);
        Assert.True(index.Teams[1].Healthy);
        Assert.Contains("1 of 2 teams need attention", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"health health-not-configured\">report written; 2 OKR definitions could not be scored</span>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"health health-ok\">report written</span>", html, StringComparison.Ordinal);
        var text = System.Text.RegularExpressions.Regex.Replace(html, "<[^>]+>", "");
        Assert.Contains("2 OKR definitions could not be scored; the first: Notion row 'Faster builds' (https://notion.so/1): Target is empty", text, StringComparison.Ordinal);
        Assert.Contains("1 OKR warning; the first: $.objectives[0].keyResults[1]: unknown key 'ownr'", text, StringComparison.Ordinal);
        Assert.Contains("\"okrProblems\"", TeamsIndex.Serialize(index), StringComparison.Ordinal);
    }
}

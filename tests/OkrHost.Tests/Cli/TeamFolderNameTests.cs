using OkrHost.Testing;

namespace OkrHost.Tests.Cli;

public sealed class TeamFolderNameTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("index.html")]
    [InlineData("index.json")]
    [InlineData("INDEX.HTML")]
    public async Task A_team_folder_named_like_the_index_is_refused_before_anything_is_fetched(string team)
    {
        _folder.File($"teams/{team}/plugins.json", "{}");
        _folder.File("teams/platform/plugins.json", "{}");

        var result = await CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, null, "report", "--config", "teams/*/plugins.json", "--out", "site");

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"'{team}'", result.Error, StringComparison.Ordinal);
        Assert.Contains("index", result.Error, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_folder.Combine("site")));
    }
}

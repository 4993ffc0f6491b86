using OkrHost.Testing;
using OkrHost.Tests.Plugins;

namespace OkrHost.Tests.Hardening;

/// <summary>
/// PRODUCT.md section 7: a plugin's fact types are checked when it loads. A type without a kind, a kind of
/// another source, a shared kind on the plugin's own type, or a getter that throws skips that plugin with a
/// warning naming it and the clash; the rest run, in report, collect and report --facts alike.
/// </summary>
public sealed class FactTypeDeclarationTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _plugins;

    public FactTypeDeclarationTests()
    {
        ThrowawayPlugins.InstallInto(_folder, "OnCallPlugin", "OnCall");
        _plugins = ThrowawayPlugins.InstallInto(_folder, "BadFactsPlugin", "BadFacts");
        _folder.File("pages.csv", "2026-10-03T23:30:00Z,checkout\n");
        // One of them disabled: a disabled plugin's declarations still must not take the run down.
        _folder.File("plugins.json", """{ "sources": { "oncall": { "pagesFile": "pages.csv" }, "borrower": { "enabled": false } } }""");
    }

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Each_plugin_with_bad_fact_types_is_skipped_with_a_warning_naming_it_and_the_clash_and_the_others_report()
    {
        var report = await Run("report", "--period", "2026-10");
        var collect = await Run("collect", "--period", "2026-10", "--out", "facts.json");
        var fromFacts = await Run("report", "--facts", "facts.json", "--out", "from-facts");

        foreach (var result in new[] { report, collect, fromFacts })
        {
            Assert.True(result.ExitCode == 0, result.ToString());
            Assert.Contains("plugins/BadFacts: skipped, source 'unnamed':", result.Error, StringComparison.Ordinal);
            Assert.Contains("UnnamedFact has no [FactKind]", result.Error, StringComparison.Ordinal);
            Assert.Contains("plugins/BadFacts: skipped, source 'borrower':", result.Error, StringComparison.Ordinal);
            Assert.Contains("'slack.war-room'", result.Error, StringComparison.Ordinal);
            Assert.Contains("plugins/BadFacts: skipped, source 'copier':", result.Error, StringComparison.Ordinal);
            Assert.Contains("'deployment'", result.Error, StringComparison.Ordinal);
            Assert.Contains("plugins/BadFacts: skipped, source 'thrower':", result.Error, StringComparison.Ordinal);
            Assert.Contains("the fact types could not be listed", result.Error, StringComparison.Ordinal);
            Assert.DoesNotContain("unexpected failure", result.Error, StringComparison.Ordinal);
        }

        Assert.Contains("\"id\": \"oncall\"", File.ReadAllText(_folder.Combine("out", "report.json")), StringComparison.Ordinal);
        Assert.True(File.Exists(_folder.Combine("from-facts", "report.html")));
    }

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(_folder.Path, _plugins, null, args);
}

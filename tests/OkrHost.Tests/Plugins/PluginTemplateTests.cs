using System.IO.Compression;
using System.Text.Json;
using System.Xml.Linq;
using OkrHost.Contracts;
using OkrHost.Plugins;
using OkrHost.Testing;

namespace OkrHost.Tests.Plugins;

/// <summary>
/// docs/plugins.md's walk-through, end to end: the contracts package, the okrhost-plugin template, the
/// generated tests, and the generated plugin dropped into plugins/ and reporting its example metric.
/// </summary>
public class PluginTemplateTests(PluginTemplateFixture template) : IClassFixture<PluginTemplateFixture>
{
    private const string Metric = PluginTemplateFixture.SourceId + ".example_events";

    [Fact]
    public void The_contracts_package_carries_the_contract_version_and_depends_on_the_hosts_shared_packages()
    {
        Assert.StartsWith($"{PluginCatalog.ContractsMajor}.", PluginTemplateFixture.ContractsVersion, StringComparison.Ordinal);
        using var package = ZipFile.OpenRead(template.Package);
        Assert.Contains(package.Entries, e => e.FullName == "lib/net10.0/OkrHost.Contracts.dll");
        using var nuspecStream = package.Entries.Single(e => e.FullName == "OkrHost.Contracts.nuspec").Open();
        var metadata = XDocument.Load(nuspecStream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        Assert.Equal(PluginTemplateFixture.ContractsVersion, metadata.Elements().Single(e => e.Name.LocalName == "version").Value);

        var hostVersions = XDocument.Load(Path.Combine(RepoPaths.Root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(p => p.Attribute("Include")!.Value, p => p.Attribute("Version")!.Value);
        var dependencies = metadata.Descendants().Where(e => e.Name.LocalName == "dependency")
            .ToDictionary(d => d.Attribute("id")!.Value, d => d.Attribute("version")!.Value);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["System.Composition.AttributedModel"] = hostVersions["System.Composition.AttributedModel"],
                ["Microsoft.Extensions.Logging.Abstractions"] = hostVersions["Microsoft.Extensions.Logging.Abstractions"],
            },
            dependencies);
    }

    [Fact]
    public async Task The_generated_tests_pass_against_the_package()
    {
        var result = await PluginTemplateFixture.Dotnet(template.Solution, "test", "--no-build", "--nologo", "-v", "q");

        Assert.Matches(@"Passed!\s+-\s+Failed:\s+0, Passed:\s+[1-9]", result.Out);
    }

    [Fact]
    public void The_generated_plugin_ships_none_of_what_the_host_shares()
    {
        var files = Directory.GetFiles(template.PluginOutput).Select(Path.GetFileName).ToArray();

        Assert.Contains($"{PluginTemplateFixture.Name}.dll", files);
        Assert.DoesNotContain(files, f => f!.StartsWith("OkrHost.Contracts", StringComparison.Ordinal)
            || f.StartsWith("System.Composition", StringComparison.Ordinal)
            || f.StartsWith("Microsoft.Extensions.Logging", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_generated_plugin_dropped_into_plugins_reports_its_example_metric_from_its_setting()
    {
        using var folder = new TempFolder();
        var plugins = template.InstallInto(folder);
        folder.File("plugins.json", $$"""
            {
              "report": { "title": "Template check", "output": "out" },
              "sources": { "{{PluginTemplateFixture.SourceId}}": { "eventsPerDay": 3 } }
            }
            """);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "report", "--period", "2026-10");

        Assert.True(result.ExitCode == 0, result.ToString());
        using var snapshot = JsonDocument.Parse(File.ReadAllText(folder.Combine("out", "report.json")));
        var source = snapshot.RootElement.GetProperty("sources").EnumerateArray().Single();
        Assert.Equal(PluginTemplateFixture.SourceId, source.GetProperty("id").GetString());
        Assert.Equal("ok", source.GetProperty("status").GetString());
        var metric = snapshot.RootElement.GetProperty("metrics").EnumerateArray().Single(m => m.GetProperty("id").GetString() == Metric);
        Assert.Equal(31 * 3, metric.GetProperty("value").GetDouble());
        Assert.Equal(30 * 3, metric.GetProperty("previous").GetDouble());   // September: a calendar month compares with the previous calendar month
        var trend = metric.GetProperty("trend").EnumerateArray().ToArray();
        Assert.NotEmpty(trend);
        Assert.All(trend, week => Assert.Equal(7 * 3, week.GetProperty("value").GetDouble()));
    }

    [Fact]
    public async Task Without_its_setting_the_generated_plugin_is_listed_as_not_configured()
    {
        using var folder = new TempFolder();
        var plugins = template.InstallInto(folder);

        var result = await CliRunner.RunAsync(folder.Path, plugins, null, "plugins");

        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"pagerduty\s+PagerDuty\s+1\.0\.0\s+1 metrics?\s+not-configured: \$\.sources\.pagerduty\.eventsPerDay: ", result.Out);
    }
}

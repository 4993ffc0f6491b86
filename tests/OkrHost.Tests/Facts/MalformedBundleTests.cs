using System.Text.Json.Nodes;
using OkrHost.Testing;
using OkrHost.Tests.Plugins;

namespace OkrHost.Tests.Facts;

/// <summary>
/// PRODUCT.md section 7: a facts bundle is checked where it is read. Every value of the wrong type or
/// null where the format has none is exit 2 naming the JSON path, never exit 1.
/// </summary>
[Collection(OnCallPluginCollection.Name)]
public sealed class MalformedBundleTests : IDisposable
{
    private readonly TempFolder _folder = new();
    private readonly string _plugins;

    public MalformedBundleTests(OnCallPluginFixture onCall)
    {
        _plugins = onCall.InstallInto(_folder);
        _folder.File("pages.csv", "2026-10-03T23:30:00Z,checkout\n2026-10-09T01:00:00Z,search\n");
        _folder.File("plugins.json", """{ "sources": { "oncall": { "pagesFile": "pages.csv" } } }""");
    }

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData("formatVersion-string", "$.formatVersion")]
    [InlineData("sources-null", "$.sources")]
    [InlineData("period-null", "$.period")]
    [InlineData("fetchWindow-null", "$.fetchWindow")]
    [InlineData("source-null", "$.sources[0]")]
    [InlineData("facts-null", "$.sources[0].facts.facts")]
    [InlineData("fact-null", "$.sources[0].facts.facts[0]")]
    [InlineData("notes-null", "$.sources[0].facts.notes")]
    [InlineData("shard-count-negative", "$.shard.count")]
    [InlineData("objectives-null", "$.okrs.document.objectives")]
    [InlineData("problems-null-item", "$.okrs.problems[0]")]
    [InlineData("target-nan", "$.okrs.document.objectives[0].keyResults[0].target")]
    [InlineData("metric-unknown", "$.okrs.document.objectives[0].keyResults[0].metric")]
    public async Task A_malformed_bundle_exits_2_naming_the_json_path(string damage, string path)
    {
        var collect = await Run("collect", "--period", "2026-10", "--out", "facts.json");
        Assert.True(collect.ExitCode == 0, collect.ToString());
        var bundle = JsonNode.Parse(File.ReadAllText(_folder.Combine("facts.json")))!.AsObject();
        Damage(bundle, damage);
        _folder.File("bad.json", bundle.ToJsonString());

        var result = await Run("report", "--facts", "bad.json", "--out", "from-facts");

        Assert.True(result.ExitCode == 2, $"{damage}: {result}");
        Assert.Contains("bad.json", result.Error, StringComparison.Ordinal);
        Assert.Contains(path, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("unexpected failure", result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("from-facts", "report.json")));
    }

    private static void Damage(JsonObject bundle, string damage)
    {
        var source = bundle["sources"]![0]!.AsObject();
        var okrs = new JsonObject
        {
            ["origin"] = "Notion",
            ["document"] = new JsonObject
            {
                ["objectives"] = new JsonArray(new JsonObject
                {
                    ["title"] = "Quiet nights",
                    ["keyResults"] = new JsonArray(new JsonObject
                    {
                        ["title"] = "Fewer pages", ["metric"] = "oncall.pages", ["target"] = 5, ["baseline"] = null, ["direction"] = "decrease", ["owner"] = null,
                    }),
                }),
                ["problems"] = new JsonArray(),
            },
            ["problems"] = new JsonArray(),
        };
        var keyResult = okrs["document"]!["objectives"]![0]!["keyResults"]![0]!.AsObject();
        switch (damage)
        {
            case "formatVersion-string": bundle["formatVersion"] = "1"; break;
            case "sources-null": bundle["sources"] = null; break;
            case "period-null": bundle["period"] = null; break;
            case "fetchWindow-null": bundle["fetchWindow"] = null; break;
            case "source-null": bundle["sources"]![0] = null; break;
            case "facts-null": source["facts"]!["facts"] = null; break;
            case "fact-null": source["facts"]!["facts"]![0] = null; break;
            case "notes-null": source["facts"]!["notes"] = null; break;
            case "shard-count-negative": bundle["shard"] = new JsonObject { ["index"] = 1, ["count"] = -1 }; break;
            case "objectives-null": okrs["document"]!["objectives"] = null; bundle["okrs"] = okrs; break;
            case "problems-null-item": okrs["problems"] = new JsonArray((JsonNode?)null); bundle["okrs"] = okrs; break;
            case "target-nan": keyResult["target"] = "NaN"; bundle["okrs"] = okrs; break;
            case "metric-unknown": keyResult["metric"] = "oncall.pagez"; bundle["okrs"] = okrs; break;
            default: throw new ArgumentOutOfRangeException(nameof(damage));
        }
    }

    private Task<CliResult> Run(params string[] args) => CliRunner.RunAsync(_folder.Path, _plugins, null, args);
}

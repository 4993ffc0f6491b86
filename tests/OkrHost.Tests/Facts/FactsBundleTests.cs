using System.Text.Json;
using System.Text.Json.Nodes;
using OkrHost.Testing;

namespace OkrHost.Tests.Facts;

/// <summary>
/// <c>okrhost collect</c>, <c>report --facts</c> and <c>merge</c> against the demo sandbox on a fixed clock:
/// a report computed from bundles, sharded or not, is the report of a live run of the same period.
/// </summary>
public sealed class FactsBundleTests(SandboxFixture sandbox) : IClassFixture<SandboxFixture>, IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task Report_from_a_bundle_is_the_live_report_of_the_same_period_and_the_bundle_holds_no_token()
    {
        var tokens = Setup();
        var live = await RunAsync(tokens, "report", "--period", "2026-10", "--out", "live");
        var collect = await RunAsync(tokens, "collect", "--period", "2026-10", "--out", "facts.json");
        var fromFacts = await RunAsync(new Dictionary<string, string>(), "report", "--facts", "facts.json", "--out", "from-facts");

        Assert.True(live.ExitCode == 0, live.ToString());
        Assert.True(collect.ExitCode == 0, collect.ToString());
        Assert.True(fromFacts.ExitCode == 0, fromFacts.ToString());
        Assert.Equal(Comparable("live"), Comparable("from-facts"));

        var bundleText = File.ReadAllText(_folder.Combine("facts.json"));
        Assert.All(tokens.Values, token => Assert.DoesNotContain(token, bundleText, StringComparison.Ordinal));
        var bundle = JsonNode.Parse(bundleText)!;
        Assert.Equal("okrhost-facts", (string?)bundle["format"]);
        Assert.Equal(1, (int?)bundle["formatVersion"]);
        Assert.Equal("2026-10-01T00:00:00+00:00", (string?)bundle["period"]!["from"]);
        var sources = bundle["sources"]!.AsArray();
        Assert.Equal(["github", "linear", "slack", "grafana", "notion"], sources.Select(s => (string?)s!["id"]));
        Assert.All(sources, s => Assert.Equal("ok", (string?)s!["status"]));
        Assert.Contains(sources[0]!["facts"]!["facts"]!.AsArray(), f => (string?)f!["kind"] == "deployment");
        Assert.NotEmpty(bundle["okrs"]!["document"]!["objectives"]!.AsArray());
    }

    [Fact]
    public async Task Bundles_of_different_sources_merge_into_the_live_report()
    {
        var tokens = Setup();
        var live = await RunAsync(tokens, "report", "--period", "2026-10", "--out", "live");
        var some = await RunAsync(tokens, "collect", "--period", "2026-10", "--only", "github,linear,grafana", "--out", "some.json");
        var rest = await RunAsync(tokens, "collect", "--period", "2026-10", "--only", "slack,notion", "--out", "rest.json");

        var fromFacts = await RunAsync(new Dictionary<string, string>(), "report", "--facts", "some.json,rest.json", "--out", "from-facts");

        Assert.True(live.ExitCode == 0 && some.ExitCode == 0 && rest.ExitCode == 0, $"{live}\n{some}\n{rest}");
        Assert.True(fromFacts.ExitCode == 0, fromFacts.ToString());
        Assert.Equal(Comparable("live"), Comparable("from-facts"));
    }

    [Fact]
    public async Task Three_shards_merged_are_the_unsharded_report_each_spending_its_own_token()
    {
        var tokens = Setup();
        var live = await RunAsync(tokens, "report", "--period", "2026-10", "--out", "live");
        Assert.True(live.ExitCode == 0, live.ToString());

        // Shard 2 reads OKRHOST_SANDBOX_GITHUB_TOKEN_2; the sources without a _2 variable keep their own.
        var shardTokens = new Dictionary<string, string>(tokens) { ["OKRHOST_SANDBOX_GITHUB_TOKEN_2"] = tokens["OKRHOST_SANDBOX_GITHUB_TOKEN"] };
        for (var shard = 1; shard <= 3; shard++)
        {
            var collect = await RunAsync(shardTokens, "collect", "--period", "2026-10", "--shard", $"{shard}/3", "--token-env-suffix", $"_{shard}", "--out", $"facts-{shard}.json");
            Assert.True(collect.ExitCode == 0, collect.ToString());
        }

        var merged = await RunAsync(new Dictionary<string, string>(), "merge", "facts-3.json", "facts-1.json", "facts-2.json", "--out", "merged");

        Assert.True(merged.ExitCode == 0, merged.ToString());
        Assert.Equal(Comparable("live"), Comparable("merged"));
        // Numbers that span partitions (DORA over every repository, lead times per repository) are there to compare.
        var metrics = JsonNode.Parse(File.ReadAllText(_folder.Combine("merged", "report.json")))!["metrics"]!.AsArray();
        Assert.All(["dora.deployment_frequency", "dora.change_failure_rate", "github.lead_time_hours.p50", "linear.urgent_bugs_open"],
            id => Assert.NotNull(metrics.Single(m => (string?)m!["id"] == id)!["value"]));
        var bundles = Enumerable.Range(1, 3).Select(i => JsonNode.Parse(File.ReadAllText(_folder.Combine($"facts-{i}.json")))!).ToArray();
        var repositories = bundles.Select(b => Source(b, "github")["partition"]!.AsArray().Select(r => (string)r!).ToArray()).ToArray();
        Assert.All(repositories, Assert.NotEmpty);
        Assert.Equal(sandbox.Server.Org.Repositories.Order(StringComparer.Ordinal), repositories.SelectMany(r => r).Order(StringComparer.Ordinal));
        Assert.True(repositories.Max(r => r.Length) - repositories.Min(r => r.Length) <= 1);
        var mergedGitHub = JsonNode.Parse(File.ReadAllText(_folder.Combine("merged", "report.json")))!["sources"]!.AsArray().Single(s => (string?)s!["id"] == "github")!;
        Assert.Equal(bundles.Sum(b => (long)Source(b, "github")["requests"]!), (long)mergedGitHub["requests"]!);
        Assert.Equal(bundles.Max(b => (long)Source(b, "github")["durationMs"]!), (long)mergedGitHub["durationMs"]!);
        // Slack cannot be split: shard 1 collects it, the others leave it out.
        Assert.Equal([true, false, false], bundles.Select(b => (bool)Source(b, "slack")["inShard"]!));
        Assert.Equal(["ok", "disabled", "disabled"], bundles.Select(b => (string?)Source(b, "slack")["status"]));
        Assert.Null(bundles[1]["okrs"]);
    }

    [Fact]
    public async Task A_shard_reads_the_suffixed_token_variable_when_it_is_set()
    {
        var tokens = Setup();
        var wrong = new Dictionary<string, string>(tokens) { ["OKRHOST_SANDBOX_GITHUB_TOKEN_2"] = "not-the-token" };

        var result = await RunAsync(wrong, "collect", "--period", "2026-10", "--shard", "2/3", "--token-env-suffix", "_2", "--out", "facts-2.json");

        Assert.True(result.ExitCode == 3, result.ToString());
        Assert.Contains("error: source github failed", result.Error, StringComparison.Ordinal);
        Assert.Contains("OKRHOST_SANDBOX_GITHUB_TOKEN_2", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Merging_without_every_shard_or_outside_the_fetch_window_is_refused_with_exit_code_2()
    {
        var tokens = Setup();
        Assert.Equal(0, (await RunAsync(tokens, "collect", "--period", "2026-10", "--shard", "1/2", "--out", "facts-1.json")).ExitCode);
        Assert.Equal(0, (await RunAsync(tokens, "collect", "--period", "2026-10", "--out", "whole.json")).ExitCode);

        var missing = await RunAsync(tokens, "merge", "facts-1.json", "--out", "merged");
        var outside = await RunAsync(tokens, "report", "--facts", "whole.json", "--period", "2026-11", "--out", "later");
        var notABundle = await RunAsync(tokens, "report", "--facts", "plugins.json", "--out", "bad");

        Assert.True(missing.ExitCode == 2, missing.ToString());
        Assert.Contains("shard 2/2 missing", missing.Error, StringComparison.Ordinal);
        Assert.True(outside.ExitCode == 2, outside.ToString());
        Assert.Contains("the report for [2026-11-01T00:00:00Z, 2026-12-01T00:00:00Z) needs facts for", outside.Error, StringComparison.Ordinal);
        // October's key results are judged over rolling 31-day windows back to 2026-07-09 (PRODUCT.md section 8).
        Assert.Contains("cover [2026-07-09T00:00:00Z, 2026-11-01T00:00:00Z) only", outside.Error, StringComparison.Ordinal);
        Assert.True(notABundle.ExitCode == 2, notABundle.ToString());
        Assert.Contains("plugins.json: $.format: not an okrhost facts bundle", notABundle.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(_folder.Combine("merged", "report.json")));
    }

    private IReadOnlyDictionary<string, string> Setup()
    {
        var (sources, tokens) = sandbox.Server.DemoSources();
        _folder.File("plugins.json", new JsonObject { ["okrs"] = new JsonObject { ["source"] = "notion" }, ["sources"] = sources }.ToJsonString());
        return tokens;
    }

    private Task<CliResult> RunAsync(IReadOnlyDictionary<string, string> variables, params string[] args) =>
        CliRunner.RunAsync(_folder.Path, RepoPaths.HostPlugins, variables, new CliRunOptions { Clock = new FixedClock(SandboxFixture.Now) }, args);

    private static JsonNode Source(JsonNode bundle, string id) => bundle["sources"]!.AsArray().Single(s => (string?)s!["id"] == id)!;

    /// <summary>report.json without what differs between two runs of the same numbers: when, how many requests, how long.</summary>
    private string Comparable(string folder)
    {
        var report = JsonNode.Parse(File.ReadAllText(_folder.Combine(folder, "report.json")))!.AsObject();
        report.Remove("generatedAt");
        // Where the last stored run stood says which runs the store holds, not what the facts give.
        report.Remove("lastRunAt");
        foreach (var keyResult in report["okrs"]!.AsArray().SelectMany(o => o!["keyResults"]!.AsArray()))
        {
            keyResult!.AsObject().Remove("lastRun");
        }

        foreach (var source in report["sources"]!.AsArray())
        {
            source!.AsObject().Remove("requests");
            source.AsObject().Remove("durationMs");
        }

        return report.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}

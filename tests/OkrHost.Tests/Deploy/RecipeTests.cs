using System.Text.RegularExpressions;
using OkrHost.Testing;
using YamlDotNet.RepresentationModel;

namespace OkrHost.Tests.Deploy;

/// <summary>
/// What can be checked offline about the shipped recipes (deploy/): they parse, every okrhost command
/// they run exists with those options, every secret and variable they name is documented, and the
/// Kubernetes objects are complete and agree on the number of shards.
/// </summary>
public partial class RecipeTests
{
    private const string Workflow = "deploy/github-actions/okrhost.yml";
    private const string CronJob = "deploy/kubernetes/cronjob.yaml";

    /// <summary>
    /// Awaiting #17 shards: command lines using <c>collect --shard</c> and <c>merge</c>, written as they
    /// will be run, which the CLI cannot parse until those land. The test below fails both when any
    /// other line fails to parse (a typo) and when one of these starts parsing: then delete it here.
    /// </summary>
    private static readonly string[] AwaitingShards =
    [
        $"{Workflow}: okrhost collect --config plugins.json --shard ${{{{ matrix.shard }}}}/${{{{ strategy.job-total }}}} --out facts-${{{{ matrix.shard }}}}.json",
        $"{Workflow}: okrhost merge facts/facts-*.json --config plugins.json --out site/",
        $"{CronJob}: okrhost collect --config /etc/okrhost/plugins.json --shard \"$SHARD/$SHARDS\" --out \"$RUN/partial-$SHARD.json\"",
        $"{CronJob}: okrhost merge \"$RUN\"/facts-*.json --config /etc/okrhost/plugins.json --out /data/site",
    ];

    [Fact]
    public void Every_recipe_is_valid_yaml_and_both_recipes_are_there()
    {
        var files = Recipes.Load();

        Assert.Contains(files, f => f.Path == Workflow);
        Assert.Contains(files, f => f.Path == CronJob);
        Assert.All(files, f => Assert.NotEmpty(f.Documents));
    }

    [Fact]
    public async Task Every_okrhost_command_line_parses_with_the_cli_except_those_awaiting_shards()
    {
        var commands = Recipes.Commands(Recipes.Load());

        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var command in commands)
        {
            var result = await CliRunner.ParseAsync([.. command.Command.Words.Skip(1)]);
            Assert.True(result.ExitCode is 0 or 2, $"{command}\n{result}");
            if (result.ExitCode != 0)
            {
                failures[command.ToString()] = result.Error;
            }
        }

        Assert.Contains(commands, c => c.Command.Words.ElementAtOrDefault(1) == "validate");
        Assert.Equal(2, (await CliRunner.ParseAsync("validate", "--config", "plugins.json", "--no-such-option")).ExitCode);
        var broken = failures.Where(f => !AwaitingShards.Contains(f.Key)).Select(f => $"{f.Key}\n{f.Value}").ToArray();
        Assert.True(broken.Length == 0, $"these recipe command lines do not parse:\n{string.Join("\n", broken)}");
        var landed = AwaitingShards.Where(line => !failures.ContainsKey(line)).ToArray();
        Assert.True(landed.Length == 0, $"these now parse (or are gone): delete them from {nameof(AwaitingShards)}:\n{string.Join("\n", landed)}");
    }

    [Fact]
    public void Every_secret_and_variable_the_recipes_name_is_documented()
    {
        var files = Recipes.Load();
        var documentation = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "scale-out.md"));

        var named = files.SelectMany(NamedSecretsAndVariables).Distinct().Order(StringComparer.Ordinal).ToArray();

        Assert.Contains("OKRHOST_GITHUB_TOKEN_3", named);
        Assert.Contains("okrhost-tokens", named);
        Assert.Contains("OKRHOST_DATABASE", named);
        Assert.DoesNotContain(named, name => !documentation.Contains($"`{name}`", StringComparison.Ordinal));
    }

    [Fact]
    public void Each_workflow_shard_is_one_matrix_job_with_its_own_token()
    {
        var workflow = Recipes.File(Workflow).Documents.Single();
        var collect = workflow.At("jobs", "collect")!;

        var shards = collect.Items("strategy", "matrix", "shard").Select(s => int.Parse(((YamlScalarNode)s).Value!, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var step = collect.Items("steps").Single(s => s.Text("run")?.Contains("okrhost collect", StringComparison.Ordinal) == true);

        Assert.Equal(Enumerable.Range(1, shards.Length), shards);
        Assert.True(shards.Length > 1);
        Assert.Equal("${{ secrets[format('OKRHOST_GITHUB_TOKEN_{0}', matrix.shard)] }}", step.Text("env", "GITHUB_TOKEN"));
        var command = Recipes.Commands([Recipes.File(Workflow)]).Single(c => c.Command.Words.ElementAtOrDefault(1) == "collect").Command;
        Assert.Contains("--shard ${{ matrix.shard }}/${{ strategy.job-total }}", command.Raw, StringComparison.Ordinal);
        Assert.Equal(["package", "collect"], JobNeeds(workflow, "collect", "merge"));
    }

    [Fact]
    public void Every_kubernetes_object_has_api_version_kind_and_name_and_the_kustomization_lists_them_all()
    {
        var files = Recipes.Load().Where(f => f.Path.StartsWith("deploy/kubernetes/", StringComparison.Ordinal)).ToArray();

        Assert.All(files.SelectMany(f => f.Documents.Select(d => (f.Path, Document: d))), o =>
        {
            Assert.False(string.IsNullOrEmpty(o.Document.Text("apiVersion")), $"{o.Path}: apiVersion");
            Assert.False(string.IsNullOrEmpty(o.Document.Text("kind")), $"{o.Path}: kind");
            Assert.False(string.IsNullOrEmpty(o.Document.Text("metadata", "name")), $"{o.Path}: metadata.name");
        });
        var kustomization = files.Single(f => f.Path.EndsWith("/kustomization.yaml", StringComparison.Ordinal)).Documents.Single();
        var listed = kustomization.Items("resources").Select(r => $"deploy/kubernetes/{((YamlScalarNode)r).Value}").Order(StringComparer.Ordinal);
        Assert.Equal(files.Select(f => f.Path).Where(p => !p.EndsWith("/kustomization.yaml", StringComparison.Ordinal)).Order(StringComparer.Ordinal), listed);
    }

    [Fact]
    public void The_indexed_job_runs_one_pod_per_shard_each_with_its_own_token()
    {
        var cronJob = Recipes.File(CronJob).Documents.Single();
        var job = cronJob.At("spec", "jobTemplate", "spec")!;
        var container = job.Items("template", "spec", "containers").Single();
        var shards = int.Parse(container.Items("env").Single(e => e.Text("name") == "SHARDS").Text("value")!, System.Globalization.CultureInfo.InvariantCulture);
        var collect = Recipes.Commands([Recipes.File(CronJob)]).Single(c => c.Command.Words.ElementAtOrDefault(1) == "collect").Command;
        var tokens = job.Items("template", "spec", "volumes").Single(v => v.Text("name") == "github-tokens");

        Assert.Equal("CronJob", cronJob.Text("kind"));
        Assert.Equal("Indexed", job.Text("completionMode"));
        Assert.True(shards > 1);
        Assert.Equal(shards, int.Parse(job.Text("completions")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(shards, int.Parse(job.Text("parallelism")!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("--shard \"$SHARD/$SHARDS\"", collect.Raw, StringComparison.Ordinal);
        Assert.Contains("SHARD=$((JOB_COMPLETION_INDEX + 1))", ((YamlScalarNode)container.Items("args").Single()).Value, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, shards).Select(i => $"GITHUB_TOKEN_{i}"), tokens.Items("secret", "items").Select(i => i.Text("key")));
    }

    [Fact]
    public async Task The_kubernetes_config_map_holds_a_config_and_okrs_that_validate()
    {
        var config = Recipes.File("deploy/kubernetes/config.yaml").Documents.Single();
        using var folder = new TempFolder();
        folder.File("plugins.json", config.Text("data", "plugins.json")!);
        folder.File("okrs.json", config.Text("data", "okrs.json")!);

        var result = await CliRunner.RunAsync(folder.Path, RepoPaths.HostPlugins, null, "validate", "--config", "plugins.json");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("ok: ", result.Out, StringComparison.Ordinal);
    }

    private static string[] JobNeeds(YamlNode workflow, params string[] jobs) =>
        jobs.Select(job => workflow.Text("jobs", job, "needs")!).ToArray();

    /// <summary>Secrets and environment variables a recipe names, by their names in the recipe.</summary>
    private static IEnumerable<string> NamedSecretsAndVariables(RecipeFile file)
    {
        var matrixShards = file.Documents.SelectMany(d => d.Items("jobs", "collect", "strategy", "matrix", "shard")).Select(s => ((YamlScalarNode)s).Value!).ToArray();
        foreach (var node in file.Documents.SelectMany(Recipes.Descendants))
        {
            switch (node)
            {
                case YamlScalarNode { Value: { } text }:
                    foreach (Match match in SecretReference().Matches(text))
                    {
                        yield return match.Groups["name"].Value;
                    }

                    foreach (Match match in SecretPerShard().Matches(text))
                    {
                        foreach (var shard in matrixShards)
                        {
                            yield return string.Format(System.Globalization.CultureInfo.InvariantCulture, match.Groups["format"].Value, shard);
                        }
                    }

                    break;
                case YamlMappingNode mapping:
                    // A workflow's env: { NAME: value }, a container's env: [{ name: NAME }].
                    if (mapping.At("env") is YamlMappingNode workflowEnv)
                    {
                        foreach (var name in workflowEnv.Children.Keys.OfType<YamlScalarNode>())
                        {
                            yield return name.Value!;
                        }
                    }

                    foreach (var name in mapping.Items("env").Select(e => e.Text("name")).OfType<string>())
                    {
                        yield return name;
                    }

                    foreach (var reference in new[] { mapping.At("secretKeyRef"), mapping.At("secretRef") }.OfType<YamlNode>())
                    {
                        yield return reference.Text("name")!;
                        if (reference.Text("key") is { } key)
                        {
                            yield return key;
                        }
                    }

                    if (mapping.At("secret") is { } volume)
                    {
                        yield return volume.Text("secretName")!;
                        foreach (var key in volume.Items("items").Select(i => i.Text("key")).OfType<string>())
                        {
                            yield return key;
                        }
                    }

                    break;
            }
        }
    }

    [GeneratedRegex(@"secrets\.(?<name>[A-Za-z0-9_]+)")]
    private static partial Regex SecretReference();

    [GeneratedRegex(@"secrets\[format\('(?<format>[A-Za-z0-9_]*\{0\}[A-Za-z0-9_]*)'")]
    private static partial Regex SecretPerShard();
}

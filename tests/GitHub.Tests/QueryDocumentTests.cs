using GraphQL;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using OkrHost.Plugins.GitHub;
using OkrHost.Sandbox.GitHub;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace GitHub.Tests;

/// <summary>Every document the plugin can send is valid against GitHub's published schema.</summary>
public sealed class QueryDocumentTests(ITestOutputHelper output)
{
    // GitHub's published schema as the repository carries it (sandbox/Data, from @octokit/graphql-schema 15.26.1).
    private static readonly Lazy<ISchema> ReferenceSchema = new(() => GitHubSchema.Build(File.ReadAllText(Path.Combine(RepoPaths.SandboxData, "github-schema.graphql"))));

    public static TheoryData<int> RepositoriesPerQuery => [.. Enumerable.Range(1, GitHubQueries.RepositoriesPerQuery)];

    [Theory]
    [MemberData(nameof(RepositoriesPerQuery))]
    public async Task Every_query_validates_against_the_published_schema_with_the_variables_the_plugin_sends(int repositories)
    {
        var repositoryVariables = string.Concat(Enumerable.Range(0, repositories).Select(i =>
            $""","owner{i}":"acme","name{i}":"api{i}","after{i}":null,"oid{i}":"0123456789abcdef0123456789abcdef01234567" """));
        foreach (var (document, operation, shared) in new[]
                 {
                     (GitHubQueries.Deployments(repositories), GitHubQueries.DeploymentsOperation, $$"""{"first":100,"statuses":{{GitHubQueries.StatusesPerDeployment}}"""),
                     (GitHubQueries.History(repositories), GitHubQueries.HistoryOperation, $$"""{"first":50,"parents":{{GitHubQueries.ParentsPerCommit}}"""),
                 })
        {
            // Each operation declares only its own variables: the other one's are left out.
            var variables = operation == GitHubQueries.DeploymentsOperation
                ? System.Text.RegularExpressions.Regex.Replace(repositoryVariables, @",""oid\d+"":""[0-9a-f]+"" ", "")
                : repositoryVariables;
            var result = await new DocumentExecuter().ExecuteAsync(options =>
            {
                options.Schema = ReferenceSchema.Value;
                options.Query = document;
                options.OperationName = operation;
                options.Variables = new GraphQLSerializer().Deserialize<Inputs>(shared + variables + "}");
            });

            // Validated (document and variables) and run: the resolvers, given no emulator data, may fail.
            Assert.True(result.Executed, string.Join("\n", result.Errors?.Select(e => e.Message) ?? []));
            Assert.DoesNotContain(result.Errors ?? [], e => e is GraphQL.Validation.ValidationError);
        }
    }

    [Fact]
    public void Every_document_the_plugin_can_send_is_covered_by_the_validation_theory() =>
        Assert.Equal(GitHubQueries.All, Enumerable.Range(1, RepositoriesPerQuery.Count).SelectMany(n => new[] { GitHubQueries.Deployments(n), GitHubQueries.History(n) }));

    [Fact]
    public async Task A_document_with_a_field_GitHub_does_not_have_fails_validation_against_the_same_schema()
    {
        var result = await new DocumentExecuter().ExecuteAsync(options =>
        {
            options.Schema = ReferenceSchema.Value;
            options.Query = GitHubQueries.Deployments(1).Replace("commitOid", "sha", StringComparison.Ordinal);
            options.Variables = new GraphQLSerializer().Deserialize<Inputs>("""{"first":1,"statuses":1,"owner0":"acme","name0":"api"}""");
        });

        Assert.False(result.Executed);
        Assert.Contains(result.Errors!, error => error.Message.Contains("'sha'", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sandbox_schema_builds_once_per_process_and_reports_its_build_time()
    {
        Assert.NotNull(GitHubSchema.Schema.Query.GetField("repository"));
        Assert.Same(GitHubSchema.Schema, GitHubSchema.Schema);
        output.WriteLine($"GitHub schema build time: {GitHubSchema.BuildTime.TotalMilliseconds:0} ms");
        Assert.True(GitHubSchema.BuildTime > TimeSpan.Zero);
    }
}

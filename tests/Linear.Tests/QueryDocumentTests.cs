using System.Text.Json;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.SystemTextJson;
using GraphQL.Types;
using OkrHost.Plugins.Linear;
using OkrHost.Sandbox.Linear;
using OkrHost.Testing;
using Xunit.Abstractions;

namespace Linear.Tests;

/// <summary>Every document the plugin can send is valid against Linear's published schema.</summary>
public sealed class QueryDocumentTests(ITestOutputHelper output)
{
    // Linear's published schema as the repository carries it (sandbox/Data, copied from linear/linear), with
    // resolvers that answer nothing: the plugin is checked against what Linear publishes, whatever the emulator does.
    private static readonly Lazy<ISchema> ReferenceSchema = new(() => LinearSchema.Build(
        File.ReadAllText(Path.Combine(RepoPaths.SandboxData, "linear-schema.graphql")),
        new FuncFieldResolver<object>(_ => new { Nodes = Array.Empty<object>(), PageInfo = new { HasNextPage = false, EndCursor = (string?)null } })));

    // Each document with the variables the plugin sends with it.
    public static TheoryData<string, string, string> Documents => new()
    {
        { LinearQueries.Issues(filterTeams: true), LinearQueries.IssuesOperation, """{"from":"2026-09-01T00:00:00.000Z","to":"2026-10-31T00:00:00.000Z","bugLabel":"Bug","teams":["ENG"],"after":"5f0e3c0a-1111-4c1b-9a65-0a1b2c3d4e5f"}""" },
        { LinearQueries.Issues(filterTeams: false), LinearQueries.IssuesOperation, """{"from":"2026-09-01T00:00:00.000Z","to":"2026-10-31T00:00:00.000Z","bugLabel":"Bug","after":null}""" },
        { LinearQueries.UpdatedIssues, LinearQueries.UpdatedIssuesOperation, """{"since":"2026-10-30T23:50:00.000Z","after":"5f0e3c0a-1111-4c1b-9a65-0a1b2c3d4e5f"}""" },
    };

    [Theory]
    [MemberData(nameof(Documents))]
    public async Task Every_query_validates_against_the_published_schema_with_the_variables_the_plugin_sends(string document, string operation, string variables)
    {
        var result = await new DocumentExecuter().ExecuteAsync(options =>
        {
            options.Schema = ReferenceSchema.Value;
            options.Query = document;
            options.OperationName = operation;
            options.Variables = new GraphQLSerializer().Deserialize<Inputs>(variables);
        });

        Assert.True(result.Errors is null or { Count: 0 }, string.Join("\n", result.Errors?.Select(e => e.Message) ?? []));
        Assert.True(result.Executed);
    }

    [Fact]
    public void Every_document_the_plugin_can_send_is_covered_by_the_validation_theory() =>
        Assert.Equal(LinearQueries.All, Documents.Select(row => (string)row[0]));

    [Fact]
    public async Task A_document_with_a_field_Linear_does_not_have_fails_validation_against_the_same_schema()
    {
        var result = await new DocumentExecuter().ExecuteAsync(options =>
        {
            options.Schema = ReferenceSchema.Value;
            options.Query = LinearQueries.Issues(false).Replace("archivedAt", "closedAt", StringComparison.Ordinal);
        });

        Assert.False(result.Executed);
        Assert.Contains(result.Errors!, error => error.Message.Contains("closedAt", StringComparison.Ordinal));
    }

    [Fact]
    public void The_sandbox_schema_builds_once_per_process_and_reports_its_build_time()
    {
        Assert.NotNull(LinearSchema.Schema.Query.GetField("issues"));
        Assert.Same(LinearSchema.Schema, LinearSchema.Schema);
        output.WriteLine($"Linear schema build time: {LinearSchema.BuildTime.TotalMilliseconds:0} ms");
        Assert.True(LinearSchema.BuildTime > TimeSpan.Zero);
    }
}

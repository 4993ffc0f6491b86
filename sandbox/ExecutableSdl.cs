using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQL.Utilities;
using GraphQLParser.AST;

namespace OkrHost.Sandbox;

/// <summary>
/// A service's published GraphQL schema (SDL) made executable with GraphQL.NET schema-first, so a document
/// the real API would reject fails the same validation in its emulator. Fields without a resolver resolve
/// by name from the returned objects.
/// </summary>
internal static class ExecutableSdl
{
    /// <param name="sdl">The schema as the service publishes it.</param>
    /// <param name="configure">Resolvers (and type resolution of interfaces and unions) for what the emulator serves.</param>
    /// <param name="scalar">The graph type of each custom scalar by name; null passes values through unchanged.</param>
    public static ISchema Build(string sdl, Action<SchemaBuilder, IReadOnlyList<ASTNode>> configure, Func<string, ScalarGraphType?> scalar)
    {
        var document = GraphQLParser.Parser.Parse(sdl);
        var definitions = document.Definitions;
        if (RemoveRepeatedFields(definitions))
        {
            using var writer = new StringWriter();
            new GraphQLParser.Visitors.SDLPrinter().PrintAsync(document, writer).AsTask().GetAwaiter().GetResult();
            sdl = writer.ToString();
        }

        var schema = Schema.For(sdl, builder =>
        {
            // Unions and interfaces need a way to pick the concrete type; where the emulator returns none
            // typed as one, the answer is never needed.
            foreach (var name in definitions.OfType<GraphQLUnionTypeDefinition>().Select(d => d.Name.StringValue)
                         .Concat(definitions.OfType<GraphQLInterfaceTypeDefinition>().Select(d => d.Name.StringValue)))
            {
                builder.Types.For(name).ResolveType = _ => null!;
            }

            // Subscriptions are part of a published schema but not of an emulator.
            var subscription = definitions.OfType<GraphQLObjectTypeDefinition>().SingleOrDefault(d => d.Name.StringValue == "Subscription");
            foreach (var field in subscription?.Fields?.Items ?? [])
            {
                builder.Types.For("Subscription").FieldFor(field.Name.StringValue).StreamResolver =
                    new SourceStreamResolver<object>((Func<IResolveFieldContext, IObservable<object?>>)(_ =>
                        throw new ExecutionError("Subscriptions are not served by the sandbox")));
            }

            configure(builder, definitions);
        });

        foreach (var name in definitions.OfType<GraphQLScalarTypeDefinition>().Select(d => d.Name.StringValue))
        {
            schema.RegisterType(scalar(name) ?? new OpaqueScalar(name));
        }

        schema.Initialize();
        return schema;
    }

    /// <summary>
    /// GitHub's published SDL declares some fields twice in one type (<c>EnterpriseOwnerInfo</c>); GraphQL.NET
    /// refuses a repeated field, GitHub serves one: the first declaration is kept.
    /// </summary>
    private static bool RemoveRepeatedFields(IEnumerable<ASTNode> definitions)
    {
        var removed = false;
        foreach (var fields in definitions.Select(d => d switch
                 {
                     GraphQLObjectTypeDefinition type => type.Fields?.Items,
                     GraphQLInterfaceTypeDefinition type => type.Fields?.Items,
                     _ => null,
                 }).OfType<List<GraphQLFieldDefinition>>())
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            removed |= fields.RemoveAll(field => !seen.Add(field.Name.StringValue)) > 0;
        }

        return removed;
    }

    /// <summary>The SDL embedded in the sandbox assembly as <c>Data/<paramref name="file"/></c>.</summary>
    public static string ReadEmbedded(string file)
    {
        var resource = $"OkrHost.Sandbox.Data.{file}";
        using var stream = typeof(ExecutableSdl).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"embedded resource {resource} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>A scalar the emulator never reads or writes: values pass through unchanged.</summary>
internal sealed class OpaqueScalar : ScalarGraphType
{
    public OpaqueScalar(string name) => Name = name;

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue text => (string)text.Value,
        GraphQLIntValue number => (string)number.Value,
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value;

    public override object? Serialize(object? value) => value;
}

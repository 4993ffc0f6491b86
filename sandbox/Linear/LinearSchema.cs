using System.Diagnostics;
using System.Globalization;
using GraphQL;
using GraphQL.Resolvers;
using GraphQL.Types;
using GraphQLParser.AST;

namespace OkrHost.Sandbox.Linear;

/// <summary>
/// Linear's published GraphQL schema (the SDL embedded as <c>Data/linear-schema.graphql</c>), executable:
/// a document the real API would reject fails the same validation here. Only <c>Query.issues</c> has a
/// resolver; every other field the plugin reads resolves by name from <see cref="IssueNode"/>.
/// </summary>
public static class LinearSchema
{
    // Building ~50k lines of SDL takes about half a second: once per process, shared by every emulator
    // (resolvers reach their emulator's data through the execution's root value).
    private static readonly Lazy<(ISchema Schema, TimeSpan BuildTime)> Built = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>The executable schema.</summary>
    public static ISchema Schema => Built.Value.Schema;

    /// <summary>How long parsing the SDL and initialising the schema took in this process.</summary>
    public static TimeSpan BuildTime => Built.Value.BuildTime;

    /// <summary>The SDL text as published by Linear.</summary>
    public static string ReadSdl() => ExecutableSdl.ReadEmbedded("linear-schema.graphql");

    /// <summary>
    /// Builds an executable schema from <paramref name="sdl"/> with the given <c>Query.issues</c> resolver.
    /// Public so tests can validate documents against the reference copy of the SDL as well.
    /// </summary>
    public static ISchema Build(string sdl, IFieldResolver? issuesResolver) => ExecutableSdl.Build(
        sdl,
        (builder, _) =>
        {
            if (issuesResolver is not null)
            {
                builder.Types.For("Query").FieldFor("issues").Resolver = issuesResolver;
            }
        },
        scalar => scalar switch
        {
            "DateTime" => new LinearDateTimeScalar(),
            "DateTimeOrDuration" => new DateTimeOrDurationScalar(),
            _ => null,
        });

    private static (ISchema, TimeSpan) Build()
    {
        var stopwatch = Stopwatch.StartNew();
        var schema = Build(ReadSdl(), new FuncFieldResolver<object>(IssuesResolver.Resolve));
        return (schema, stopwatch.Elapsed);
    }
}

/// <summary>Linear's <c>DateTime</c>: ISO 8601 in UTC with milliseconds, as the API writes it.</summary>
internal sealed class LinearDateTimeScalar : ScalarGraphType
{
    public LinearDateTimeScalar() => Name = "DateTime";

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue text => ParseValue((string)text.Value),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) => at,
        DateTimeOffset at => at,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value switch
    {
        null => null,
        DateTimeOffset at => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture),
        _ => ThrowSerializationError(value),
    };
}

/// <summary>
/// Linear's <c>DateTimeOrDuration</c>: an ISO 8601 date-time, or a duration such as <c>-P2W1D</c> relative
/// to now. Kept as text here because "now" is the emulator's clock, resolved when the filter runs.
/// </summary>
internal sealed class DateTimeOrDurationScalar : ScalarGraphType
{
    public DateTimeOrDurationScalar() => Name = "DateTimeOrDuration";

    public override object? ParseLiteral(GraphQLValue value) => value switch
    {
        GraphQLStringValue text => ParseValue((string)text.Value),
        GraphQLNullValue => null,
        _ => ThrowLiteralConversionError(value),
    };

    public override object? ParseValue(object? value) => value switch
    {
        null => null,
        string text when LinearTime.TryParse(text, DateTimeOffset.UnixEpoch, out _) => text,
        _ => ThrowValueConversionError(value),
    };

    public override object? Serialize(object? value) => value?.ToString();
}

/// <summary>Linear's date inputs: ISO 8601 instants, or durations relative to now (<c>-P2W1D</c>).</summary>
internal static class LinearTime
{
    public static bool TryParse(string text, DateTimeOffset now, out DateTimeOffset at)
    {
        var negative = text.StartsWith('-');
        var body = negative ? text[1..] : text;
        if (body.StartsWith('P'))
        {
            if (TryParseDuration(body, out var duration))
            {
                at = negative ? now - duration : now + duration;
                return true;
            }

            at = default;
            return false;
        }

        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    private static bool TryParseDuration(string text, out TimeSpan duration)
    {
        // XmlConvert knows P…DT…H…M…S but not weeks, which Linear accepts (P2W).
        var weeks = 0;
        var weekMark = text.IndexOf('W', StringComparison.Ordinal);
        if (weekMark > 0)
        {
            if (!int.TryParse(text.AsSpan(1, weekMark - 1), NumberStyles.None, CultureInfo.InvariantCulture, out weeks))
            {
                duration = default;
                return false;
            }

            text = "P" + text[(weekMark + 1)..];
        }

        if (text == "P")
        {
            duration = TimeSpan.FromDays(7 * weeks);
            return weeks > 0;
        }

        try
        {
            duration = System.Xml.XmlConvert.ToTimeSpan(text) + TimeSpan.FromDays(7 * weeks);
            return true;
        }
        catch (FormatException)
        {
            duration = default;
            return false;
        }
    }
}

using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

internal static class WireMockExtensions
{
    /// <summary>The server's base URL on 127.0.0.1 (a loopback address, so tokens may go over http).</summary>
    public static Uri LoopbackUrl(this WireMockServer server) => new($"http://127.0.0.1:{server.Port}/");

    /// <summary>Requests the server received for <paramref name="path"/>, oldest first.</summary>
    public static IReadOnlyList<WireMock.Logging.ILogEntry> Received(this WireMockServer server, string path) =>
        server.LogEntries.Where(e => e.RequestMessage.Path == path).OrderBy(e => e.RequestMessage.DateTime).ToArray();

    /// <summary>A request header's value as received, or null.</summary>
    public static string? Header(this WireMock.Logging.ILogEntry entry, string name) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    /// <summary>Answers successive requests to <paramref name="path"/> with <paramref name="answers"/> in turn; the last one sticks.</summary>
    public static void GivenSequence(this WireMockServer server, string path, string method, params IResponseBuilder[] answers)
    {
        for (var i = 0; i < answers.Length; i++)
        {
            var mapping = server.Given(Request.Create().WithPath(path).UsingMethod(method)).InScenario(method + path);
            if (i > 0)
            {
                mapping = mapping.WhenStateIs($"answered {i}");
            }

            if (i < answers.Length - 1)
            {
                mapping = mapping.WillSetStateTo($"answered {i + 1}");
            }

            mapping.RespondWith(answers[i]);
        }
    }
}

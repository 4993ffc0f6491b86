using System.Net.Http.Headers;
using OkrHost.Contracts;

namespace OkrHost.Http;

/// <summary>Refuses to send a credential where it could be read on the wire.</summary>
public static class TokenGuard
{
    public static void EnsureSafe(HttpRequestMessage request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.Authorization is null || request.RequestUri is not { } uri)
        {
            return;
        }

        if (uri.Scheme == Uri.UriSchemeHttps || uri.IsLoopback)
        {
            return;
        }

        throw new SourceException(
            $"refusing to send a token over plain http to {uri.Host}: use an https:// baseUrl (plain http is allowed only for loopback addresses)");
    }
}

/// <summary>Convenience for plugins' tests and the host: an Authorization header.</summary>
public static class Authorization
{
    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);
}

using System.Text;

namespace OkrHost.Http;

/// <summary>
/// URLs as they may appear in logs and messages: no user info, and the value of every query parameter
/// whose name mentions a token, key or secret replaced.
/// </summary>
internal static class RedactedUrl
{
    private static readonly string[] SecretNameParts = ["token", "key", "secret", "password", "signature"];

    public static string For(Uri? uri)
    {
        if (uri is null)
        {
            return "(no url)";
        }

        if (!uri.IsAbsoluteUri)
        {
            return RedactQuery(uri.OriginalString);
        }

        var path = uri.GetComponents(UriComponents.SchemeAndServer | UriComponents.Path, UriFormat.UriEscaped);
        return uri.Query.Length == 0 ? path : path + RedactQuery(uri.Query);
    }

    /// <summary>Host and path only, for failure messages shown to the user: "api.github.com/repos/acme/api/deployments".</summary>
    public static string HostAndPath(Uri? uri) =>
        uri is { IsAbsoluteUri: true }
            ? uri.GetComponents(UriComponents.Host | UriComponents.Port | UriComponents.Path, UriFormat.Unescaped)
            : "(no url)";

    private static string RedactQuery(string text)
    {
        var queryStart = text.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return text;
        }

        var builder = new StringBuilder(text, 0, queryStart + 1, text.Length);
        var pairs = text[(queryStart + 1)..].Split('&');
        for (var i = 0; i < pairs.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('&');
            }

            var pair = pairs[i];
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? pair : pair[..equals];
            var secret = SecretNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));
            builder.Append(secret && equals >= 0 ? name + "=REDACTED" : pair);
        }

        return builder.ToString();
    }
}

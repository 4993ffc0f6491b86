using System.Data.Common;
using System.Text;
using System.Text.RegularExpressions;

namespace OkrHost.Security;

/// <summary>
/// The one place secrets are taken out of text before it is printed, logged, rendered or stored. It is
/// fed every configured token value, every URL user-info and every connection string of a run, and it
/// also removes what looks like a credential whatever its source (a service echoing an
/// <c>Authorization</c> header, a URL with <c>user:password@</c>). Thread-safe; secrets can be added
/// while writers that use it are already printing.
/// </summary>
public sealed partial class Redactor
{
    /// <summary>What a secret is replaced with.</summary>
    public const string Mask = "[redacted]";

    // Shorter values would mask ordinary words and numbers; no real token is this short.
    private const int MinimumSecretLength = 4;

    private readonly Lock _lock = new();

    // Each secret form with what replaces it, longest first, so a secret containing another is replaced whole.
    private (string Value, string Replacement)[] _secrets = [];

    /// <summary>A secret value, e.g. a token read from the environment. Null or short values are ignored.</summary>
    public void AddSecret(string? value)
    {
        if (value is null || value.Trim().Length < MinimumSecretLength)
        {
            return;
        }

        // The encodings a secret takes in URLs, JSON and HTML are masked too.
        string[] forms =
        [
            value.Trim(),
            Uri.EscapeDataString(value.Trim()),
            System.Text.Encodings.Web.HtmlEncoder.Default.Encode(value.Trim()),
            System.Text.Encodings.Web.JavaScriptEncoder.Default.Encode(value.Trim()),
        ];
        Add(forms.Select(f => (f, Mask)));
    }

    /// <summary>
    /// A URL whose path or query is its credential (a Slack incoming webhook, a model endpoint): printed
    /// only as scheme, host and port (PRODUCT.md section 7, Secrets in URLs). Every written form of the URL
    /// loses its path and query; the path or query met on its own is masked.
    /// </summary>
    public void AddSecretUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.IsFile)
        {
            return;
        }

        AddUrl(url);
        string[] paths =
        [
            uri.PathAndQuery, uri.AbsolutePath, Uri.UnescapeDataString(uri.PathAndQuery), Uri.UnescapeDataString(uri.AbsolutePath), uri.Query,
        ];
        var secretParts = paths.Select(p => p.TrimEnd('/')).Where(p => p.Length > 1).Distinct(StringComparer.Ordinal).ToArray();
        var authorities = uri.IsDefaultPort ? new[] { $"{uri.Host}:{uri.Port}", uri.Host } : [$"{uri.Host}:{uri.Port}"];
        var prefixes = authorities.SelectMany(a => new[] { $"{uri.Scheme}://{a}", a });
        Add(prefixes.SelectMany(prefix => secretParts.Select(part => (prefix + part, prefix)))
            .Concat(secretParts.Select(part => (part, Mask))));
    }

    private void Add(IEnumerable<(string Value, string Replacement)> forms)
    {
        lock (_lock)
        {
            _secrets = _secrets.Concat(forms.Where(f => f.Value.Length >= MinimumSecretLength))
                .DistinctBy(f => f.Value, StringComparer.Ordinal)
                .OrderByDescending(f => f.Value.Length).ToArray();
        }
    }

    /// <summary>The user-info of a URL (<c>https://user:pass@host/</c>); the whole user-info and its password become secrets.</summary>
    public void AddUrl(string? url)
    {
        if (url is null || !Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.UserInfo.Length == 0)
        {
            return;
        }

        AddSecret(uri.UserInfo);
        var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            AddSecret(uri.UserInfo[(colon + 1)..]);
            AddSecret(Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]));
        }
    }

    /// <summary>
    /// A connection string (<c>Host=…;Password=…</c>): the whole string and every password, key or token
    /// in it become secrets.
    /// </summary>
    public void AddConnectionString(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            return;
        }

        AddSecret(connectionString);
        AddUrl(connectionString);
        var builder = new DbConnectionStringBuilder();
        try
        {
            builder.ConnectionString = connectionString;
        }
        catch (ArgumentException)
        {
            return;
        }

        foreach (string key in builder.Keys)
        {
            if (SecretKey().IsMatch(key) && builder[key] is { } value)
            {
                AddSecret(value.ToString());
            }
        }
    }

    /// <summary>The text with every known secret, URL user-info and credential-looking header value masked.</summary>
    public string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return text;
        }

        var secrets = Volatile.Read(ref _secrets);
        StringBuilder? builder = null;
        foreach (var (secret, replacement) in secrets)
        {
            if (text.Contains(secret, StringComparison.Ordinal))
            {
                builder ??= new StringBuilder(text);
                builder.Replace(secret, replacement);
                text = builder.ToString();
            }
        }

        text = UserInfo().Replace(text, "${scheme}");
        return Credential().Replace(text, m => $"{m.Groups["scheme"].Value} {Mask}");
    }

    /// <summary><see cref="Redact(string)"/> for optional text.</summary>
    public string? RedactOptional(string? text) => text is null ? null : Redact(text);

    [GeneratedRegex(@"(?i)(password|pwd|secret|token|key)")]
    private static partial Regex SecretKey();

    // scheme://user[:password]@ — the user-info is dropped, as URLs are printed without it.
    [GeneratedRegex(@"(?<scheme>\b[a-zA-Z][a-zA-Z0-9+.-]*://)[^/?#@\s""'<>]+@")]
    private static partial Regex UserInfo();

    // An Authorization header value echoed back by a service: "Bearer abc1…", "Basic dXNl…". Random
    // credentials carry a digit; words after "Bearer" or "Basic" in prose do not.
    [GeneratedRegex(@"(?i)\b(?<scheme>bearer|basic)\s+(?=[A-Za-z._~+/=-]*[0-9])[A-Za-z0-9._~+/=-]{12,}")]
    private static partial Regex Credential();
}

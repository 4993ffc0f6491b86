using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OkrHost.Http;

/// <summary>
/// The on-disk store of the conditional-request cache: one file per (method, URL, credential, Accept),
/// holding the last 200 answer with an ETag. Entries are written atomically and a damaged one is
/// deleted, never fatal. Credentials are hashed into the key and never stored.
/// </summary>
internal sealed class HttpResponseCache(string directory, Serilog.ILogger logger)
{
    private const int FormatVersion = 1;

    // Headers that describe one connection or set state in the client, not the resource.
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Set-Cookie", "Content-Length",
    };

    /// <summary>
    /// The entry's key. The credential is part of it because different tokens may see different data
    /// (private repositories); it is hashed on its own first so not even the combined input holds it.
    /// </summary>
    public static string Key(HttpRequestMessage request)
    {
        var credential = request.Headers.Authorization?.ToString() ?? "";
        var credentialHash = credential.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
        var material = string.Join('\n', request.Method.Method, request.RequestUri?.AbsoluteUri ?? "", credentialHash, request.Headers.Accept.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>The stored answer for <paramref name="key"/>; null when there is none or it is damaged (then it is deleted).</summary>
    public async Task<CachedResponse?> ReadAsync(string key, CancellationToken cancellationToken)
    {
        var path = PathOf(key);
        if (!File.Exists(path))
        {
            return null;
        }

        try
        {
            await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
            var entry = await JsonSerializer.DeserializeAsync<CachedResponse>(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (entry is { Version: FormatVersion, Status: 200, ETag.Length: > 0, Body: not null, Headers: not null, ContentHeaders: not null })
            {
                return entry;
            }

            logger.Warning("HTTP cache entry {Path} is not a valid entry; discarding it", path);
        }
        catch (Exception ex) when (ex is JsonException or IOException or UnauthorizedAccessException or NotSupportedException)
        {
            logger.Warning("HTTP cache entry {Path} is unreadable ({Problem}); discarding it", path, ex.Message);
        }

        Discard(path);
        return null;
    }

    /// <summary>Stores a buffered 200 answer that carries an ETag; a failure to write is logged, never fatal.</summary>
    public async Task StoreAsync(string key, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var entry = new CachedResponse
        {
            Version = FormatVersion,
            Status = (int)response.StatusCode,
            ETag = response.Headers.ETag?.ToString() ?? "",
            Headers = Storable(response.Headers),
            ContentHeaders = Storable(response.Content.Headers),
            Body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false),
        };

        var path = PathOf(key);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            await using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
            {
                await JsonSerializer.SerializeAsync(stream, entry, cancellationToken: cancellationToken).ConfigureAwait(false);
            }

            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Warning("could not write HTTP cache entry {Path}: {Problem}", path, ex.Message);
            Discard(temporary);
        }
    }

    private string PathOf(string key) => Path.Combine(directory, key[..2], key + ".json");

    private static List<CachedHeader> Storable(System.Net.Http.Headers.HttpHeaders headers) =>
        headers.Where(h => !NotStored.Contains(h.Key)).Select(h => new CachedHeader(h.Key, h.Value.ToArray())).ToList();

    private void Discard(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Warning("could not delete HTTP cache file {Path}: {Problem}", path, ex.Message);
        }
    }
}

/// <summary>A stored 200 answer.</summary>
internal sealed class CachedResponse
{
    public int Version { get; init; }

    public int Status { get; init; }

    public string ETag { get; init; } = "";

    public List<CachedHeader> Headers { get; init; } = [];

    public List<CachedHeader> ContentHeaders { get; init; } = [];

    public byte[] Body { get; init; } = [];

    /// <summary>The answer as the plugin first saw it, for <paramref name="request"/>.</summary>
    public HttpResponseMessage ToResponse(HttpRequestMessage request)
    {
        var response = new HttpResponseMessage((HttpStatusCode)Status)
        {
            RequestMessage = request,
            Content = new ByteArrayContent(Body),
        };
        foreach (var header in Headers)
        {
            response.Headers.TryAddWithoutValidation(header.Name, header.Values);
        }

        foreach (var header in ContentHeaders)
        {
            response.Content.Headers.TryAddWithoutValidation(header.Name, header.Values);
        }

        return response;
    }
}

/// <summary>One stored header.</summary>
internal sealed record CachedHeader(string Name, string[] Values);

/// <summary>
/// Makes GETs conditional: with a stored answer it sends <c>If-None-Match</c>, and a 304 is answered
/// to the plugin as the stored 200 (same headers, Link included, same body). A fresh 200 with an ETag
/// replaces the entry, unless the service said <c>no-store</c>.
/// </summary>
internal sealed class ConditionalCacheHandler(HttpResponseCache cache) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A plugin that makes its own request conditional handles the answer itself.
        if (request.Method != HttpMethod.Get || request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfModifiedSince is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var key = HttpResponseCache.Key(request);
        var cached = await cache.ReadAsync(key, cancellationToken).ConfigureAwait(false);
        if (cached is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", cached.ETag);
        }

        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (cached is not null && response.StatusCode == HttpStatusCode.NotModified)
        {
            response.Dispose();
            request.Options.Set(PipelineNotes.FromCache, true);
            return cached.ToResponse(request);
        }

        if (response.StatusCode == HttpStatusCode.OK && response.Headers.ETag is not null && response.Headers.CacheControl?.NoStore != true)
        {
            await cache.StoreAsync(key, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}

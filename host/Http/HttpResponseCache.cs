using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OkrHost.Http;

/// <summary>
/// The on-disk store of the conditional-request cache: one file per (method, URL, credential, Accept),
/// holding the last 200 answer with an ETag. Entries are written atomically and a damaged one is
/// deleted, never fatal. Credentials are hashed into the key and never stored. <see cref="Prune"/>
/// keeps the folder within its size and age limits.
/// </summary>
internal sealed class HttpResponseCache(string directory, Serilog.ILogger logger, TimeProvider clock)
{
    // 2: entries record their origin, loopback keys leave the port out.
    private const int FormatVersion = 2;

    // Headers that describe one connection or set state in the client, not the resource.
    private static readonly HashSet<string> NotStored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Proxy-Authenticate", "Proxy-Authorization", "TE", "Trailer",
        "Transfer-Encoding", "Upgrade", "Set-Cookie", "Content-Length",
    };

    /// <summary>
    /// The entry's key. The credential is part of it because different tokens may see different data
    /// (private repositories); it is hashed on its own first so not even the combined input holds it.
    /// A loopback service (the demo's sandbox, a local emulator) gets a new port on every start, so its
    /// entries are keyed by the source and the path instead: a new run overwrites the last run's entry
    /// rather than adding one, and <see cref="ReadAsync"/> uses an entry only for the origin that wrote it.
    /// </summary>
    public static string Key(HttpRequestMessage request, string sourceId)
    {
        var credential = request.Headers.Authorization?.ToString() ?? "";
        var credentialHash = credential.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(credential)));
        var uri = request.RequestUri;
        var resource = uri is { IsAbsoluteUri: true, IsLoopback: true } ? $"{sourceId} loopback {uri.PathAndQuery}" : uri?.AbsoluteUri ?? "";
        var material = string.Join('\n', request.Method.Method, resource, credentialHash, request.Headers.Accept.ToString());
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)));
    }

    /// <summary>Scheme, host and port of <paramref name="request"/>, which an entry must have been written for.</summary>
    public static string Origin(HttpRequestMessage request) => request.RequestUri is { IsAbsoluteUri: true } uri ? uri.GetLeftPart(UriPartial.Authority) : "";

    /// <summary>
    /// The stored answer for <paramref name="key"/> written for <paramref name="origin"/>; null when there is
    /// none, it came from another origin (a loopback service on another port: the next answer replaces it),
    /// or it is damaged (then it is deleted). A hit is touched so pruning keeps entries still in use.
    /// </summary>
    public async Task<CachedResponse?> ReadAsync(string key, string origin, CancellationToken cancellationToken)
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
                if (entry.Origin != origin)
                {
                    return null;
                }

                Touch(path);
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
    public async Task StoreAsync(string key, string origin, HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var entry = new CachedResponse
        {
            Version = FormatVersion,
            Origin = origin,
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

    /// <summary>
    /// Deletes entries not used for <paramref name="maxAge"/>, then the least recently used ones until the
    /// folder holds at most <paramref name="maxBytes"/>, and temporary files a crashed run left behind.
    /// One listing of the folder at the end of a run; a file that cannot be deleted is skipped.
    /// </summary>
    public void Prune(long maxBytes, TimeSpan maxAge, DateTimeOffset now)
    {
        if (!Directory.Exists(directory))
        {
            return;
        }

        var files = new DirectoryInfo(directory).EnumerateFiles("*", SearchOption.AllDirectories).ToList();
        var total = files.Sum(f => f.Length);
        var stale = now - maxAge;
        foreach (var file in files.OrderBy(f => f.LastWriteTimeUtc))
        {
            var leftover = file.Name.EndsWith(".tmp", StringComparison.Ordinal) && file.LastWriteTimeUtc < (now - TimeSpan.FromHours(1)).UtcDateTime;
            if (leftover || file.LastWriteTimeUtc < stale.UtcDateTime || total > maxBytes)
            {
                if (Discard(file.FullName))
                {
                    total -= file.Length;
                }
            }
        }
    }

    private string PathOf(string key) => Path.Combine(directory, key[..2], key + ".json");

    private void Touch(string path)
    {
        try
        {
            File.SetLastWriteTimeUtc(path, clock.GetUtcNow().UtcDateTime);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Debug("could not touch HTTP cache entry {Path}: {Problem}", path, ex.Message);
        }
    }

    private static List<CachedHeader> Storable(System.Net.Http.Headers.HttpHeaders headers) =>
        headers.Where(h => !NotStored.Contains(h.Key)).Select(h => new CachedHeader(h.Key, h.Value.ToArray())).ToList();

    private bool Discard(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            logger.Warning("could not delete HTTP cache file {Path}: {Problem}", path, ex.Message);
            return false;
        }
    }
}

/// <summary>A stored 200 answer.</summary>
internal sealed class CachedResponse
{
    public int Version { get; init; }

    public string Origin { get; init; } = "";

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
internal sealed class ConditionalCacheHandler(HttpResponseCache cache, string sourceId) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        // A plugin that makes its own request conditional handles the answer itself.
        if (request.Method != HttpMethod.Get || request.Headers.IfNoneMatch.Count > 0 || request.Headers.IfModifiedSince is not null)
        {
            return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }

        var key = HttpResponseCache.Key(request, sourceId);
        var origin = HttpResponseCache.Origin(request);
        var cached = await cache.ReadAsync(key, origin, cancellationToken).ConfigureAwait(false);
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
            await cache.StoreAsync(key, origin, response, cancellationToken).ConfigureAwait(false);
        }

        return response;
    }
}

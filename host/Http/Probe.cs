using System.Net;

namespace OkrHost.Http;

/// <summary>
/// <c>okrhost doctor</c>'s probe of one source: the plugin's real collection runs through the real
/// pipeline, and every kind of request it makes goes out once. A second request to an endpoint (the
/// next page, the second deployment's statuses: same method and path once segments with digits, i.e.
/// ids, are set aside) ends the collection instead, once the requests in flight are all answered. If
/// any answer fails, nothing is ended: the plugin fails the way it would in a report, in its own words.
/// </summary>
public sealed class Probe
{
    private readonly Lock _lock = new();
    private readonly HashSet<string> _started = new(StringComparer.Ordinal);

    // Settles true when nothing is in flight any more (end the collection), false as soon as an answer
    // failed (let the collection run on, so the plugin reports the failure).
    private TaskCompletionSource<bool>? _settled;
    private int _inFlight;
    private bool _failed;
    private HttpStatusCode? _refusal;

    /// <summary>True once the probe ended the collection: the source has proven it can read.</summary>
    public bool Ended { get; private set; }

    /// <summary>The last 401, 403 or 404 the service answered, for the doctor's hint on what to fix.</summary>
    public HttpStatusCode? Refusal
    {
        get
        {
            lock (_lock)
            {
                return _refusal;
            }
        }
    }

    internal async Task EnterAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Task<bool> settled;
        lock (_lock)
        {
            if (_failed || _started.Add(Endpoint(request)))
            {
                _inFlight++;
                return;
            }

            _settled ??= new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (_inFlight == 0)
            {
                _settled.TrySetResult(true);
            }

            settled = _settled.Task;
        }

        if (await settled.WaitAsync(cancellationToken).ConfigureAwait(false))
        {
            Ended = true;
            throw new ProbeEndedException();
        }

        lock (_lock)
        {
            _inFlight++;
        }
    }

    internal void Exit(HttpResponseMessage? response)
    {
        lock (_lock)
        {
            _inFlight--;
            if (response is not { IsSuccessStatusCode: true })
            {
                _failed = true;
                if (response?.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    _refusal = response.StatusCode;
                }
            }

            if (_failed)
            {
                _settled?.TrySetResult(false);
            }
            else if (_inFlight == 0)
            {
                _settled?.TrySetResult(true);
            }
        }
    }

    /// <summary>The kind of request: method and path, with the segments that hold ids (any digit) set aside.</summary>
    private static string Endpoint(HttpRequestMessage request)
    {
        var path = request.RequestUri?.AbsolutePath ?? "";
        return request.Method.Method + " " + string.Join('/', path.Split('/').Select(segment => segment.Any(char.IsAsciiDigit) ? "*" : segment));
    }
}

/// <summary>
/// Ends a probed collection. A cancellation, so plugins let it pass as they let a cancelled run pass;
/// the runner, seeing <see cref="Probe.Ended"/>, counts the source as ok.
/// </summary>
internal sealed class ProbeEndedException() : OperationCanceledException("the doctor's probe has what it needs");

/// <summary>The outermost handler of a probed source: it sees exactly the answers the plugin sees.</summary>
internal sealed class ProbeHandler(Probe probe) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        await probe.EnterAsync(request, cancellationToken).ConfigureAwait(false);
        HttpResponseMessage? response = null;
        try
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            probe.Exit(response);
        }
    }
}

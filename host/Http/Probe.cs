using System.Net;

namespace OkrHost.Http;

/// <summary>
/// <c>okrhost doctor</c>'s probe of one source: the plugin's real collection runs through the real
/// pipeline, and once the service has answered a request successfully, the collection is ended at its
/// next request. Requests the plugin started before that first answer (the first page of each of the
/// repositories it reads at once, the parallel calls of its first step) are all let through and answered
/// first; when any of them fails, nothing is ended and the plugin reports the failure as it would in a
/// report.
/// </summary>
public sealed class Probe
{
    private readonly Lock _lock = new();

    // Settles true when the first wave is answered and every answer was a success (end the
    // collection), false as soon as an answer failed (let the collection run on, so the plugin
    // reports the failure in its own words rather than the probe ending it first).
    private readonly TaskCompletionSource<bool> _settled = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private bool _proven;
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

    internal async Task EnterAsync(CancellationToken cancellationToken)
    {
        Task<bool> settled;
        lock (_lock)
        {
            if (!_proven || _failed)
            {
                _inFlight++;
                return;
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
            if (response is { IsSuccessStatusCode: true })
            {
                _proven = true;
            }
            else
            {
                _failed = true;
                if (response?.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
                {
                    _refusal = response.StatusCode;
                }
            }

            if (_failed)
            {
                _settled.TrySetResult(false);
            }
            else if (_proven && _inFlight == 0)
            {
                _settled.TrySetResult(true);
            }
        }
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
        await probe.EnterAsync(cancellationToken).ConfigureAwait(false);
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

using System.Net;

namespace OkrHost.Http;

/// <summary>
/// <c>okrhost doctor</c>'s probe of one source: the plugin's real collection runs through the real
/// pipeline, and once the service has answered a request successfully, the collection is ended at its
/// next request. Requests the plugin started before that first answer (the first page of each of the
/// repositories it reads at once, the parallel calls of its first step) are all let through and answered
/// before the probe ends, so a failure among them is still reported.
/// </summary>
public sealed class Probe
{
    private readonly Lock _lock = new();
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _inFlight;
    private bool _proven;
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
        Task drained;
        lock (_lock)
        {
            if (!_proven)
            {
                _inFlight++;
                return;
            }

            drained = _drained.Task;
        }

        await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        Ended = true;
        throw new ProbeEndedException();
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
            else if (response?.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound)
            {
                _refusal = response.StatusCode;
            }

            if (_proven && _inFlight == 0)
            {
                _drained.TrySetResult();
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

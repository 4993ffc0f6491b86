using System.Collections.Concurrent;
using OkrHost.Contracts;

namespace OkrHost.Running;

/// <summary>
/// Keeps every source's line ending on its final state: progress that arrives after a source finished
/// (a plugin's <c>Progress&lt;T&gt;</c> posts late) is dropped, and the OKR provider's "finished" is held
/// back until its OKRs are loaded too, then reported once with both request counts.
/// </summary>
internal sealed class FinalStateObserver(IRunObserver inner, string? okrProviderId) : IRunObserver
{
    private readonly ConcurrentDictionary<string, SourceRun> _finished = new(StringComparer.Ordinal);
    private SourceRun? _heldBack;

    public void Started(SourcePlan plan) => inner.Started(plan);

    public void Progress(SourcePlan plan, SourceProgress progress)
    {
        if (!_finished.ContainsKey(plan.Id))
        {
            inner.Progress(plan, progress);
        }
    }

    public void Finished(SourceRun run)
    {
        if (run.Plan.Id != okrProviderId)
        {
            _finished[run.Plan.Id] = run;
            inner.Finished(run);
        }
        else
        {
            // Progress of the OKR load still shows until Release.
            _heldBack = run;
        }
    }

    /// <summary>Reports the OKR provider's run, with the OKR requests added, if it ran; returns that run.</summary>
    public SourceRun? Release(long okrRequests)
    {
        if (_heldBack is not { } run)
        {
            return null;
        }

        var final = run with { Requests = run.Requests + okrRequests };
        _finished[final.Plan.Id] = final;
        inner.Finished(final);
        return final;
    }
}

namespace OkrHost.Running;

/// <summary>
/// Every call into plugin code goes through here. A plugin is code the user chose to run, but one that
/// blocks before its first await, never returns or throws must fail its own source only: the call runs
/// on the thread pool (never on the caller's thread) and is abandoned when its time is up. An abandoned
/// call keeps its thread until it returns; its result, if any, is ignored.
/// </summary>
public static class PluginCall
{
    /// <summary>Runs an asynchronous plugin call until it completes or <paramref name="limit"/> is cancelled.</summary>
    /// <exception cref="OperationCanceledException">The limit was cancelled first.</exception>
    public static Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken limit)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Task.Run(() => call(limit), CancellationToken.None).WaitAsync(limit);
    }

    /// <summary>Runs a synchronous plugin call (settings checks) with the same isolation.</summary>
    /// <exception cref="TimeoutException">The call did not return within <paramref name="timeout"/>.</exception>
    public static T Run<T>(Func<T> call, TimeSpan timeout, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(call);
        return Task.Run(call).WaitAsync(timeout, clock).GetAwaiter().GetResult();
    }
}

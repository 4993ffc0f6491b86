using Microsoft.Extensions.Time.Testing;

namespace OkrHost.Tests.Http;

/// <summary>
/// Moves a fake clock forward in small steps until a task completes, so a test learns how long the code
/// under test waited on its clock without waiting that long itself.
/// </summary>
internal static class FakeClockDriver
{
    private static readonly TimeSpan Step = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Advances <paramref name="clock"/> by 50 ms at a time, letting the task run between steps, until
    /// <paramref name="task"/> completes; returns the fake time that passed. Steps taken before the code
    /// starts its wait count too, so the result is an upper bound of the wait, and a lower bound is exact.
    /// </summary>
    public static async Task<TimeSpan> AdvanceUntilDoneAsync(FakeTimeProvider clock, Task task, TimeSpan limit)
    {
        var advanced = TimeSpan.Zero;
        while (!task.IsCompleted)
        {
            if (advanced > limit)
            {
                throw new TimeoutException($"still waiting after {advanced} on the fake clock");
            }

            await Task.WhenAny(task, Task.Delay(10));
            if (!task.IsCompleted)
            {
                clock.Advance(Step);
                advanced += Step;
            }
        }

        await task;
        return advanced;
    }
}

namespace OkrHost.Cli;

/// <summary>A clock moved by a fixed offset: last week's run, replayed now (the bench's and the demo's).</summary>
internal sealed class ShiftedClock(TimeProvider inner, TimeSpan offset) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow() + offset;
}

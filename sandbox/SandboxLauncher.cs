namespace OkrHost.Sandbox;

/// <summary>The entry the host finds when it loads the sandbox from beside itself.</summary>
public sealed class SandboxLauncher : ISandboxLauncher
{
    public async Task<IRunningSandbox> StartAsync(SandboxStart start, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        return await SandboxServer.StartAsync(
            new SandboxOptions
            {
                Seed = start.Seed,
                Profile = start.Profile,
                Now = start.Now,
                Port = start.Port,
                Latency = start.Latency,
                Faults = start.Faults is { } faults ? FaultSpec.Parse(faults) : [],
            },
            cancellationToken);
    }
}

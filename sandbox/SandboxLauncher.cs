namespace OkrHost.Sandbox;

/// <summary>The entry the host finds when it loads the sandbox from beside itself.</summary>
public sealed class SandboxLauncher : ISandboxLauncher
{
    public async Task<IRunningSandbox> StartAsync(SandboxOptions options, CancellationToken cancellationToken) =>
        await SandboxServer.StartAsync(options, cancellationToken);
}

using OkrHost.Sandbox;
using Xunit;

namespace OkrHost.Testing;

/// <summary>
/// One demo-profile sandbox per test class (xunit class fixture), pinned to <see cref="Now"/> so every
/// number it serves is the same on every run.
/// </summary>
public sealed class SandboxFixture : IAsyncLifetime
{
    /// <summary>The sandbox's fixed "now" in tests.</summary>
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private SandboxServer? _server;

    public SandboxServer Server => _server ?? throw new InvalidOperationException("sandbox not started");

    public async Task InitializeAsync() => _server = await SandboxServer.StartAsync(new SandboxOptions { Now = Now });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

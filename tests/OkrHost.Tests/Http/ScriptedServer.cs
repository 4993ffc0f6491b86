using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace OkrHost.Tests.Http;

/// <summary>
/// A loopback server whose answer to the n-th request is scripted, for what WireMock cannot do:
/// dropping a connection, and counting requests in flight.
/// </summary>
public sealed class ScriptedServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _requests;
    private int _inFlight;
    private int _maxInFlight;

    private ScriptedServer(WebApplication app) => _app = app;

    public Uri BaseUrl { get; private set; } = new("http://127.0.0.1/");

    public int Requests => Volatile.Read(ref _requests);

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    /// <summary>Starts a server answering request n (1-based) with <paramref name="answer"/>.</summary>
    public static async Task<ScriptedServer> StartAsync(Func<HttpContext, int, Task> answer)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ScriptedServer(app);
        app.Run(async context =>
        {
            var ordinal = Interlocked.Increment(ref server._requests);
            var inFlight = Interlocked.Increment(ref server._inFlight);
            InterlockedMax(ref server._maxInFlight, inFlight);
            try
            {
                await answer(context, ordinal);
            }
            finally
            {
                Interlocked.Decrement(ref server._inFlight);
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server.BaseUrl = new Uri(address.TrimEnd('/') + "/");
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}

using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Time.Testing;
using OkrHost.Contracts;
using OkrHost.Http;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OkrHost.Tests.Http;

/// <summary>
/// A service paces each credential, not each report: the sources of a teams run that use one token on one
/// service wait for each other's pace; another token does not.
/// </summary>
public sealed class CredentialGateTests : IDisposable
{
    private readonly WireMockServer _server = WireMockServer.Start();
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero));
    private readonly SourceHttpFactory _factory;

    public CredentialGateTests()
    {
        _factory = new SourceHttpFactory(PipelineHarness.TestPolicy, Serilog.Core.Logger.None, _clock);
        _server.Given(Request.Create().WithPath("/items").UsingGet()).RespondWith(Response.Create().WithStatusCode(200).WithBody("[]"));
    }

    public void Dispose()
    {
        _factory.Dispose();
        _server.Stop();
        _server.Dispose();
    }

    [Fact]
    public async Task Two_teams_with_one_token_share_its_pace_and_a_team_with_another_token_does_not_wait()
    {
        using var platform = Client("token-a");
        using var mobile = Client("token-a");
        using var ops = Client("token-b");

        using var first = await platform.GetAsync("items");
        var sameToken = mobile.GetAsync("items");
        using var otherToken = await ops.GetAsync("items");

        // One request a second per credential: mobile waits a second after platform; ops, on its own token, does not.
        Assert.Equal(HttpStatusCode.OK, otherToken.StatusCode);
        Assert.False(sameToken.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        using var paced = await sameToken;
        Assert.Equal(HttpStatusCode.OK, paced.StatusCode);
    }

    [Fact]
    public async Task A_rate_limit_on_a_credential_holds_its_requests_that_have_not_started_until_it_resets()
    {
        var gate = _factory.Gate("github", _server.LoopbackUrl(), "credential", maxConcurrent: 8, perSecond: null);
        using (await gate.EnterAsync(CancellationToken.None))
        {
            // Unpaced: nothing waits until the service says the credential is limited.
        }

        gate.HoldFor(TimeSpan.FromSeconds(30));
        var held = gate.EnterAsync(CancellationToken.None).AsTask();

        _clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(held.IsCompleted);
        _clock.Advance(TimeSpan.FromSeconds(1));
        (await held).Dispose();
    }

    private HttpClient Client(string token) =>
        _factory.ForSource("github", CancellationToken.None, _server.LoopbackUrl(), token).CreateClient(new SourceHttpOptions
        {
            BaseAddress = _server.LoopbackUrl(),
            Authorization = new AuthenticationHeaderValue("Bearer", token),
            MaxRequestsPerSecond = 1,
        });
}

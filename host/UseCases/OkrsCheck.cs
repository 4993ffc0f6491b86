using OkrHost.Http;
using OkrHost.Running;

namespace OkrHost.UseCases;

/// <summary><c>okrhost validate</c>'s OKR check: the OKRs a plugin provides, read and judged as a report would.</summary>
internal sealed class OkrsCheck(Preparation preparation, RunEnvironment environment, Serilog.ILogger logger)
{
    /// <summary>The provided OKRs with every row that cannot be scored; null when the OKRs come from a file.</summary>
    public async Task<OkrInput?> ReadProvidedAsync(CancellationToken cancellationToken)
    {
        if (preparation.OkrProvider is null)
        {
            return null;
        }

        using var http = new SourceHttpFactory(preparation.Config.Http, logger, environment.Clock);
        var runner = new SourceRunner(http, logger, environment.Clock, new LogRunObserver(logger));
        var (okrs, _) = await ProvidedOkrs.LoadAsync(preparation, runner, preparation.Period, cancellationToken);
        return okrs;
    }
}

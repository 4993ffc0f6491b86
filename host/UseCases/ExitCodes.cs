namespace OkrHost.UseCases;

/// <summary>The process exit codes of PRODUCT.md section 2.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Unexpected = 1;
    public const int InvalidInput = 2;
    public const int SourcesFailed = 3;
    public const int FailOnMet = 4;

    /// <summary>Ctrl+C or SIGTERM: nothing was written (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;
}

/// <summary>A problem with the user's input found while a command runs: printed as one line, exit code 2.</summary>
public sealed class InvalidInputException(string message) : Exception(message);

namespace OkrHost.Cli;

/// <summary>The <c>okrhost</c> command line.</summary>
public static class CliApp
{
    public static Task<int> RunAsync(string[] args, CliEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        environment.Error.WriteLine("okrhost: not built yet");
        return Task.FromResult(1);
    }
}

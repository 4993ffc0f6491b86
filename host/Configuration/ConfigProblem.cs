namespace OkrHost.Configuration;

public enum ProblemSeverity
{
    Error,
    Warning,
}

/// <summary>A problem with an input file, located by file and JSON path.</summary>
public sealed record ConfigProblem(ProblemSeverity Severity, string File, string JsonPath, string Message)
{
    public static ConfigProblem Error(string file, string jsonPath, string message) => new(ProblemSeverity.Error, file, jsonPath, message);

    public static ConfigProblem Warning(string file, string jsonPath, string message) => new(ProblemSeverity.Warning, file, jsonPath, message);

    public override string ToString() => $"{(Severity == ProblemSeverity.Error ? "error" : "warning")}: {File}: {JsonPath}: {Message}";
}

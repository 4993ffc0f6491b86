namespace OkrHost.Contracts;

/// <summary>How a <see cref="Problem"/> affects the run.</summary>
public enum ProblemSeverity
{
    /// <summary>The input is wrong: exit code 2 and nothing is fetched (an unscorable OKR is left out instead).</summary>
    Error,

    /// <summary>Worth fixing, but the run goes on: an unknown key, an OKR row that could not be read.</summary>
    Warning,

    /// <summary>A source's required setting or token is missing: that source is <c>not-configured</c>, the others run.</summary>
    Missing,
}

/// <summary>
/// One problem with what a person wrote, wherever the host or a plugin found it: plugins.json, a source's
/// settings, the OKRs, an analyzer's settings, the HTTP policy. Every layer reports this one type, so
/// <c>okrhost validate</c>, the report and the console list them alike.
/// </summary>
/// <param name="Severity">How it affects the run.</param>
/// <param name="File">The file it is in (plugins.json, okrs.json); <c>null</c> when the layer that found it
/// does not know the file (a plugin's settings check: the host fills it in) or it is not in a file.</param>
/// <param name="JsonPath">Where in the file, e.g. <c>$.sources.github.repositories</c>; for data read from a
/// service (a Notion row) or a command-line option, what names the place instead.</param>
/// <param name="Message">What is wrong, in words a person can act on.</param>
public sealed record Problem(ProblemSeverity Severity, string? File, string JsonPath, string Message)
{
    /// <summary>A wrong value at <paramref name="jsonPath"/>.</summary>
    public static Problem Error(string jsonPath, string message) => new(ProblemSeverity.Error, null, jsonPath, message);

    /// <summary>A wrong value at <paramref name="jsonPath"/> of <paramref name="file"/>.</summary>
    public static Problem Error(string? file, string jsonPath, string message) => new(ProblemSeverity.Error, file, jsonPath, message);

    /// <summary>Something to fix at <paramref name="jsonPath"/> that does not stop the run.</summary>
    public static Problem Warning(string jsonPath, string message) => new(ProblemSeverity.Warning, null, jsonPath, message);

    /// <summary>Something to fix at <paramref name="jsonPath"/> of <paramref name="file"/> that does not stop the run.</summary>
    public static Problem Warning(string? file, string jsonPath, string message) => new(ProblemSeverity.Warning, file, jsonPath, message);

    /// <summary>A required setting of a source missing at <paramref name="jsonPath"/>.</summary>
    public static Problem Missing(string jsonPath, string message) => new(ProblemSeverity.Missing, null, jsonPath, message);

    /// <summary>The problem as the console prints it: <c>error: plugins.json: $.report.period: …</c>.</summary>
    public override string ToString() =>
        $"{Severity switch { ProblemSeverity.Error => "error", ProblemSeverity.Warning => "warning", _ => "not configured" }}: {(File is null ? "" : File + ": ")}{JsonPath}: {Message}";
}

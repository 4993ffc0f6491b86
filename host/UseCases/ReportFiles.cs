using OkrHost.Rendering;
using OkrHost.Reporting;

namespace OkrHost.UseCases;

/// <summary>Writes report.json and report.html side by side, each atomically.</summary>
public static class ReportFiles
{
    public const string JsonName = "report.json";
    public const string HtmlName = "report.html";

    /// <summary>The report's two files, rendered but not written.</summary>
    public sealed record Rendered(string Json, string Html);

    public static async Task<Rendered> RenderAsync(ReportSnapshot snapshot, IReadOnlyDictionary<string, Type> sectionComponents, CancellationToken cancellationToken)
    {
        var html = await new HtmlReportRenderer().RenderAsync(snapshot, sectionComponents, cancellationToken);
        return new Rendered(SnapshotJson.Serialize(snapshot), html);
    }

    public static async Task WriteAsync(string directory, Rendered report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);

        // Past this point an interrupt waits: the two files are replaced together or not at all.
        cancellationToken.ThrowIfCancellationRequested();
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, JsonName), report.Json, CancellationToken.None);
        await AtomicFile.WriteAllTextAsync(Path.Combine(directory, HtmlName), report.Html, CancellationToken.None);
    }

    /// <summary>
    /// Checks, before anything is fetched, that the report can be written to <paramref name="directory"/>
    /// (creating it if needed); <paramref name="origin"/> says where the folder was named.
    /// </summary>
    /// <exception cref="InvalidInputException">The folder is a file, or cannot be created or written.</exception>
    public static void EnsureWritable(string directory, string origin)
    {
        if (File.Exists(directory))
        {
            throw new InvalidInputException($"{origin}: {directory} is a file, not a folder; nothing was fetched");
        }

        var probe = Path.Combine(directory, $".okrhost-write-check-{Guid.NewGuid():N}");
        try
        {
            Directory.CreateDirectory(directory);
            File.WriteAllText(probe, "");
            File.Delete(probe);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException($"{origin}: cannot write the report to {directory} ({ex.Message}); nothing was fetched");
        }
    }
}

using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>Placeholder until the Razor renderer lands: the title only, escaped.</summary>
public sealed class HtmlReportRenderer
{
    public Task<string> RenderAsync(ReportSnapshot snapshot, IReadOnlyDictionary<string, Type>? sectionComponents = null, CancellationToken cancellationToken = default) =>
        Task.FromResult($"<!DOCTYPE html><html><head><title>{System.Net.WebUtility.HtmlEncode(snapshot.Title)}</title></head><body></body></html>");
}

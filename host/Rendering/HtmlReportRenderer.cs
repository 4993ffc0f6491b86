using System.Reflection;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using OkrHost.Contracts;
using OkrHost.Contracts.Sections;
using OkrHost.Reporting;

namespace OkrHost.Rendering;

/// <summary>
/// Renders report.html from a <see cref="ReportSnapshot"/> with Razor components, outside any web host.
/// Every string from the snapshot goes through Razor's HTML encoding.
/// </summary>
public sealed class HtmlReportRenderer
{
    /// <summary>The okrhost version written in the page footer.</summary>
    public static string Version { get; } = ReadVersion();

    /// <summary>
    /// Renders the complete document. <paramref name="sectionComponents"/> maps a source id to a plugin's own
    /// section component (a component with a <c>[Parameter] public SourceSection Section</c>), used instead
    /// of the default section for that source.
    /// </summary>
    public async Task<string> RenderAsync(
        ReportSnapshot snapshot,
        IReadOnlyDictionary<string, Type>? sectionComponents = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var (sourceId, type) in sectionComponents ?? new Dictionary<string, Type>())
        {
            CheckSectionComponent(sourceId, type);
        }

        return await RenderAsync<ReportPage>(
            new Dictionary<string, object?>
            {
                [nameof(ReportPage.Snapshot)] = snapshot,
                [nameof(ReportPage.SectionComponents)] = sectionComponents ?? new Dictionary<string, Type>(),
                [nameof(ReportPage.Version)] = Version,
            },
            cancellationToken);
    }

    /// <summary>Renders index.html of a teams run.</summary>
    public Task<string> RenderIndexAsync(TeamsIndex index, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(index);
        return RenderAsync<TeamsIndexPage>(
            new Dictionary<string, object?> { [nameof(TeamsIndexPage.Index)] = index, [nameof(TeamsIndexPage.Version)] = Version },
            cancellationToken);
    }

    private static async Task<string> RenderAsync<TPage>(Dictionary<string, object?> parameters, CancellationToken cancellationToken)
        where TPage : IComponent
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var services = new ServiceCollection()
            .AddSingleton<IErrorBoundaryLogger, SectionFailureLog>()
            .BuildServiceProvider();
        await using var renderer = new HtmlRenderer(services, NullLoggerFactory.Instance);
        var body = await renderer.Dispatcher.InvokeAsync(async () =>
        {
            var output = await renderer.RenderComponentAsync<TPage>(ParameterView.FromDictionary(parameters));
            return output.ToHtmlString();
        });
        return "<!DOCTYPE html>\n" + body;
    }

    // A wrong type would otherwise fail deep inside rendering with a message that names neither the source nor the rule.
    private static void CheckSectionComponent(string sourceId, Type type)
    {
        if (!typeof(IComponent).IsAssignableFrom(type))
        {
            throw new ArgumentException($"The section component for '{sourceId}' ({type.FullName}) is not a Razor component.", nameof(type));
        }

        var section = type.GetProperty("Section", BindingFlags.Public | BindingFlags.Instance);
        if (section is null || !section.CanWrite || section.GetCustomAttribute<ParameterAttribute>() is null || !section.PropertyType.IsAssignableFrom(typeof(SourceSection)))
        {
            throw new ArgumentException($"The section component for '{sourceId}' ({type.FullName}) needs a [Parameter] public {nameof(SourceSection)} Section {{ get; set; }}.", nameof(type));
        }
    }

    /// <summary>
    /// A plugin section that throws is replaced by the default section and a notice in the page. The exception's
    /// message is not written anywhere: it is plugin text that may hold anything, and the page already says
    /// which section failed and with which exception type.
    /// </summary>
    private sealed class SectionFailureLog : IErrorBoundaryLogger
    {
        public ValueTask LogErrorAsync(Exception exception) => ValueTask.CompletedTask;
    }

    private static string ReadVersion()
    {
        var assembly = typeof(HtmlReportRenderer).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        // The SDK appends "+<commit>" to the informational version; the footer wants the release number.
        return informational?.Split('+')[0] ?? assembly.GetName().Version?.ToString() ?? "unknown";
    }
}

using OkrHost.Contracts;
using OkrHost.Contracts.Okrs;
using OkrHost.Reporting;
using OkrHost.Testing;

namespace OkrHost.Tests.Rendering;

/// <summary>A snapshot whose every external string tries to inject markup.</summary>
internal sealed class HostileSnapshot
{
    private readonly List<string> _fields = [];

    /// <summary>Every field that carries a payload, named by the marker inside its payload.</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>Both attacks, with a marker naming the field so a test can find each one in the page.</summary>
    public string Payload(string field)
    {
        _fields.Add(field);
        return $"<script>alert(1)</script>{field}\"><img src=x onerror=alert(1)>";
    }

    /// <summary>How a payload must look in the page: every markup character encoded.</summary>
    public static string Escaped(string field) =>
        $"&lt;script&gt;alert(1)&lt;/script&gt;{field}&quot;&gt;&lt;img src=x onerror=alert(1)&gt;";

    public ReportSnapshot Build() => SampleSnapshots.Full() with
    {
        Title = Payload("reportTitle"),
        OkrOrigin = Payload("okrOrigin"),
        Sources =
        [
            new SourceReport
            {
                Id = "github", DisplayName = Payload("sourceName"), Status = SourceStatus.Ok, Version = Payload("sourceVersion"),
                Series = [new TimeSeries("s", Payload("seriesTitle"), MetricUnit.Count, SeriesBucket.Week, [new SeriesPoint(SampleSnapshots.From, 3), new SeriesPoint(SampleSnapshots.From.AddDays(7), null)])],
                Tables =
                [
                    new DataTable("t", Payload("tableCaption"), [Payload("tableColumn"), "link"],
                    [
                        [new TableCell(Payload("cellText")), new TableCell(Payload("linkText"), "javascript:alert(1)")],
                        [new TableCell("upper-case scheme"), new TableCell("x", " JavaScript:alert(1)")],
                        [new TableCell("data scheme"), new TableCell("x", "data:text/html,<script>alert(1)</script>")],
                        [new TableCell("relative"), new TableCell("x", "//evil.example/x")],
                        [new TableCell("quote in url"), new TableCell("x", "https://example.com/\"><script>alert(1)</script>")],
                    ]),
                ],
                Notes = [Payload("note")],
            },
            new SourceReport { Id = "grafana", DisplayName = Payload("failedSourceName"), Status = SourceStatus.Failed, Error = Payload("failureReason") },
            new SourceReport { Id = "notion", DisplayName = Payload("notConfiguredName"), Status = SourceStatus.NotConfigured, Error = Payload("missingSetting") },
        ],
        Metrics =
        [
            SampleSnapshots.Metric("github.deployments", "github", Payload("metricTitle"), MetricUnit.Count, 4, 2, true) with { Definition = Payload("metricDefinition") },
            SampleSnapshots.Metric("dora.deployment_frequency", "dora", Payload("doraTitle"), MetricUnit.PerWeek, 1, 2, true),
            SampleSnapshots.Metric("dora.postmortem_coverage", "dora", Payload("doraOtherTitle"), MetricUnit.Ratio, 0.5, null, true) with { Definition = Payload("doraDefinition") },
        ],
        Okrs =
        [
            new ObjectiveReport
            {
                Title = Payload("objectiveTitle"), Progress = 0.5, Status = OkrStatus.AtRisk,
                KeyResults =
                [
                    new KeyResultReport { Title = Payload("keyResultTitle"), Metric = Payload("keyResultMetric"), Target = 1, Direction = KeyResultDirection.Increase, Owner = Payload("owner"), Status = OkrStatus.NoData },
                    new KeyResultReport { Title = Payload("scoredKeyResultTitle"), Metric = "github.deployments", Target = 8, Direction = KeyResultDirection.Increase, Owner = Payload("scoredOwner"), Confidence = KeyResultConfidence.OnTrack, Note = Payload("checkInNote"), Actual = 4, Progress = 0.5, Status = OkrStatus.AtRisk },
                ],
            },
        ],
        OkrProblems = [Problem.Error(Payload("problemLocation"), Payload("problemMessage"))],
    };
}

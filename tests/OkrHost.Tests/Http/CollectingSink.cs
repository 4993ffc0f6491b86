using System.Collections.Concurrent;
using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace OkrHost.Tests.Http;

/// <summary>A Serilog sink that keeps every event, for assertions on what the pipeline logs.</summary>
public sealed class CollectingSink : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();

    public IReadOnlyList<LogEvent> Events => [.. _events];

    public void Emit(LogEvent logEvent) => _events.Enqueue(logEvent);

    /// <summary>A logger writing every level to this sink.</summary>
    public Logger CreateLogger() => new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(this).CreateLogger();

    /// <summary>Each event's rendered message, property values and exception text: everything a real sink could write.</summary>
    public IEnumerable<string> EverythingWritten() =>
        Events.SelectMany(e => new[] { e.RenderMessage(), e.MessageTemplate.Text, e.Exception?.ToString() ?? "" }
            .Concat(e.Properties.Select(p => $"{p.Key}={p.Value}")));
}

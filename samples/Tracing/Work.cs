using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Tracing;

/// <summary>What one task saw of the trace where it ran: its own span, and the span it ran under.</summary>
public sealed record WorkReport(
    int Item,
    int ProcessId,
    string TraceId,
    string SpanId,
    string ParentSpanId,
    string ParentName,
    string GrandparentSpanId);

/// <summary>The sample's task and its own ActivitySource: user code in a task starts spans as anywhere else.</summary>
public static class Work
{
    public const string SourceName = "Tracing.Sample";

    public static readonly ActivitySource Source = new(SourceName);

    /// <summary>Kept for the worker's life: it samples and records the worker's spans.</summary>
    private static TracerProvider? s_workerTracing;

    /// <summary>The process pool's initializer: tracing in a worker process (add your exporter here).</summary>
    public static void StartWorkerTracing() =>
        s_workerTracing = Sdk.CreateTracerProviderBuilder().AddSource("Weft", SourceName).Build();

    /// <summary>A small piece of work in a span of its own, reporting where in the trace it ran.</summary>
    public static WorkReport Run(int item)
    {
        using var span = Source.StartActivity("work");
        span?.SetTag("item", item);
        var sum = 0L;
        for (var i = 0; i < 1_000_000 * item; i++)
        {
            sum += i % 7;
        }

        span?.SetTag("sum", sum);
        var parent = span?.Parent;
        return new WorkReport(
            item,
            Environment.ProcessId,
            span?.TraceId.ToHexString() ?? "",
            span?.SpanId.ToHexString() ?? "",
            span?.ParentSpanId.ToHexString() ?? "",
            parent?.OperationName ?? "",
            parent?.ParentSpanId.ToHexString() ?? "");
    }
}

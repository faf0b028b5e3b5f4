using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Trace;
using Tracing;
using Weft;

// One OpenTelemetry trace across a thread pool and worker processes. Weft's ActivitySource is named "Weft": every
// task gets a "weft.task" span (submit to done) under the submitter's current span, and runs under it, in this
// process or, through the W3C traceparent in the call frame, in a worker process ("weft.task.run" there).
// The console exporter prints each span of this process as it ends; at the end the sample prints the whole tree,
// with the worker processes' spans (reported back by the tasks themselves, since each process exports its own).
var exported = new List<Activity>();
using var tracing = Sdk.CreateTracerProviderBuilder()
    .AddSource("Weft", Work.SourceName)
    .AddInMemoryExporter(exported)
    .AddConsoleExporter()
    .Build();

List<WorkReport> reports;
ActivityTraceId traceId;
using (var request = Work.Source.StartActivity("request")!)
{
    traceId = request.TraceId;
    using var threads = new ThreadPoolExecutor(2);
    reports = [.. threads.Map(Work.Run, [1, 2, 3])];

    // Each worker process sets up its own tracer provider (the initializer runs once in every worker); a real
    // application points both sides at the same collector (OTLP), which joins the spans by trace id.
    using var processes = new ProcessPoolExecutor(2, initializer: Work.StartWorkerTracing);
    reports.AddRange(processes.Map(Work.Run, [10, 20, 30, 40], chunkSize: 2));
}

tracing.ForceFlush();
Console.WriteLine();
Console.WriteLine($"trace {traceId}");
TraceTree.Print(traceId, exported, reports);

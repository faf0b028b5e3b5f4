using System.Diagnostics;

namespace Tracing;

/// <summary>Prints the spans of one trace as a tree: this process's (from the in-memory exporter) and the worker
/// processes' (from the tasks' reports).</summary>
public static class TraceTree
{
    public static void Print(ActivityTraceId traceId, IEnumerable<Activity> exported, IEnumerable<WorkReport> reports)
    {
        var self = Environment.ProcessId;
        var nodes = exported
            .Where(a => a.TraceId == traceId)
            .Select(a => new Node(a.SpanId.ToHexString(), a.ParentSpanId.ToHexString(), Describe(a), self))
            .ToList();
        var known = nodes.Select(n => n.SpanId).ToHashSet();
        var remote = reports.Where(r => r.ProcessId != self).ToList();
        foreach (var report in remote.Where(r => r.TraceId == traceId.ToHexString()))
        {
            // The worker's "weft.task.run" span is not exported here; the task saw it as its parent.
            if (report.ParentSpanId.Length > 0 && known.Add(report.ParentSpanId))
            {
                nodes.Add(new Node(report.ParentSpanId, report.GrandparentSpanId, report.ParentName, report.ProcessId));
            }

            nodes.Add(new Node(report.SpanId, report.ParentSpanId, $"work item={report.Item}", report.ProcessId));
            known.Add(report.SpanId);
        }

        var children = nodes.ToLookup(n => n.ParentSpanId);
        foreach (var root in nodes.Where(n => !known.Contains(n.ParentSpanId)))
        {
            Print(root, children, "", self);
        }

        var outside = remote.Count(r => r.TraceId != traceId.ToHexString());
        if (outside > 0)
        {
            Console.WriteLine($"{outside} worker-process task(s) ran outside this trace: this build's process pool does not carry the trace context to its workers yet.");
        }
    }

    private static void Print(Node node, ILookup<string, Node> children, string indent, int self)
    {
        var where = node.ProcessId == self ? "" : $"  [worker pid {node.ProcessId}]";
        Console.WriteLine($"{indent}{node.Name}{where}");
        foreach (var child in children[node.SpanId])
        {
            Print(child, children, indent + "  ", self);
        }
    }

    private static string Describe(Activity activity)
    {
        var executor = activity.GetTagItem("weft.executor");
        var item = activity.GetTagItem("item");
        return activity.OperationName switch
        {
            "weft.task" => $"weft.task {activity.DisplayName} on {executor} ({activity.Duration.TotalMilliseconds:F1} ms)",
            "work" => $"work item={item}",
            _ => activity.DisplayName,
        };
    }

    private sealed record Node(string SpanId, string ParentSpanId, string Name, int ProcessId);
}

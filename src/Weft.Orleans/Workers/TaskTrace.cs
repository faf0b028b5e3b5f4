using System.Diagnostics;
using Weft.Diagnostics;
using Weft.Orleans.Wire;

namespace Weft.Orleans.Workers;

/// <summary>
/// One trace across the cluster (issue 23), on Weft's own tracing (<see cref="TaskActivity"/>): the submitter's W3C
/// <c>traceparent</c>/<c>tracestate</c> travel in the task message, and the silo runs the task under them, so inside
/// the task <see cref="Activity.Current"/> has the submitter's trace id.
/// </summary>
/// <remarks>An untraced submitter sends nothing, and the silo then starts nothing.</remarks>
internal static class TaskTrace
{
    /// <summary>What a call carries: the task's activity, else the submitter's, else nothing.</summary>
    public static (string Parent, string? State)? Capture(TaskCall call)
    {
        var context = call.WireTraceContext;
        return context.TraceParent is { } parent ? (parent, context.TraceState) : null;
    }

    /// <summary>Runs the task's body under the message's trace context (dispose when it has returned).</summary>
    public static TaskActivity.RunScope Start(TaskMessage message)
    {
        if (message.TraceParent is null)
        {
            return default;
        }

        var name = ClusterWire.Identify(message.Function).Name ?? "?";
        return TaskActivity.RunUnder(TaskTraceContext.Parse(message.TraceParent, message.TraceState), message.Executor, name);
    }
}

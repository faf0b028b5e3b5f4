using System.Diagnostics;

namespace Weft.Orleans.Workers;

/// <summary>
/// One trace across the cluster: the submitter's W3C <c>traceparent</c>/<c>tracestate</c> travel in the task message,
/// and the silo runs the task under an activity of the <c>Weft</c> source with that parent, so inside the task
/// <see cref="Activity.Current"/> has the submitter's trace id.
/// </summary>
/// <remarks>With no <see cref="Activity.Current"/> on the submitting thread nothing is captured, and with no listener
/// on the silo <see cref="ActivitySource.StartActivity(string, ActivityKind, ActivityContext, IEnumerable{KeyValuePair{string, object?}}?, IEnumerable{ActivityLink}?, DateTimeOffset)"/>
/// returns null: untraced tasks allocate nothing for it.</remarks>
internal static class TaskTrace
{
    private static readonly ActivitySource s_source = new("Weft");

    /// <summary>The calling thread's trace context, if it is traced with W3C ids.</summary>
    public static (string Parent, string? State)? Capture() =>
        Activity.Current is { IdFormat: ActivityIdFormat.W3C, Id: { } id } current ? (id, current.TraceStateString) : null;

    /// <summary>Starts the task's activity on the silo (null when the submitter was not traced or nobody listens).</summary>
    public static Activity? Start(TaskMessage message, string silo)
    {
        if (message.TraceParent is null || !s_source.HasListeners()
            || !ActivityContext.TryParse(message.TraceParent, message.TraceState, isRemote: true, out var parent))
        {
            return null;
        }

        var activity = s_source.StartActivity("weft.cluster.task", ActivityKind.Server, parent);
        activity?.SetTag("weft.task.id", message.Id);
        activity?.SetTag("weft.task.attempt", message.Attempt);
        activity?.SetTag("weft.silo", silo);
        return activity;
    }
}

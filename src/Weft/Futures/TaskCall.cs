using System.Diagnostics;
using Weft.Diagnostics;

namespace Weft;

/// <summary>
/// What a subclass of <see cref="Executor"/> learns about a submitted call in <c>Schedule</c>: the user's own
/// delegate, the form of the call and, through <see cref="Accept{TOut}"/>, its arguments with their declared types.
/// </summary>
/// <remarks>
/// <para>Python: the <c>fn, *args</c> that <c>Executor.submit</c> receives. An executor that runs tasks in this
/// process ignores the call and runs its future with <c>RunOnThisThread</c>; one that sends tasks elsewhere reads
/// the call here and serializes it.</para>
/// <para>A <see langword="ref struct"/>: the description is valid only while <c>Schedule</c> runs (the future
/// drops its work once the task starts), so it cannot be kept by mistake.</para>
/// </remarks>
public readonly ref struct TaskCall
{
    private readonly Future _future;
    private readonly Activity? _activity;

    internal TaskCall(Future future, Activity? activity)
    {
        _future = future;
        _activity = activity;
    }

    private Future Future => _future ?? throw new InvalidOperationException("A default TaskCall describes no call.");

    /// <summary>Gets the form of the call: which <c>Submit</c> overload or <c>Map</c> path made it.</summary>
    /// <exception cref="InvalidOperationException">The description was read after the task started or was sent.</exception>
    public TaskCallShape Shape => Future.Call.Shape;

    /// <summary>Gets the user's own delegate, never a wrapper: its method and target say what to run remotely.</summary>
    /// <exception cref="InvalidOperationException">The description was read after the task started or was sent.</exception>
    public Delegate Function => Future.Call.Function;

    /// <summary>Gets the W3C trace context the remote side should run the call under, so that a trace goes on
    /// there: the task's activity in Weft's <c>ActivitySource</c> (named <c>Weft</c>) when someone listens to it,
    /// otherwise the submitter's <see cref="Activity.Current"/>; <see langword="default"/> when neither exists.</summary>
    /// <value>Send <c>TraceId</c>, <c>SpanId</c>, <c>TraceFlags</c> and <c>TraceState</c> (W3C's <c>traceparent</c>
    /// and <c>tracestate</c>); on the other side start the task's activity with it as the parent.</value>
    public ActivityContext TraceContext => TaskTraceContext.Capture(_activity).Context;

    /// <summary>Gets the trace context in the form Weft's frames and silo messages carry.</summary>
    internal TaskTraceContext WireTraceContext => TaskTraceContext.Capture(_activity);

    /// <summary>Hands the call, with its future, delegate and arguments typed, to the method of
    /// <paramref name="visitor"/> for its <see cref="Shape"/>.</summary>
    /// <typeparam name="TOut">What the visitor makes of the call.</typeparam>
    /// <param name="visitor">The visitor.</param>
    /// <returns>What the visitor returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="visitor"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The description was read after the task started or was sent.</exception>
    public TOut Accept<TOut>(ITaskCallVisitor<TOut> visitor)
    {
        ArgumentNullException.ThrowIfNull(visitor);
        return Future.AcceptCall(visitor);
    }
}

using System.Diagnostics;

namespace Weft.Diagnostics;

/// <summary>
/// The <c>Weft</c> <see cref="ActivitySource"/>: one activity per task, from submit to done, parented to the
/// submitter's <see cref="Activity.Current"/>, so a trace goes on across threads, worker processes and silos.
/// </summary>
/// <remarks>
/// <para>Costs nothing without a listener: every entry point checks <see cref="ActivitySource.HasListeners"/> (a
/// field read) first and allocates only when someone listens.</para>
/// <para>On the parent side <see cref="Executor"/> calls <see cref="StartTask"/> at submit; the task's
/// <see cref="ExecutionContext"/> is captured while the activity is current, so an in-process task runs under it,
/// and the activity stops when the future is done, with the task's exception recorded as OpenTelemetry's
/// semantic conventions say. A remote executor sends <see cref="TaskCall.TraceContext"/> (as
/// <see cref="TaskTraceContext"/>) with the call; the worker runs the call inside <see cref="RunUnder"/>.</para>
/// </remarks>
internal static class TaskActivity
{
    /// <summary>The source's name: what <c>AddSource("Weft")</c> subscribes to.</summary>
    public const string SourceName = "Weft";

    /// <summary>The activity of a task on the submitting side (submit to done).</summary>
    public const string TaskActivityName = "weft.task";

    /// <summary>The activity of a task's run in a worker process or on a silo.</summary>
    public const string RunActivityName = "weft.task.run";

    /// <summary>Tag: the executor's name (<c>ThreadPoolExecutor-0</c>), as on the meter's instruments.</summary>
    public const string ExecutorTag = "weft.executor";

    /// <summary>Tag: the function's name, <c>Type.Method</c>.</summary>
    public const string FunctionTag = "weft.function";

    /// <summary>Tag: the form of the call (<see cref="TaskCallShape"/>).</summary>
    public const string ShapeTag = "weft.task.shape";

    /// <summary>Tag: <c>cancelled</c> on a task cancelled before it ran.</summary>
    public const string OutcomeTag = "weft.task.outcome";

    public static readonly ActivitySource Source = new(SourceName, "1.0");

    /// <summary>Starts the activity of a task being submitted, as a child of <see cref="Activity.Current"/>, and
    /// makes it current on this thread; the caller restores <paramref name="previous"/> once it has captured the
    /// task's execution context. Stops by itself when <paramref name="future"/> is done.</summary>
    /// <returns>The activity, or null when nobody listens (or the sampler declined).</returns>
    public static Activity? StartTask(Executor executor, Future future, out Activity? previous)
    {
        previous = Activity.Current;
        var call = future.Call;
        var activity = Source.StartActivity(TaskActivityName, ActivityKind.Internal);
        if (activity is null)
        {
            return null;
        }

        if (activity.IsAllDataRequested)
        {
            var name = FunctionName(call.Function);
            activity.DisplayName = name;
            activity.SetTag(ExecutorTag, executor.Name);
            activity.SetTag(FunctionTag, name);
            activity.SetTag(ShapeTag, call.Shape.ToString());
        }

        if (!future.TryAddListener(new StopOnDone(activity)))
        {
            Finish(activity, future);   // cannot happen before Schedule, but never leave an activity running
        }

        return activity;
    }

    /// <summary>Stops a task's activity whose submit failed (shut down, broken, or a call that cannot be sent).</summary>
    public static void SubmitFailed(Activity activity, Exception error)
    {
        RecordException(activity, error);
        Stop(activity);
    }

    /// <summary>Runs a task's body in a worker process or on a silo under the submitter's trace context: inside,
    /// <see cref="Activity.Current"/> has the submitter's trace id (a <c>weft.task.run</c> activity of this source
    /// when someone listens here, otherwise a bare activity that only carries the context).</summary>
    /// <param name="parent">The context that came with the call; empty: the body runs with no activity.</param>
    /// <param name="executorName">The parent's executor name, for the tag.</param>
    /// <param name="functionName">The function's name, for the tag and display name.</param>
    /// <returns>A scope to dispose when the body has returned; call <see cref="RunScope.Fail"/> first if it threw.</returns>
    public static RunScope RunUnder(in TaskTraceContext parent, string executorName, string functionName)
    {
        if (parent.IsEmpty)
        {
            return default;
        }

        var previous = Activity.Current;
        var activity = Source.HasListeners()
            ? Source.StartActivity(RunActivityName, ActivityKind.Internal, parent.Context)
            : null;
        if (activity is null)
        {
            // Nobody here listens to Weft, but the user's own code in the task may start activities of its
            // own: they must join the submitter's trace all the same.
            activity = new Activity(RunActivityName);
            activity.SetParentId(parent.Context.TraceId, parent.Context.SpanId, parent.Context.TraceFlags);
            activity.TraceStateString = parent.Context.TraceState;
            activity.Start();
        }
        else if (activity.IsAllDataRequested)
        {
            activity.DisplayName = functionName;
            activity.SetTag(ExecutorTag, executorName);
            activity.SetTag(FunctionTag, functionName);
        }

        return new RunScope(activity, previous);
    }

    /// <summary>The name a task's activity shows: <c>Type.Method</c> of the user's delegate, where a lambda's
    /// compiler-made class (<c>&lt;&gt;c</c>, <c>&lt;&gt;c__DisplayClass0_0</c>) is replaced by the class that wrote it.</summary>
    public static string FunctionName(Delegate function)
    {
        var method = function.Method;
        var type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<') && type.DeclaringType is not null)
        {
            type = type.DeclaringType;
        }

        return type is null ? method.Name : $"{type.Name}.{method.Name}";
    }

    /// <summary>Records <paramref name="error"/> as OpenTelemetry's exception semantic conventions say: an
    /// <c>exception</c> event with <c>exception.type</c>, <c>exception.message</c> and <c>exception.stacktrace</c>,
    /// and status Error. Never throws, even for an exception whose <c>Message</c> or <c>ToString</c> throws.</summary>
    public static void RecordException(Activity activity, Exception error)
    {
        var type = error is RemoteException remote ? remote.RemoteTypeName : error.GetType().FullName ?? error.GetType().Name;
        var message = Safe(() => error.Message, $"(the {type}'s Message threw)");
        var stack = Safe(error.ToString, $"{type}: {message}");
        activity.AddEvent(new ActivityEvent("exception", tags: new ActivityTagsCollection
        {
            { "exception.type", type },
            { "exception.message", message },
            { "exception.stacktrace", stack },
        }));
        activity.SetStatus(ActivityStatusCode.Error, message);
    }

    /// <summary>Stops the activity of a done future, recording its exception or cancellation.</summary>
    private static void Finish(Activity activity, Future future)
    {
        if (future.IsCancelled)
        {
            activity.SetTag(OutcomeTag, "cancelled");
        }
        else if (future.Error is { } error)
        {
            RecordException(activity, error);
        }

        Stop(activity);
    }

    /// <summary>Stops an activity without disturbing the calling thread's <see cref="Activity.Current"/>:
    /// <see cref="Activity.Stop"/> sets it back to the activity's own predecessor (the submitter's), which on a
    /// reader thread or a silo would leak into whatever that thread does next.</summary>
    private static void Stop(Activity activity)
    {
        var current = Activity.Current;
        activity.Stop();
        if (!ReferenceEquals(current, activity) && !ReferenceEquals(Activity.Current, current))
        {
            Activity.Current = current;
        }
    }

    private static string Safe(Func<string> read, string fallback)
    {
        try
        {
            return read();
        }
#pragma warning disable CA1031 // A user's exception whose Message throws must not break tracing, nor the future.
        catch (Exception)
#pragma warning restore CA1031
        {
            return fallback;
        }
    }

    /// <summary>A task's run under a received context; see <see cref="RunUnder"/>.</summary>
    internal readonly struct RunScope : IDisposable
    {
        private readonly Activity? _activity;
        private readonly Activity? _previous;

        public RunScope(Activity activity, Activity? previous)
        {
            _activity = activity;
            _previous = previous;
        }

        /// <summary>The run's activity, or null when the call came with no context.</summary>
        public Activity? RunActivity => _activity;

        /// <summary>Records that the body threw.</summary>
        public void Fail(Exception error)
        {
            if (_activity is not null)
            {
                RecordException(_activity, error);
            }
        }

        /// <summary>Stops the run's activity and puts back what was current before it.</summary>
        public void Dispose()
        {
            if (_activity is null)
            {
                return;
            }

            _activity.Stop();
            Activity.Current = _previous;
        }
    }

    /// <summary>Stops a task's activity when its future is done: after the outcome is set, before user callbacks.</summary>
    private sealed class StopOnDone(Activity activity) : IFutureListener
    {
        public void OnDone(Future future) => Finish(activity, future);
    }
}

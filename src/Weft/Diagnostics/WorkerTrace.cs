using Weft.Threading;

namespace Weft.Diagnostics;

/// <summary>
/// The seam between executors and the thread registry / trace hooks of <see cref="Threads"/>.
/// Executors call these at the points a debugger or <c>threading.settrace</c> user cares about.
/// </summary>
/// <remarks>Task events sit on the per-task hot path: with no trace hook set each costs one volatile read.
/// Worker start/stop always update the registry (once per worker lifetime), so
/// <see cref="Threads.Enumerate"/> lists live workers.</remarks>
internal static class WorkerTrace
{
    /// <summary>A worker thread owned by an executor started running (called on that thread).</summary>
    public static void WorkerStarted(Thread thread, bool daemon)
    {
        Threads.Register(thread, daemon);
        Threads.Emit(TraceEventKind.ThreadStarted, thread);
    }

    /// <summary>A worker thread owned by an executor is about to exit (called on that thread).</summary>
    public static void WorkerStopped(Thread thread)
    {
        Threads.Emit(TraceEventKind.ThreadFinished, thread);
        Threads.Unregister(thread);
    }

    /// <summary>A task is about to run on the current thread.</summary>
    public static void TaskStarted(Future future)
    {
        if (Threads.TraceHook is not null)
        {
            Threads.Emit(TraceEventKind.TaskStarted, Thread.CurrentThread, future);
        }
    }

    /// <summary>A task finished on the current thread; <paramref name="error"/> is its exception, if any.</summary>
    public static void TaskFinished(Future future, Exception? error)
    {
        if (Threads.TraceHook is not null)
        {
            Threads.Emit(error is null ? TraceEventKind.TaskFinished : TraceEventKind.TaskFailed, Thread.CurrentThread, future, error);
        }
    }

    /// <summary>A worker's initializer threw; the executor is now broken. Python logs this as CRITICAL.</summary>
    public static void InitializerFailed(Thread thread, Exception error)
    {
        Console.Error.WriteLine($"Exception in initializer of {thread.Name}:");
        Console.Error.WriteLine(Describe(error));
        Threads.Emit(TraceEventKind.InitializerFailed, thread, exception: error);
    }

    /// <summary>A done-callback threw; reported rather than allowed to break the future (Python logs it).</summary>
    public static void CallbackFailed(Future future, Exception error)
    {
        Console.Error.WriteLine($"exception calling callback for {future}");
        Console.Error.WriteLine(Describe(error));
        Threads.Emit(TraceEventKind.CallbackFailed, Thread.CurrentThread, future, error);
    }

    /// <summary>An exception's text for standard error; never throws, even when the exception's own
    /// <c>ToString</c> or <c>Message</c> does (a user's exception is run on a pool thread, where nothing may escape).</summary>
    public static string Describe(Exception error)
    {
        try
        {
            return error.ToString();
        }
#pragma warning disable CA1031 // The report of a failure must not become a failure of its own.
        catch (Exception)
#pragma warning restore CA1031
        {
            return $"{error.GetType().FullName} (its ToString() threw)";
        }
    }
}

namespace Weft.Diagnostics;

/// <summary>
/// The seam between executors and the thread registry / trace hooks of <c>Weft.Threading.Threads</c>.
/// Executors call these at the points a debugger or <c>threading.settrace</c> user cares about;
/// the registry decides what to record and whom to tell. Every method must be cheap when no hook
/// is set, because it sits on the per-task hot path.
/// </summary>
internal static class WorkerTrace
{
    /// <summary>A worker thread owned by an executor started running (called on that thread).</summary>
    public static void WorkerStarted(Thread thread, bool daemon)
    {
        _ = thread;
        _ = daemon;
    }

    /// <summary>A worker thread owned by an executor is about to exit (called on that thread).</summary>
    public static void WorkerStopped(Thread thread)
    {
        _ = thread;
    }

    /// <summary>A task is about to run on the current thread.</summary>
    public static void TaskStarted(Future future)
    {
        _ = future;
    }

    /// <summary>A task finished on the current thread; <paramref name="error"/> is its exception, if any.</summary>
    public static void TaskFinished(Future future, Exception? error)
    {
        _ = future;
        _ = error;
    }

    /// <summary>A worker's initializer threw; the executor is now broken. Python logs this as CRITICAL.</summary>
    public static void InitializerFailed(Thread thread, Exception error)
    {
        Console.Error.WriteLine($"Exception in initializer of {thread.Name}:");
        Console.Error.WriteLine(error);
    }

    /// <summary>A done-callback threw; reported rather than allowed to break the future (Python logs it).</summary>
    public static void CallbackFailed(Future future, Exception error)
    {
        Console.Error.WriteLine($"exception calling callback for {future}");
        Console.Error.WriteLine(error);
    }
}

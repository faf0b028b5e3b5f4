namespace Weft;

/// <summary>What a <see cref="ProcessPoolExecutor"/> does when a worker process dies.</summary>
/// <remarks>Python: CPython knows only <see cref="BreakPool"/>.</remarks>
public enum WorkerCrashPolicy
{
    /// <summary>CPython's rule: the pool is broken, every pending and running future fails with
    /// <see cref="BrokenProcessPoolException"/> (its inner exception a <see cref="WorkerCrashedException"/>), and
    /// later submits throw.</summary>
    BreakPool,

    /// <summary>Only the task the dead worker was running fails, with <see cref="WorkerCrashedException"/>; calls
    /// sent ahead to it go to a new worker, and the pool stays usable.</summary>
    FailTask,
}

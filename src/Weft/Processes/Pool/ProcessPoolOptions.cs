namespace Weft;

/// <summary>How a <see cref="ProcessPoolExecutor"/> supervises its workers beyond CPython's rules.</summary>
/// <remarks>Python: no counterpart in <c>concurrent.futures</c>; <see cref="TaskTimeout"/> is Pebble's
/// <c>ProcessPool.schedule(timeout=...)</c>, <see cref="MaxWorkerMemoryBytes"/> Celery's
/// <c>worker_max_memory_per_child</c>, <see cref="OnWorkerCrash"/> what downstream "self-healing" pools add.</remarks>
public sealed record ProcessPoolOptions
{
    /// <summary>Gets how long a task may run; one still running then is ended with its worker (as by
    /// <see cref="ProcessPoolExecutor.Terminate"/>) and its future fails with <see cref="TimeoutException"/>.</summary>
    /// <value><see langword="null"/> (the default): no limit. Counted from when the worker starts the task.</value>
    public TimeSpan? TaskTimeout { get; init; }

    /// <summary>Gets what a worker that dies means for the pool.</summary>
    /// <value><see cref="WorkerCrashPolicy.BreakPool"/> by default (CPython's rule).</value>
    public WorkerCrashPolicy OnWorkerCrash { get; init; } = WorkerCrashPolicy.BreakPool;

    /// <summary>Gets the resident memory above which a worker is retired after a task and replaced by a fresh one.</summary>
    /// <value><see langword="null"/> (the default): no limit. Read on Linux from <c>/proc</c>, elsewhere from the
    /// process's working set.</value>
    public long? MaxWorkerMemoryBytes { get; init; }
}

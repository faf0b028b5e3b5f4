using System.Diagnostics;

namespace Weft;

/// <summary>
/// An <see cref="Executor"/> that runs tasks on its own pool of worker threads, started lazily up to
/// <see cref="MaxWorkers"/> and named <c>{prefix}_{n}</c> as in CPython.
/// </summary>
/// <remarks>
/// <para>Python: <c>concurrent.futures.ThreadPoolExecutor</c>. Tasks start in submission order; a new
/// thread is started only when no idle worker is left for the work already queued; an idle worker is
/// always reused first.</para>
/// <para>Workers are background threads (Python's daemon), so a forgotten executor never keeps the
/// process alive; <see cref="Executor.Dispose"/> joins them, so none outlives a disposed executor. The
/// workers do not keep the executor reachable: once an executor is garbage (nothing queued, nothing
/// running, nobody holding it), its finalizer shuts it down and the workers exit, as CPython's do through
/// a weakref callback.</para>
/// </remarks>
[DebuggerDisplay("{Name}: threads={ThreadCount}/{MaxWorkers}, queued={PendingCount}, busy={BusyWorkerCount}")]
public sealed partial class ThreadPoolExecutor : Executor
{
    private const string InitializerFailedMessage = "A thread initializer failed, the thread pool is not usable anymore";

    private static int s_defaultPrefixCounter = -1;

    private readonly Workers _workers;

    /// <summary>Creates a thread pool executor; no thread starts until the first task is submitted.</summary>
    /// <param name="maxWorkers">The most worker threads; <see langword="null"/> means
    /// <c>Math.Min(32, Environment.ProcessorCount + 4)</c>, CPython's default.</param>
    /// <param name="threadNamePrefix">Worker names are <c>{prefix}_{n}</c>; by default
    /// <c>ThreadPoolExecutor-{k}</c> with a process-wide counter k.</param>
    /// <param name="initializer">Runs once on each worker before its first task. If it throws, the pool is
    /// broken: queued and later tasks fail with <see cref="BrokenThreadPoolException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null, string? threadNamePrefix = null, Action? initializer = null)
        : this(maxWorkers, threadNamePrefix, initializer, TimeProvider.System)
    {
    }

    /// <summary>Creates a thread pool executor whose timeouts read <paramref name="time"/> (tests pass a fake clock).</summary>
    internal ThreadPoolExecutor(int? maxWorkers, string? threadNamePrefix, Action? initializer, TimeProvider time)
        : base(NameFor(maxWorkers, threadNamePrefix))
    {
        MaxWorkers = maxWorkers ?? Math.Min(32, Environment.ProcessorCount + 4);
        Time = time;
        _workers = new Workers(this, MaxWorkers, initializer);
    }

    /// <summary>The executor became garbage without being shut down: let its workers exit once idle.</summary>
    ~ThreadPoolExecutor() => _workers?.BeginShutdown(cancelFutures: false); // null when the constructor threw

    /// <summary>Gets the most worker threads this executor will start.</summary>
    /// <value>By default <c>Math.Min(32, Environment.ProcessorCount + 4)</c>.</value>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    protected internal override int PendingCount => _workers.PendingCount;

    /// <inheritdoc/>
    protected internal override int BusyWorkerCount => _workers.BusyCount;

    /// <summary>The worker threads started so far (for tests and diagnostics).</summary>
    internal int ThreadCount => _workers.ThreadCount;

    /// <summary>Workers counted idle now (for tests of the worker accounting).</summary>
    internal int IdleCount => _workers.IdleCount;

    internal override bool IsOwnWorker(Thread thread) => _workers.Owns(thread);

    /// <inheritdoc/>
    protected override void Schedule(Future future, TaskCall call) => _workers.Schedule(future);

    /// <inheritdoc/>
    protected override void BeginShutdown(bool cancelFutures) => _workers.BeginShutdown(cancelFutures);

    /// <summary>Joins every thread, so none outlives a disposed executor (the stopped signal comes a little earlier,
    /// from the last thread's way out).</summary>
    private protected override void JoinWorkers() => _workers.Join();

    internal override void OnTaskReturned() => _workers.TaskReturned();

    /// <summary>The last worker exited after shutdown: releases <c>Shutdown(wait: true)</c> and <c>DisposeAsync</c>.</summary>
    private void OnWorkersStopped() => SignalStopped();

    /// <summary>The initializer failed (called by a worker, with no lock held).</summary>
    private void OnInitializerFailed(Exception error) => SetBroken(new BrokenThreadPoolException(InitializerFailedMessage, error));

    /// <summary>Checks the argument before the base constructor registers the executor, so a refused
    /// constructor call leaves nothing behind in the metrics registry.</summary>
    private static string NameFor(int? maxWorkers, string? threadNamePrefix)
    {
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        return threadNamePrefix ?? $"ThreadPoolExecutor-{Interlocked.Increment(ref s_defaultPrefixCounter)}";
    }

    /// <summary>Runs a queued future on the calling worker through its executor (the worker holds no executor of its own).</summary>
    private static void Run(Future future) => ((ThreadPoolExecutor)future.Owner!).RunOnThisThread(future);
}

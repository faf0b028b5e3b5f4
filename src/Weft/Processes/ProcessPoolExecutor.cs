using System.Diagnostics;
using Weft.Diagnostics;
using Weft.Processes;

namespace Weft;

/// <summary>
/// An <see cref="Executor"/> that runs tasks in worker processes, for CPU-bound work that must use every core.
/// Workers start lazily up to <see cref="MaxWorkers"/>, are reused, and run the user's own assembly: a worker is
/// started with the application's runtime config and dependency graph.
/// </summary>
/// <remarks>
/// <para>Python: <c>concurrent.futures.ProcessPoolExecutor</c> with the <c>spawn</c> start method.</para>
/// <para>What can be submitted: static methods and lambdas that capture nothing (the worker finds the compiler's
/// cached lambda again). A lambda that captures variables, or an instance method bound to an object, is refused
/// at <c>Submit</c> with an <see cref="ArgumentException"/> naming what was captured. Arguments and results cross
/// the process boundary by value, serialized as JSON by their declared types; no type name read off the pipe is
/// ever instantiated.</para>
/// <para>Failures: a task's exception comes back as its future's exception, rebuilt as its own type when it is
/// a common BCL exception (with a <see cref="RemoteException"/> carrying the remote stack trace as its inner
/// exception), otherwise as a <see cref="RemoteException"/>. A worker that dies (crash, <c>FailFast</c>,
/// <c>kill -9</c>, killed by the OS for memory) breaks the pool: every pending and running future fails at once with
/// <see cref="BrokenProcessPoolException"/> naming the worker's exit code. Workers exit by themselves when this
/// process dies.</para>
/// <para>Data flow (CPython's diagram, without its queue-management thread):</para>
/// <code>
/// Submit ──► _queue ──(sender thread, one per worker: window of calls)──► channel ┐ (Unix-domain socket)
///                                                       worker: runs calls in order, posts each result at once
/// Future ◄── TryStart/TrySetResult/TrySetException ◄──(reader thread, one per worker)◄── channel ┘
/// Process.Exited ──► close the channel if the reader has not seen its end (a death is noticed either way)
/// </code>
/// <para>Lock order: <c>_gate</c> guards the queue, the worker list and every worker's in-flight table; a worker's
/// write lock is taken only without <c>_gate</c>. Futures complete, and user callbacks run, with no lock held.</para>
/// </remarks>
[DebuggerDisplay("{Name}: workers={_workers.Count}/{MaxWorkers}, queued={_queue.Count}, shutdown={IsShutdown}, broken={_broken != null}")]
public sealed partial class ProcessPoolExecutor : Executor
{
    private const string BrokenMessage = "A child process terminated abruptly, the process pool is not usable anymore";

    [ThreadStatic]
    private static ProcessPoolExecutor? t_ownThread;

    private static int s_counter = -1;

    private readonly object _gate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<WorkerConnection> _workers = [];   // started and not yet exited
    private readonly TaskFunction? _initializer;
    private readonly int? _maxTasksPerChild;

    private long _nextTaskId;
    private int _workersStarted;
    private int _waiting;        // sender threads blocked in Monitor.Wait(_gate)
    private BrokenProcessPoolException? _broken;

    /// <summary>Creates a process pool; no process starts until the first task is submitted.</summary>
    /// <param name="maxWorkers">The most worker processes; <see langword="null"/> means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="initializer">A static method or non-capturing lambda run once in each worker before its first task.
    /// If it throws, the pool is broken: pending and later tasks fail with <see cref="BrokenProcessPoolException"/>.</param>
    /// <param name="maxTasksPerChild">Tasks (or <c>Map</c> chunks) a worker runs before it is replaced by a fresh
    /// process; <see langword="null"/>: workers live as long as the pool.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxTasksPerChild"/> is zero or negative.</exception>
    /// <exception cref="ArgumentException"><paramref name="initializer"/> captures variables or is bound to an object.</exception>
    /// <remarks>Python: <c>ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None, initargs=(), max_tasks_per_child=None)</c>.</remarks>
    public ProcessPoolExecutor(int? maxWorkers = null, Action? initializer = null, int? maxTasksPerChild = null)
        : base($"ProcessPoolExecutor-{Interlocked.Increment(ref s_counter)}")
    {
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        if (maxTasksPerChild is { } perChild)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perChild, nameof(maxTasksPerChild));
        }

        MaxWorkers = maxWorkers ?? Environment.ProcessorCount;
        _maxTasksPerChild = maxTasksPerChild;
        _initializer = initializer is null ? null : TaskFunction.From(initializer, TaskShape.Action, nameof(initializer));
        ShutdownToken.Register(static pool => ((ProcessPoolExecutor)pool!).CancelRunningTasks(), this);
    }

    /// <summary>Gets the most worker processes this pool will run at once.</summary>
    /// <value>By default <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    protected internal override int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <inheritdoc/>
    protected internal override int BusyWorkerCount
    {
        get
        {
            lock (_gate)
            {
                return _workers.Count(w => w.InFlightCount > 0);
            }
        }
    }

    /// <summary>The process ids of the live workers (for tests and diagnostics).</summary>
    internal IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Where(w => w.ProcessId != 0).Select(w => w.ProcessId)];
            }
        }
    }

    /// <inheritdoc/>
    protected override void BeginShutdown(bool cancelFutures)
    {
        List<WorkItem>? cancelled = null;
        WorkerConnection? start = null;
        lock (_gate)
        {
            if (cancelFutures)
            {
                // Queued calls, and calls sent ahead that no worker has started (Cancel refuses Running ones).
                cancelled = [.. _queue];
                _queue.Clear();
                foreach (var worker in _workers)
                {
                    worker.CopyInFlightLocked(cancelled);
                }
            }
            else
            {
                start = StartWorkerIfNeededLocked(purgeCancelled: true);
            }

            Monitor.PulseAll(_gate);
        }

        start?.Start();
        foreach (var item in cancelled ?? [])
        {
            item.Future.Cancel();
        }

        CheckStopped();
    }

    /// <summary>The sender and reader threads run user callbacks: Shutdown(wait: true) there would wait for itself.</summary>
    internal override bool IsOwnWorker(Thread thread) => thread == Thread.CurrentThread && t_ownThread == this;

    private void Add(WorkItem item)
    {
        WorkerLaunch.EnsureCanStart();   // a missing FreezeSupport() or worker file fails this Submit, in its own words
        if (item.Arguments.Length > FrameReader.DefaultMaxLength - FrameReader.HeaderAllowance)
        {
            throw new ArgumentException(
                $"The arguments are {item.Arguments.Length} bytes serialized, over the {FrameReader.DefaultMaxLength}-byte frame cap " +
                $"({FrameReader.MaxFrameLengthSetting} in the runtimeconfig).", "arg");
        }

        WorkerConnection? start;
        lock (_gate)
        {
            if (_broken is not null)
            {
                throw new BrokenProcessPoolException(BrokenMessage, _broken.ExitCode, _broken);
            }

            item.Id = ++_nextTaskId;
            _queue.Enqueue(item);
            start = StartWorkerIfNeededLocked(purgeCancelled: false);
            if (_waiting > 0)
            {
                Monitor.PulseAll(_gate);
            }
        }

        start?.Start();
    }

    /// <summary>Adds a worker when queued work outnumbers idle workers and there is room (CPython's
    /// <c>_adjust_process_count</c> for spawn: idle workers are reused first). Under <c>_gate</c>; the caller starts it.</summary>
    private WorkerConnection? StartWorkerIfNeededLocked(bool purgeCancelled)
    {
        if (_broken is not null)
        {
            return null;
        }

        if (purgeCancelled)
        {
            var live = _queue.Where(i => !i.Future.IsCancelled).ToList();
            _queue.Clear();
            live.ForEach(_queue.Enqueue);
        }

        if (_queue.Count == 0)
        {
            return null;
        }

        var active = _workers.Count(w => !w.Retiring);
        if (active >= MaxWorkers || _queue.Count <= IdleWorkersLocked(except: null))
        {
            return null;
        }

        var started = new WorkerConnection(this, _workersStarted++);
        _workers.Add(started);
        return started;
    }

    /// <summary>Workers with nothing in flight, including those still starting. Under <c>_gate</c>.</summary>
    private int IdleWorkersLocked(WorkerConnection? except)
    {
        var idle = 0;
        foreach (var worker in _workers)
        {
            if (worker != except && !worker.Retiring && worker.InFlightCount == 0)
            {
                idle++;
            }
        }

        return idle;
    }

    private void StartWorkerIfNeeded()
    {
        WorkerConnection? start;
        lock (_gate)
        {
            start = StartWorkerIfNeededLocked(purgeCancelled: true);
        }

        start?.Start();
    }

    /// <summary>Marks the pool broken, fails every pending and running future, and kills the other workers.</summary>
    private void Break(BrokenProcessPoolException error)
    {
        var failed = new List<WorkItem>();
        List<WorkerConnection> workers;
        SetBroken(new BrokenProcessPoolException(BrokenMessage, error.ExitCode, error));   // Submit checks it before shut-down, as CPython does
        lock (_gate)
        {
            if (_broken is not null)
            {
                return;
            }

            _broken = error;
            failed.AddRange(_queue);
            _queue.Clear();
            foreach (var worker in _workers)
            {
                worker.TakeInFlightLocked(failed);
            }

            workers = [.. _workers];
            Monitor.PulseAll(_gate);
        }

        // One exception object per future: a shared one would have its stack trace rewritten by every thrower.
        foreach (var item in failed)
        {
            item.Future.TrySetException(new BrokenProcessPoolException(error.Message, error.ExitCode, error.InnerException));
        }

        foreach (var worker in workers)
        {
            worker.Kill();
        }

        CheckStopped();
    }

    private void CheckStopped()
    {
        bool stopped;
        lock (_gate)
        {
            stopped = IsShutdown && _workers.Count == 0;
        }

        if (stopped)
        {
            SignalStopped();
        }
    }

    private void CancelRunningTasks()
    {
        List<WorkerConnection> workers;
        lock (_gate)
        {
            workers = [.. _workers];
        }

        foreach (var worker in workers)
        {
            worker.SendCancelAll();
        }
    }
}

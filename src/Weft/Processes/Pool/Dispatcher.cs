using System.Diagnostics;

namespace Weft.Processes;

/// <summary>
/// The pool's scheduling: the queue of calls, the workers (<see cref="Worker"/> state machines) and the policy
/// that decides which worker takes what, when a worker starts, retires or is replaced, and what a dead worker
/// means for the pool. Owned by a <see cref="ProcessPoolExecutor"/>, which it never references: the pool's threads
/// hold only this, so a dropped pool is collected and its finalizer shuts the workers down.
/// </summary>
/// <remarks>
/// <para>Lock order: <c>_gate</c> guards the queue, the worker list, every worker's state and table; a worker's
/// write lock (<see cref="WorkerConnection"/>) is taken only without <c>_gate</c>. Futures complete, and user
/// callbacks run, with no lock held.</para>
/// <para>Threads, per worker: a sender (starts the process, then moves calls from the queue to the channel) and a
/// reader (frames to futures, then the worker's end). Both are "own" threads (<see cref="Current"/>): a done-callback
/// on them that waits for the pool is refused rather than left to hang.</para>
/// </remarks>
[DebuggerDisplay("{_name}: workers={_workers.Count}/{_maxWorkers}, queued={_queue.Count}, shutdown={_shutdown}, broken={_broken != null}")]
internal sealed partial class Dispatcher
{
    private const string BrokenMessage = "A child process terminated abruptly, the process pool is not usable anymore";

    [ThreadStatic]
    private static Dispatcher? t_current;

    private readonly object _gate = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<Worker> _workers = [];   // started and not yet exited
    private readonly string _name;
    private readonly int _maxWorkers;
    private readonly int? _maxTasksPerChild;
    private readonly TaskFunction? _initializer;
    private readonly PoolPolicy _policy;
    private readonly CancellationToken _shutdownToken;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private long _nextTaskId;
    private int _workersStarted;
    private int _waiting;      // sender threads blocked in Monitor.Wait(_gate)
    private int _completing;   // batches taken out of the tables and not yet completed outside the lock
    private bool _shutdown;
    private BrokenProcessPoolException? _broken;

    public Dispatcher(string name, int maxWorkers, int? maxTasksPerChild, TaskFunction? initializer, PoolPolicy policy, CancellationToken shutdownToken)
    {
        _name = name;
        _maxWorkers = maxWorkers;
        _maxTasksPerChild = maxTasksPerChild;
        _initializer = initializer;
        _policy = policy;
        _shutdownToken = shutdownToken;
    }

    /// <summary>The dispatcher whose thread this is, if any.</summary>
    public static Dispatcher? Current => t_current;

    /// <summary>The pool, weakly: the dispatcher reports a broken and a stopped pool to it, and must not keep it alive.</summary>
    public WeakReference<ProcessPoolExecutor>? Owner { get; init; }

    /// <summary>Makes the worker's start info; a test may start something else to see a worker die at start.</summary>
    public Func<ProcessStartInfo> StartInfo { get; set; } = WorkerLaunch.CreateStartInfo;

    public Task Stopped => _stopped.Task;

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    public int BusyWorkerCount
    {
        get
        {
            lock (_gate)
            {
                return _workers.Count(w => w.InFlightCount > 0);
            }
        }
    }

    public IReadOnlyList<int> WorkerProcessIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _workers.Where(w => w.ProcessId != 0).Select(w => w.ProcessId)];
            }
        }
    }

    /// <summary>Queues a call and starts a worker for it if the policy says so.</summary>
    /// <exception cref="BrokenProcessPoolException">The pool is broken.</exception>
    /// <exception cref="InvalidOperationException">The pool is shut down.</exception>
    public void Add(WorkItem item)
    {
        Worker? start;
        lock (_gate)
        {
            if (_broken is not null)
            {
                throw new BrokenProcessPoolException(BrokenMessage, _broken.ExitCode, _broken);
            }

            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            item.Id = ++_nextTaskId;
            _queue.Enqueue(item);
            start = StartWorkerIfNeededLocked(purgeCancelled: false);

            // Only the first call into an empty queue wakes the senders: one that left calls queued waits for a
            // window or a fair share that only an answer changes, and an answer wakes it (Answered). Waking every
            // sender for every call of a 100,000-call Map cost two context switches a call.
            if (_waiting > 0 && _queue.Count == 1)
            {
                Monitor.PulseAll(_gate);
            }
        }

        Start(start);
    }

    /// <summary>Stops accepting calls; with <paramref name="cancelFutures"/>, cancels those not started. Never blocks.</summary>
    public void BeginShutdown(bool cancelFutures)
    {
        List<WorkItem>? cancelled = null;
        Worker? start = null;
        lock (_gate)
        {
            _shutdown = true;
            if (cancelFutures)
            {
                // Queued calls, and calls sent ahead that no worker has started (Cancel refuses Running ones).
                cancelled = [.. _queue];
                _queue.Clear();
                foreach (var worker in _workers)
                {
                    worker.CopyInFlight(cancelled);
                }
            }
            else
            {
                start = StartWorkerIfNeededLocked(purgeCancelled: true);
            }

            Monitor.PulseAll(_gate);
        }

        Start(start);
        foreach (var item in cancelled ?? [])
        {
            item.Future.Cancel();
        }

        CheckStopped();
    }

    /// <summary>Fires the token of every running cancellable task.</summary>
    public void CancelRunningTasks()
    {
        foreach (var worker in Snapshot())
        {
            worker.Connection.SendCancelAll();
        }
    }

    /// <summary>Adds a worker when queued work outnumbers idle workers and there is room (CPython's
    /// <c>_adjust_process_count</c> for spawn: idle workers are reused first). Under <c>_gate</c>; the caller
    /// starts it with <see cref="Start"/>.</summary>
    private Worker? StartWorkerIfNeededLocked(bool purgeCancelled)
    {
        if (_broken is not null)
        {
            return null;
        }

        if (purgeCancelled && _queue.Any(i => i.Future.IsCancelled))
        {
            var live = _queue.Where(i => !i.Future.IsCancelled).ToList();
            _queue.Clear();
            live.ForEach(_queue.Enqueue);
        }

        if (_queue.Count == 0)
        {
            return null;
        }

        var active = _workers.Count(w => w.State != WorkerState.Retiring);
        if (active >= _maxWorkers || _queue.Count <= IdleWorkersLocked(except: null))
        {
            return null;
        }

        var started = new Worker(_workersStarted++, new WorkerConnection());
        _workers.Add(started);
        return started;
    }

    /// <summary>Workers with nothing in flight that take calls, or are still starting. Under <c>_gate</c>.</summary>
    private int IdleWorkersLocked(Worker? except)
    {
        var idle = 0;
        foreach (var worker in _workers)
        {
            if (worker != except && worker.State is WorkerState.Starting or WorkerState.Ready)
            {
                idle++;
            }
        }

        return idle;
    }

    /// <summary>Gives <paramref name="worker"/> what it may take now, under <c>_gate</c>, waiting until there is something.</summary>
    /// <returns>False when its sender must stop (pool broken, worker gone or ended).</returns>
    private bool TakeWorkLocked(Worker worker, List<WorkItem> batch, out bool sendExit)
    {
        while (true)
        {
            sendExit = false;
            if (worker.ExitPending && _broken is null)
            {
                worker.ExitPending = false;
                sendExit = true;   // retired for its memory: the Exit frame follows the calls it holds
                return true;
            }

            if (_broken is not null || !worker.TakesCalls)
            {
                return false;
            }

            FillBatchLocked(worker, batch);

            // The worker exits after the calls already sent to it: when it reached maxTasksPerChild, or when the
            // pool is shut down and no work is left to give it.
            sendExit = (_maxTasksPerChild is { } most && worker.TasksSent >= most) || (_shutdown && _queue.Count == 0);
            if (sendExit)
            {
                worker.Retire();
                return true;
            }

            if (batch.Count > 0)
            {
                return true;
            }

            _waiting++;
            Monitor.Wait(_gate);
            _waiting--;
        }
    }

    /// <summary>Moves calls from the queue to <paramref name="worker"/>, as many as its window and its fair share
    /// allow. Under <c>_gate</c>. A method of its own so that no call stays referenced from the frame of a sender
    /// that then waits (a dropped pool must be collectable).</summary>
    private void FillBatchLocked(Worker worker, List<WorkItem> batch)
    {
        while (worker.InFlightCount < worker.Window && _queue.Count > 0)
        {
            // Beyond its first call, a worker takes only its fair share of what idle (or starting) workers
            // leave, so 4 long tasks on 2 workers go 2 and 2, not 3 and 1 to whichever was first.
            if (worker.InFlightCount > 0 && _queue.Count - IdleWorkersLocked(except: worker) <= worker.InFlightCount)
            {
                break;
            }

            var item = _queue.Dequeue();
            item.CancelSink = worker.Connection.CancelSink;
            if (item.Listening ? item.Future.IsCancelled : !(item.Listening = item.Future.TryAddListener(item)))
            {
                continue;   // cancelled while pending: it is never sent
            }

            worker.Assign(item);
            batch.Add(item);
            if (_maxTasksPerChild is { } max && worker.TasksSent >= max)
            {
                break;
            }
        }
    }

    private void StartWorkerIfNeeded()
    {
        Worker? start;
        lock (_gate)
        {
            start = StartWorkerIfNeededLocked(purgeCancelled: true);
        }

        Start(start);
    }

    private List<Worker> Snapshot()
    {
        lock (_gate)
        {
            return [.. _workers];
        }
    }

    /// <summary>Signals <see cref="Stopped"/> once the pool is shut down, every worker has exited and every call
    /// taken out of the tables has been completed (so <c>Shutdown(wait: true)</c> returns with no future Running).</summary>
    private void CheckStopped()
    {
        bool stopped;
        lock (_gate)
        {
            stopped = _shutdown && _workers.Count == 0 && _completing == 0;
        }

        if (stopped)
        {
            _stopped.TrySetResult();
            if (Owner?.TryGetTarget(out var owner) == true)
            {
                owner.OnStopped();
            }
        }
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Diagnostics;

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
/// process alive; <see cref="Executor.Dispose"/> joins them, so none outlives a disposed executor.</para>
/// <para>Lock order: <c>_lock</c> guards the thread list and the shut-down/broken transitions, and is
/// never held while user code runs or a future completes. The queue and the idle/parked counters are
/// lock-free; see <see cref="Park"/> for why no wake-up is lost.</para>
/// </remarks>
[DebuggerDisplay("{Name}: threads={_threadCount}/{MaxWorkers}, idle={Idle}, queued={PendingCount}, shutdown={_shutdown}, broken={_broken != null}")]
public sealed class ThreadPoolExecutor : Executor
{
    private const long OneQueued = 1L << 32;
    private const string InitializerFailedMessage = "A thread initializer failed, the thread pool is not usable anymore";

    private static int s_defaultPrefixCounter = -1;

    private readonly ConcurrentQueue<Future> _queue = new();
    private readonly SemaphoreSlim _wake = new(0);
    private readonly Lock _lock = new();
    private readonly List<Thread> _threads = [];
    private readonly Action? _initializer;
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _threadCount;   // threads ever started; guarded by _lock
    private int _liveThreads;   // threads not yet exited; guarded by _lock
    // Queued items (high 32 bits) and idle workers (low 32 bits) in one word, so that a worker taking an
    // item moves both at once and Schedule compares the two from one snapshot. Updated separately, a
    // Submit racing a worker could see either a busy worker still counted idle (no thread started: a
    // task waiting on the next one deadlocks) or an item already taken still counted queued (a spurious
    // thread). Both counts are signed: queued dips to -1 when a worker takes an item before Schedule counts it.
    private long _counts;
    private int _parked;        // workers blocked in _wake
    private int _wakePending;   // 1 while a wake-up is in flight, so a burst of submits releases one permit
    private volatile bool _shutdown;
    private volatile BrokenThreadPoolException? _broken;

    /// <summary>Creates a thread pool executor; no thread starts until the first task is submitted.</summary>
    /// <param name="maxWorkers">The most worker threads; <see langword="null"/> means
    /// <c>Math.Min(32, Environment.ProcessorCount + 4)</c>, CPython's default.</param>
    /// <param name="threadNamePrefix">Worker names are <c>{prefix}_{n}</c>; by default
    /// <c>ThreadPoolExecutor-{k}</c> with a process-wide counter k.</param>
    /// <param name="initializer">Runs once on each worker before its first task. If it throws, the pool is
    /// broken: queued and later tasks fail with <see cref="BrokenThreadPoolException"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative.</exception>
    public ThreadPoolExecutor(int? maxWorkers = null, string? threadNamePrefix = null, Action? initializer = null)
        : base(threadNamePrefix ?? $"ThreadPoolExecutor-{Interlocked.Increment(ref s_defaultPrefixCounter)}")
    {
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        MaxWorkers = maxWorkers ?? Math.Min(32, Environment.ProcessorCount + 4);
        _initializer = initializer;
    }

    /// <summary>Gets the most worker threads this executor will start.</summary>
    /// <value>By default <c>Math.Min(32, Environment.ProcessorCount + 4)</c>.</value>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    protected internal override int PendingCount => Math.Max(0, Queued(Volatile.Read(ref _counts)));

    private int Idle => IdleOf(Volatile.Read(ref _counts));

    /// <inheritdoc/>
    protected internal override int BusyWorkerCount
    {
        get
        {
            lock (_lock)
            {
                return Math.Max(0, _liveThreads - Idle);
            }
        }
    }

    /// <summary>The worker threads started so far (for tests and diagnostics).</summary>
    internal int ThreadCount
    {
        get
        {
            lock (_lock)
            {
                return _threadCount;
            }
        }
    }

    /// <inheritdoc/>
    protected override void Schedule(Future future)
    {
        lock (_lock)
        {
            if (_broken is { } broken)
            {
                throw new BrokenThreadPoolException(broken.Message, broken.InnerException!);
            }

            if (_shutdown)
            {
                throw new InvalidOperationException("cannot schedule new futures after shutdown");
            }

            _queue.Enqueue(future);
            var counts = Interlocked.Add(ref _counts, OneQueued);

            // One more thread only when the queued work outnumbers the idle workers (CPython's
            // _adjust_thread_count, without its idle-semaphore drift).
            if (Queued(counts) > IdleOf(counts) && _threadCount < MaxWorkers)
            {
                StartWorker();
            }
        }

        if (Volatile.Read(ref _parked) > 0)
        {
            WakeOne();
        }
    }

    /// <inheritdoc/>
    protected override void BeginShutdown(bool cancelFutures)
    {
        int live;
        lock (_lock)
        {
            _shutdown = true;
            live = _liveThreads;
        }

        if (cancelFutures)
        {
            // No lock: nothing can be added after _shutdown, and Cancel runs user callbacks.
            while (_queue.TryDequeue(out var future))
            {
                Interlocked.Add(ref _counts, -OneQueued);
                future.Cancel();
            }
        }

        if (live > 0)
        {
            _wake.Release(live);
        }
        else
        {
            Stopped();
        }
    }

    /// <inheritdoc/>
    protected override void JoinWorkers()
    {
        Thread[] threads;
        lock (_lock)
        {
            threads = [.. _threads];
        }

        foreach (var thread in threads)
        {
            if (thread == Thread.CurrentThread)
            {
                throw new InvalidOperationException("cannot join current thread: Shutdown(wait: true) was called from one of this executor's own workers");
            }

            thread.Join();
        }
    }

    /// <inheritdoc/>
    protected override Task WhenStopped() => _stopped.Task;

    private protected override void OnTaskReturned() => Interlocked.Increment(ref _counts);

    private static int IdleOf(long counts) => (int)counts;

    private static int Queued(long counts) => (int)((counts - IdleOf(counts)) >> 32);

    /// <remarks>Caller holds <c>_lock</c>.</remarks>
    private void StartWorker()
    {
        var thread = new Thread(WorkerLoop)
        {
            Name = $"{Name}_{_threadCount}",
            IsBackground = true,
        };
        _threads.Add(thread);
        _threadCount++;
        _liveThreads++;
        thread.UnsafeStart();
    }

    private void WorkerLoop()
    {
        var self = Thread.CurrentThread;
        WorkerTrace.WorkerStarted(self, daemon: true);
        try
        {
            if (_initializer is not null && !RunInitializer())
            {
                return;
            }

            Interlocked.Increment(ref _counts);
            while (_broken is null)
            {
                if (_queue.TryDequeue(out var future))
                {
                    Interlocked.Add(ref _counts, -OneQueued - 1);
                    RunOnThisThread(future);
                    continue;
                }

                if (_shutdown)
                {
                    // A Submit that won the lock before Shutdown may have enqueued after our failed
                    // TryDequeue; reading _shutdown makes that enqueue visible, so look once more.
                    if (_queue.IsEmpty)
                    {
                        break;
                    }

                    continue;
                }

                if (!SpinForWork())
                {
                    Park();
                }
            }

            Interlocked.Decrement(ref _counts);
        }
        finally
        {
            bool last;
            lock (_lock)
            {
                _threads.Remove(self);
                last = --_liveThreads == 0 && (_shutdown || _broken is not null);
            }

            WorkerTrace.WorkerStopped(self);
            if (last)
            {
                Stopped();
            }
        }
    }

    private bool RunInitializer()
    {
        try
        {
            _initializer!();
            return true;
        }
#pragma warning disable CA1031 // Python: a failing initializer breaks the pool instead of killing the process.
        catch (Exception e)
#pragma warning restore CA1031
        {
            WorkerTrace.InitializerFailed(Thread.CurrentThread, e);
            lock (_lock)
            {
                _broken ??= new BrokenThreadPoolException(InitializerFailedMessage, e);
            }

            while (_queue.TryDequeue(out var future))
            {
                Interlocked.Add(ref _counts, -OneQueued);
                future.TrySetException(new BrokenThreadPoolException(InitializerFailedMessage, e));
            }

            // Let parked siblings see the broken flag and exit.
            _wake.Release(Math.Max(1, Volatile.Read(ref _parked)));
            return false;
        }
    }

    /// <summary>Briefly spins for work before parking: a burst of small tasks then costs no kernel wake-ups.</summary>
    private bool SpinForWork()
    {
        var spinner = default(SpinWait);
        for (var i = 0; i < 12; i++)
        {
            spinner.SpinOnce(sleep1Threshold: -1);
            if (!_queue.IsEmpty || _shutdown)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Blocks an idle worker until there is work, shutdown, or breakage.</summary>
    /// <remarks>
    /// No lost wake-up: the worker increments <c>_parked</c> (a full fence) before its last look at the
    /// queue, and a submitter enqueues (a full fence) before it reads <c>_parked</c>; so either the worker
    /// sees the item or the submitter sees the parked worker. Extra permits only cause a harmless spin.
    /// </remarks>
    private void Park()
    {
        Interlocked.Increment(ref _parked);
        if (!_queue.IsEmpty || _shutdown || _broken is not null)
        {
            Interlocked.Decrement(ref _parked);
            return;
        }

        _wake.Wait();
        Interlocked.Decrement(ref _parked);
        Volatile.Write(ref _wakePending, 0);

        // More work than this worker can take: pass the wake-up on.
        if (!_queue.IsEmpty && Volatile.Read(ref _parked) > 0)
        {
            WakeOne();
        }
    }

    private void WakeOne()
    {
        if (Interlocked.CompareExchange(ref _wakePending, 1, 0) == 0)
        {
            _wake.Release();
        }
    }

    private void Stopped()
    {
        ExecutorMetrics.Untrack(this);
        _stopped.TrySetResult();
    }
}

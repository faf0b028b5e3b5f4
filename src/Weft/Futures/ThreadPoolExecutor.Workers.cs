using System.Collections.Concurrent;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using Weft.Diagnostics;

namespace Weft;

/// <content>The workers: the queue, the threads and their counts, kept apart from the executor so that a
/// worker never keeps its executor reachable (bug 10.9).</content>
public sealed partial class ThreadPoolExecutor
{
    /// <summary>
    /// The pool's state shared with its worker threads. Workers reference this object, never the executor;
    /// a queued or running future does (through <see cref="Future.Owner"/>), so the executor lives while it has work.
    /// </summary>
    /// <remarks>
    /// Lock order: <c>_lock</c> guards the thread list and the shut-down/broken transitions, and is never held
    /// while user code runs or a future completes. The queue and the idle/parked counters are lock-free; see
    /// <see cref="Park"/> for why no wake-up is lost. Invariants (checked by <see cref="AssertInvariants"/>):
    /// <c>0 &lt;= idle &lt;= live &lt;= started == threads.Count &lt;= max</c>.
    /// </remarks>
    private sealed class Workers
    {
        private const long OneQueued = 1L << 32;

        [ThreadStatic]
        private static Workers? t_current;

        private readonly ConcurrentQueue<Future> _queue = new();
        private readonly WakePermits _wake = new();
        private readonly Lock _lock = new();
        private readonly List<Thread> _threads = [];
        private readonly Action? _initializer;
        private readonly string _name;
        private readonly int _maxWorkers;
        private readonly WeakReference<ThreadPoolExecutor> _owner;

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

        public Workers(ThreadPoolExecutor owner, int maxWorkers, Action? initializer)
        {
            _owner = new WeakReference<ThreadPoolExecutor>(owner);
            _name = owner.Name;
            _maxWorkers = maxWorkers;
            _initializer = initializer;
        }

        public int PendingCount => Math.Max(0, Queued(Volatile.Read(ref _counts)));

        public int BusyCount
        {
            get
            {
                lock (_lock)
                {
                    return Math.Max(0, _liveThreads - IdleOf(Volatile.Read(ref _counts)));
                }
            }
        }

        public int ThreadCount
        {
            get
            {
                lock (_lock)
                {
                    return _threads.Count;
                }
            }
        }

        public int IdleCount => IdleOf(Volatile.Read(ref _counts));

        public bool Owns(Thread thread) => thread == Thread.CurrentThread ? t_current == this : ThreadsSnapshot().Contains(thread);

        public void Schedule(Future future)
        {
            // The executor calls this only while it is neither shut down nor broken, and holds its lifecycle lock
            // until this returns: BeginShutdown and the initializer's failure drain the queue after that lock, so
            // nothing enqueued here is left behind.
            lock (_lock)
            {
                AssertInvariants();
                _queue.Enqueue(future);
                var counts = Interlocked.Add(ref _counts, OneQueued);

                // One more thread only when the queued work outnumbers the idle workers (CPython's
                // _adjust_thread_count, without its idle-semaphore drift).
                if (Queued(counts) > IdleOf(counts) && _threads.Count < _maxWorkers)
                {
                    StartWorker();
                }
            }

            if (Volatile.Read(ref _parked) > 0)
            {
                WakeOne();
            }
        }

        public void BeginShutdown(bool cancelFutures)
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
                Stop();
            }
        }

        /// <summary>Joins every worker ever started: a worker stays listed until it has fully exited, so a
        /// <c>Dispose</c> after <c>Shutdown(wait: false)</c> cannot return while one still runs (bug 10.3).</summary>
        public void Join()
        {
            // The executor refused a join from one of these threads already (IsOwnWorker).
            foreach (var thread in ThreadsSnapshot())
            {
                thread.Join();
            }
        }

        /// <summary>The worker finished a task (or skipped a cancelled one) and is idle again.</summary>
        public void TaskReturned() => Interlocked.Increment(ref _counts);

        private static int IdleOf(long counts) => (int)counts;

        private static int Queued(long counts) => (int)((counts - IdleOf(counts)) >> 32);

        private Thread[] ThreadsSnapshot()
        {
            lock (_lock)
            {
                return [.. _threads];
            }
        }

        /// <summary>Checks the counts; caller holds <c>_lock</c>. Debug builds only, as Channels does.</summary>
        [Conditional("DEBUG")]
        private void AssertInvariants()
        {
            var idle = IdleOf(Volatile.Read(ref _counts));
            Debug.Assert(idle >= 0, $"{_name}: idle workers counted negative ({idle})");
            Debug.Assert(idle <= _liveThreads, $"{_name}: {idle} idle workers but only {_liveThreads} live");
            Debug.Assert(_liveThreads <= _threads.Count && _threads.Count <= _maxWorkers, $"{_name}: {_liveThreads} live, {_threads.Count} started, max {_maxWorkers}");
        }

        /// <remarks>Caller holds <c>_lock</c>.</remarks>
        private void StartWorker()
        {
            var thread = new Thread(WorkerLoop)
            {
                Name = $"{_name}_{_threads.Count}",
                IsBackground = true,
            };
            _threads.Add(thread);
            _liveThreads++;
            thread.UnsafeStart();
        }

        private void WorkerLoop()
        {
            var self = Thread.CurrentThread;
            t_current = this;
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
                    if (TryRunNext())
                    {
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
                ClearPendingInterrupt();
                WorkerTrace.WorkerStopped(self);
                t_current = null;
                bool last;
                lock (_lock)
                {
                    AssertInvariants();
                    last = --_liveThreads == 0 && (_shutdown || _broken is not null);
                }

                if (last)
                {
                    Stop();
                }
            }
        }

        /// <summary>Takes and runs one queued future. Not inlined: the future (and through it the executor)
        /// must not linger in the loop's frame while the worker parks.</summary>
        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool TryRunNext()
        {
            if (!_queue.TryDequeue(out var future))
            {
                return false;
            }

            Interlocked.Add(ref _counts, -OneQueued - 1);
            Run(future);
            return true;
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

                // The executor refuses Submit first; once that returns no Schedule is running, so the drain
                // below sees every task ever queued.
                if (_owner.TryGetTarget(out var owner))
                {
                    owner.OnInitializerFailed(e);
                }

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

        /// <summary>Drops an interrupt still pending on the exiting worker, so that its last steps (taking
        /// <c>_lock</c>, which waits when contended) cannot throw it out of the thread.</summary>
        private static void ClearPendingInterrupt()
        {
            try
            {
                Thread.Sleep(0);
            }
            catch (ThreadInterruptedException)
            {
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

            try
            {
                _wake.Wait();
            }
            catch (ThreadInterruptedException)
            {
                // A Thread.Interrupt meant for a task that has finished (or aimed at the wrong thread) reaches
                // the worker while it is idle. No exception may escape a pool thread: the worker treats it as
                // a wake-up and looks for work again. Leaving _wakePending set costs at most one extra permit.
            }

            Interlocked.Decrement(ref _parked);

            // A full fence, not a plain store: the store clearing the flag must be visible before the queue
            // is read below. With a release store the read could move ahead of it; a submitter that enqueues
            // in between would still see the flag set and skip its wake-up, and this worker, having read the
            // queue early, would not pass one on either (bug 10.11).
            Interlocked.Exchange(ref _wakePending, 0);

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

        private void Stop()
        {
            if (_owner.TryGetTarget(out var owner))
            {
                ExecutorMetrics.Untrack(owner);
                owner.OnWorkersStopped();
            }
        }
    }
}

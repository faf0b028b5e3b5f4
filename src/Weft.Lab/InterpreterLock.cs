using System.Diagnostics;

namespace Weft.Lab;

/// <summary>
/// A teaching model of CPython's global interpreter lock (GIL): code that runs "interpreted" work holds it,
/// so CPU-bound threads take turns instead of running in parallel, while threads that block on IO or
/// sleep release it and still overlap.
/// </summary>
/// <remarks>
/// <para>Python: the GIL of <c>Python/ceval_gil.c</c> and <c>sys.getswitchinterval()</c> (default 5 ms).
/// As in CPython since 3.2: a thread that has waited a whole switch interval without the lock changing
/// hands sets a drop request; the holder sees it at its next <see cref="Checkpoint"/> (CPython's eval
/// breaker) and hands the lock over; the hand-over is forced, so the dropping thread cannot take the lock
/// straight back (CPython's <c>FORCE_SWITCHING</c>). Waiters get the lock in arrival order.</para>
/// <para>Usage: <c>using (gil.Enter()) { ... gil.Checkpoint() every ~1,000 iterations ... gil.Sleep(...) for IO ... }</c>.
/// The lock is not re-entrant (nor is the GIL): entering it twice on one thread throws.</para>
/// <para>Thread safety: every member may be called from any thread. One monitor guards the holder, the
/// FIFO of waiters and the counters; the drop request is a volatile flag so <see cref="Checkpoint"/>
/// costs one read while nobody waits.</para>
/// </remarks>
[DebuggerDisplay("Holder = {HolderName}, Waiting = {WaitingCount}, Switches = {Switches}")]
public sealed partial class InterpreterLock
{
    private readonly object _gate = new();
    private readonly TimeSpan _switchInterval;

    // Guarded by _gate.
    private readonly Queue<Thread> _waiting = new();
    private Thread? _holder;
    private Thread? _lastHolder;
    private long _switches;
    private long _waitTicks;

    private volatile bool _dropRequested;

    /// <summary>Initializes a new interpreter lock.</summary>
    /// <param name="switchInterval">How long a waiting thread lets the holder run before asking it to drop the lock; null means 5 ms.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="switchInterval"/> is zero or negative.</exception>
    /// <remarks>Python: <c>sys.setswitchinterval(interval)</c>.</remarks>
    public InterpreterLock(TimeSpan? switchInterval = null)
    {
        var interval = switchInterval ?? TimeSpan.FromMilliseconds(5);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero, nameof(switchInterval));
        _switchInterval = interval;
    }

    /// <summary>Gets the switch interval.</summary>
    /// <value>5 ms unless given to the constructor.</value>
    /// <remarks>Python: <c>sys.getswitchinterval()</c>.</remarks>
    public TimeSpan SwitchInterval => _switchInterval;

    /// <summary>Gets the number of times the lock passed from one thread to another.</summary>
    /// <remarks>The count CPython does not expose but the GIL's <c>switch_number</c> tracks.</remarks>
    public long Switches
    {
        get
        {
            lock (_gate)
            {
                return _switches;
            }
        }
    }

    /// <summary>Gets the total time threads spent waiting to acquire the lock.</summary>
    public TimeSpan WaitTime
    {
        get
        {
            lock (_gate)
            {
                return Stopwatch.GetElapsedTime(0, _waitTicks);
            }
        }
    }

    /// <summary>Gets the number of threads waiting for the lock now (a snapshot).</summary>
    public int WaitingCount
    {
        get
        {
            lock (_gate)
            {
                return _waiting.Count;
            }
        }
    }

    private string HolderName
    {
        get
        {
            lock (_gate)
            {
                return _holder?.Name ?? (_holder is null ? "none" : $"#{_holder.ManagedThreadId}");
            }
        }
    }

    /// <summary>Acquires the lock to run interpreted code, waiting for it if another thread holds it.</summary>
    /// <returns>A scope whose <see cref="Scope.Dispose"/> releases the lock.</returns>
    /// <exception cref="LockRecursionException">The calling thread already holds the lock.</exception>
    /// <remarks>Python: <c>take_gil()</c>, done by every thread before it runs bytecode.</remarks>
    public Scope Enter()
    {
        Acquire();
        return new Scope(this);
    }

    /// <summary>Hands the lock to the longest-waiting thread if one has asked for it (waited a whole switch interval), then waits for its turn again; otherwise returns at once.</summary>
    /// <exception cref="SynchronizationLockException">A drop was requested and the calling thread does not hold the lock.</exception>
    /// <remarks>Python: the eval breaker's <c>gil_drop_request</c> check in the bytecode loop. Call it often in CPU-bound loops,
    /// e.g. every 1,000 iterations; it costs one volatile read while no thread waits.</remarks>
    public void Checkpoint()
    {
        if (!_dropRequested)
        {
            return;
        }

        var me = Thread.CurrentThread;
        lock (_gate)
        {
            ThrowIfNotHolder(me);
            if (_waiting.Count == 0)
            {
                _dropRequested = false;
                return;
            }

            // Forced switching: hand over and queue behind the new holder in one step, so this thread
            // cannot take the lock straight back.
            HandOverLocked();
            WaitForTurnLocked(me);
        }
    }

    /// <summary>Sleeps the way CPython's <c>time.sleep</c> does: releases the lock, sleeps, re-acquires it. The caller holds the lock.</summary>
    /// <param name="duration">How long to sleep.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is negative.</exception>
    /// <remarks>Python: <c>time.sleep(secs)</c> inside <c>Py_BEGIN_ALLOW_THREADS</c> / <c>Py_END_ALLOW_THREADS</c>.</remarks>
    public void Sleep(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(duration, TimeSpan.Zero);
        Blocking(() =>
        {
            Thread.Sleep(duration);
            return true;
        });
    }

    /// <summary>Runs a blocking call (IO, a wait) with the lock released, then re-acquires it. The caller holds the lock.</summary>
    /// <typeparam name="T">The call's result type.</typeparam>
    /// <param name="io">The blocking call; it must not touch interpreted state.</param>
    /// <returns>What <paramref name="io"/> returned.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="io"/> is null.</exception>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <remarks>Python: <c>Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS</c> around a blocking system call. The lock is
    /// re-acquired even when <paramref name="io"/> throws.</remarks>
    public T Blocking<T>(Func<T> io)
    {
        ArgumentNullException.ThrowIfNull(io);
        Release();
        try
        {
            return io();
        }
        finally
        {
            Acquire();
        }
    }

    /// <summary>Sets <see cref="Switches"/> and <see cref="WaitTime"/> back to zero.</summary>
    public void ResetCounters()
    {
        lock (_gate)
        {
            _switches = 0;
            _waitTicks = 0;
        }
    }

    private void Acquire()
    {
        var me = Thread.CurrentThread;
        lock (_gate)
        {
            if (_holder == me)
            {
                throw new LockRecursionException("This thread already holds the interpreter lock; it is not re-entrant.");
            }

            if (_holder is null && _waiting.Count == 0)
            {
                if (_lastHolder is not null && _lastHolder != me)
                {
                    _switches++;
                }

                _holder = _lastHolder = me;
                return;
            }

            WaitForTurnLocked(me);
        }
    }

    /// <summary>Releases the lock, handing it to the longest waiter if there is one.</summary>
    private void Release()
    {
        lock (_gate)
        {
            ThrowIfNotHolder(Thread.CurrentThread);
            if (_waiting.Count > 0)
            {
                HandOverLocked();
            }
            else
            {
                _holder = null;
                _dropRequested = false;
            }
        }
    }

    private void ThrowIfNotHolder(Thread me)
    {
        if (_holder != me)
        {
            throw new SynchronizationLockException("The calling thread does not hold the interpreter lock: call it inside using (gil.Enter()) { ... }.");
        }
    }

    /// <summary>Gives the lock to the head of the queue. Caller holds <c>_gate</c>; the queue is not empty.</summary>
    private void HandOverLocked()
    {
        var next = _waiting.Dequeue();
        _holder = _lastHolder = next;
        _switches++;
        _dropRequested = false;
        Monitor.PulseAll(_gate);
    }

    /// <summary>Queues the caller and waits until the lock is handed to it. Caller holds <c>_gate</c>.</summary>
    private void WaitForTurnLocked(Thread me)
    {
        var started = Stopwatch.GetTimestamp();
        _waiting.Enqueue(me);
        try
        {
            while (_holder != me)
            {
                var switchesBefore = _switches;
                if (!Monitor.Wait(_gate, _switchInterval) && _holder != me && _holder is not null && _switches == switchesBefore)
                {
                    // A whole interval passed without the lock changing hands: ask the holder to drop it.
                    _dropRequested = true;
                }
            }
        }
        catch
        {
            // Interrupted (or the monitor failed): leave no trace. Left queued, this thread would be handed the
            // lock later and hold it for ever; handed it already, it passes it on (bug 10.5).
            GiveUpTurnLocked(me);
            throw;
        }
        finally
        {
            _waitTicks += Stopwatch.GetTimestamp() - started;
        }

        AssertInvariants();
    }

    /// <summary>Takes a waiter that stops waiting out of the queue, or hands on the lock it was just given. Caller holds <c>_gate</c>.</summary>
    private void GiveUpTurnLocked(Thread me)
    {
        if (_holder == me)
        {
            if (_waiting.Count > 0)
            {
                HandOverLocked();
            }
            else
            {
                _holder = null;
                _dropRequested = false;
            }

            return;
        }

        var others = _waiting.Where(t => t != me).ToArray();
        _waiting.Clear();
        foreach (var thread in others)
        {
            _waiting.Enqueue(thread);
        }
    }

    /// <summary>Checks the queue; caller holds <c>_gate</c>. Debug builds only.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_holder is null || !_waiting.Contains(_holder), "the holder is also queued as a waiter");
        Debug.Assert(_holder is not null || _waiting.Count == 0, "threads wait on a free lock");
    }
}

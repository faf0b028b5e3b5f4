using System.Diagnostics;

namespace Weft.Threading;

/// <summary>
/// A condition variable on a re-entrant lock it owns: threads hold the lock, wait until another thread
/// notifies them, and re-check their predicate.
/// </summary>
/// <remarks>
/// <para>Python: <c>threading.Condition()</c> (whose default lock is an <c>RLock</c>). Semantics kept from
/// CPython: <see cref="Wait"/> releases the lock fully, even when held re-entrantly, and re-acquires it to
/// the same depth; <see cref="Notify"/> wakes at most n waiters, oldest first; there are no spurious
/// wake-ups; calling <see cref="Wait"/> or <see cref="Notify"/> without the lock throws.</para>
/// <para>Thread safety: every member may be called from any thread. The lock is a <see cref="Monitor"/> on a
/// private object; each waiter blocks on its own event, queued FIFO under the lock, so wake-up order is
/// exact (Monitor.Pulse promises no order). Lock order: the monitor, then a waiter's event.</para>
/// </remarks>
[DebuggerDisplay("Waiters = {WaiterCount}, Held = {IsHeldByCurrentThread}")]
public sealed class Condition
{
    private readonly object _gate = new();

    // Guarded by _gate.
    private readonly LinkedList<Waiter> _waiters = new();
    private int _depth;
    private int _waiterCount;

    private readonly TimeProvider _time;

    /// <summary>Initializes a new condition with its own re-entrant lock.</summary>
    /// <remarks>Python: <c>threading.Condition()</c>.</remarks>
    public Condition()
        : this(TimeProvider.System)
    {
    }

    /// <summary>Initializes a condition whose timeouts read <paramref name="time"/> (tests pass a fake clock).</summary>
    internal Condition(TimeProvider time) => _time = time;

    /// <summary>Gets whether the calling thread holds the lock.</summary>
    /// <remarks>Python: <c>RLock._is_owned()</c>.</remarks>
    public bool IsHeldByCurrentThread => Monitor.IsEntered(_gate);

    /// <summary>Gets the number of threads waiting now (a snapshot; 0 unless the caller holds the lock or races).</summary>
    public int WaiterCount => Volatile.Read(ref _waiterCount);

    /// <summary>Acquires the lock (one more level if the caller already holds it), waiting as long as needed.</summary>
    /// <returns>A scope whose <see cref="LockScope.Dispose"/> releases that level.</returns>
    /// <remarks>Python: <c>cond.acquire()</c> / <c>with cond:</c>.</remarks>
    public LockScope Acquire()
    {
        Monitor.Enter(_gate);
        _depth++;
        return new LockScope(this);
    }

    /// <summary>Tries to acquire the lock within a timeout.</summary>
    /// <param name="timeout">How long to wait; <see cref="TimeSpan.Zero"/> does not wait, <see cref="Timeout.InfiniteTimeSpan"/>
    /// (Python's -1) waits as long as needed, and a very long one (30 days) simply waits.</param>
    /// <param name="scope">On success, the scope that releases the level taken; otherwise the default scope.</param>
    /// <returns>true if the lock was acquired.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative other than
    /// <see cref="Timeout.InfiniteTimeSpan"/> (Python's <c>ValueError</c>).</exception>
    /// <remarks>Python: <c>cond.acquire(timeout=...)</c>.</remarks>
    public bool TryAcquire(TimeSpan timeout, out LockScope scope)
    {
        Deadline deadline;
        if (timeout == Timeout.InfiniteTimeSpan)
        {
            deadline = Deadline.Never;
        }
        else
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
            deadline = Deadline.After(timeout, _time);
        }

        if (!deadline.Wait(static (gate, ms, _) => Monitor.TryEnter(gate, ms), _gate, CancellationToken.None))
        {
            scope = default;
            return false;
        }

        _depth++;
        scope = new LockScope(this);
        return true;
    }

    /// <summary>Releases the lock fully, waits until notified or the timeout passes, then re-acquires it to the depth held before.</summary>
    /// <param name="timeout">How long to wait; null waits until notified, a negative value does not wait (returns false
    /// at once, as CPython's does), a very long one (30 days) simply waits.</param>
    /// <param name="cancellationToken">Stops waiting; the lock is re-acquired before the exception leaves. A notification
    /// that reached this waiter first wins (the call returns true); one that comes after the token fired is passed on to
    /// the next waiter, so none is lost.</param>
    /// <returns>true if notified; false if the timeout passed.</returns>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before a notification.</exception>
    /// <remarks>Python: <c>cond.wait(timeout=None)</c> (<c>RuntimeError: cannot wait on un-acquired lock</c>).
    /// A notification that races with the timeout counts as a notification, so none is lost.</remarks>
    public bool Wait(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!Monitor.IsEntered(_gate))
        {
            throw new SynchronizationLockException("Cannot wait on an un-acquired condition: acquire it first (using (cond.Acquire()) { ... }).");
        }

        AssertInvariants();
        cancellationToken.ThrowIfCancellationRequested();
        var deadline = Deadline.After(timeout, _time);
        if (deadline.HasPassed)
        {
            return false;
        }

        var signal = new Waiter();
        var node = _waiters.AddLast(signal);
        _waiterCount++;
        var depth = _depth;
        _depth = 0;
        for (var i = 0; i < depth; i++)
        {
            Monitor.Exit(_gate);
        }

        var notified = false;
        var leftNormally = false;
        try
        {
            notified = deadline.Wait(static (waiter, ms, token) => waiter.Wait(ms, token), signal, cancellationToken);
            leftNormally = true;
        }
        finally
        {
            for (var i = 0; i < depth; i++)
            {
                Monitor.Enter(_gate);
            }

            _depth = depth;
            if (node.List is not null)
            {
                // Timed out, cancelled or interrupted before anyone took this waiter off the list.
                _waiters.Remove(node);
                _waiterCount--;
            }
            else if (leftNormally)
            {
                notified = true;   // a notification that raced with the timeout counts
            }
            else
            {
                // Notify took this waiter off the list after its token fired (or the thread was interrupted):
                // the exception goes on, so the notification must not be spent on it. The next waiter gets it,
                // as CPython's waiter lock hands a release to whoever waits next.
                PassOnNotification();
            }

            AssertInvariants();
        }

        return notified;
    }

    /// <summary>Wakes the oldest waiter, if any, in place of one that was notified but leaves by an exception. Under the lock.</summary>
    private void PassOnNotification()
    {
        if (_waiters.First is { } next)
        {
            _waiters.RemoveFirst();
            _waiterCount--;
            next.Value.Set();
        }
    }

    /// <summary>Waits until <paramref name="predicate"/> returns true or the timeout passes; the caller holds the lock.</summary>
    /// <param name="predicate">The condition to wait for; evaluated with the lock held, before the first wait and after every wake-up.</param>
    /// <param name="timeout">The total time to wait; null waits as long as needed, a negative value does not wait.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The last value of <paramref name="predicate"/>: false only when the timeout passed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="predicate"/> is null.</exception>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock (and the predicate was false).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired while the predicate was false.</exception>
    /// <remarks>Python: <c>cond.wait_for(predicate, timeout=None)</c>.</remarks>
    public bool WaitFor(Func<bool> predicate, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var deadline = Deadline.After(timeout, _time);
        var result = predicate();
        while (!result && !deadline.HasPassed)
        {
            Wait(deadline.IsNever ? null : deadline.Remaining, cancellationToken);
            result = predicate();
        }

        return result;
    }

    /// <summary>Wakes up to <paramref name="n"/> waiting threads, oldest first; with none waiting it does nothing.</summary>
    /// <param name="n">The most threads to wake.</param>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="n"/> is negative.</exception>
    /// <remarks>Python: <c>cond.notify(n=1)</c> (<c>RuntimeError: cannot notify on un-acquired lock</c>). The woken threads
    /// return from <see cref="Wait"/> only after the notifier releases the lock.</remarks>
    public void Notify(int n = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        if (!Monitor.IsEntered(_gate))
        {
            throw new SynchronizationLockException("Cannot notify on an un-acquired condition: acquire it first (using (cond.Acquire()) { ... }).");
        }

        AssertInvariants();
        for (var i = 0; i < n && _waiters.First is { } first; i++)
        {
            _waiters.RemoveFirst();
            _waiterCount--;

            // Setting an event runs no user code; doing it under the lock keeps "off the list" and
            // "signalled" one step for the waiter's timeout check.
            first.Value.Set();
        }
    }

    /// <summary>Wakes every waiting thread.</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <remarks>Python: <c>cond.notify_all()</c>.</remarks>
    public void NotifyAll() => Notify(int.MaxValue);

    /// <summary>One waiting thread: a flag and a monitor of its own (monitors, unlike kernel events, are what Coyote's
    /// systematic tests can control). Lock order: the condition's monitor, then a waiter's.</summary>
    private sealed class Waiter
    {
        private bool _set;

        public void Set()
        {
            lock (this)
            {
                _set = true;
                Monitor.Pulse(this);
            }
        }

        /// <summary>Waits until set, for at most <paramref name="milliseconds"/> (-1: no limit), or until the token fires.</summary>
        public bool Wait(int milliseconds, CancellationToken cancellationToken)
        {
            using var registration = cancellationToken.CanBeCanceled
                ? cancellationToken.UnsafeRegister(static w => ((Waiter)w!).Wake(), this)
                : default;
            lock (this)
            {
                var end = milliseconds < 0 ? long.MaxValue : Environment.TickCount64 + milliseconds;
                while (!_set)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var left = end == long.MaxValue ? Timeout.Infinite : (int)Math.Max(0, end - Environment.TickCount64);
                    if (left == 0)
                    {
                        return false;
                    }

                    Monitor.Wait(this, left);
                }

                return true;
            }
        }

        private void Wake()
        {
            lock (this)
            {
                Monitor.Pulse(this);
            }
        }
    }

    /// <summary>Checks the waiter count; caller holds the lock. Debug builds only, as Channels does.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_waiterCount == _waiters.Count, $"waiter count {_waiterCount} but {_waiters.Count} waiters listed");
        Debug.Assert(_depth >= 0, "lock depth counted negative");
    }

    /// <summary>Releases one level of the lock (what <see cref="LockScope.Dispose"/> calls).</summary>
    /// <exception cref="SynchronizationLockException">The calling thread does not hold the lock.</exception>
    /// <remarks>Python: <c>cond.release()</c>.</remarks>
    public void Release()
    {
        if (!Monitor.IsEntered(_gate))
        {
            throw new SynchronizationLockException("Cannot release an un-acquired condition.");
        }

        _depth--;
        Monitor.Exit(_gate);
    }
}

namespace Weft;

/// <summary>Done-callbacks, internal listeners and blocking waits.</summary>
/// <remarks>
/// Listener protocol (lock-free, like Task's continuation slot): <c>_listeners</c> holds nothing, one
/// listener, or a <see cref="ListenerList"/>. Completion swaps in <c>s_completed</c> and then seals the
/// list under its lock, so an adder either lands in the snapshot that completion runs or sees the
/// sentinel and runs its listener itself. No user code ever runs under a lock.
/// </remarks>
public partial class Future
{
    /// <summary>Adds a listener (an <c>Action&lt;Future&gt;</c> or <see cref="IFutureListener"/>).</summary>
    /// <returns>False when the future is already complete: the caller runs the listener itself.</returns>
    internal bool TryAddListener(object listener)
    {
        while (true)
        {
            var current = Volatile.Read(ref _listeners);
            if (ReferenceEquals(current, s_completed))
            {
                // Sealed: the completing thread publishes the state next; wait for it, so the caller runs
                // its listener on a future that reads as done.
                var spinner = default(SpinWait);
                while (Volatile.Read(ref _state) == Completing)
                {
                    spinner.SpinOnce();
                }

                return false;
            }

            if (current is null)
            {
                if (Interlocked.CompareExchange(ref _listeners, listener, null) is null)
                {
                    return true;
                }

                continue;
            }

            if (current is ListenerList list)
            {
                lock (list)
                {
                    if (!list.Sealed)
                    {
                        list.Add(listener);
                        return true;
                    }
                }

                continue;
            }

            var grown = new ListenerList { current, listener };
            if (ReferenceEquals(Interlocked.CompareExchange(ref _listeners, grown, current), current))
            {
                return true;
            }
        }
    }

    /// <summary>Whether anything is registered to hear of completion (a waiter, a callback); for tests.</summary>
    internal bool HasListeners => Volatile.Read(ref _listeners) is { } current && !ReferenceEquals(current, s_completed);

    /// <summary>Removes a listener that no longer needs telling (a timed-out wait); no-op if gone or already run.</summary>
    internal void RemoveListener(object listener)
    {
        while (true)
        {
            var current = Volatile.Read(ref _listeners);
            if (ReferenceEquals(current, listener))
            {
                if (ReferenceEquals(Interlocked.CompareExchange(ref _listeners, null, listener), listener))
                {
                    return;
                }

                continue;
            }

            if (current is ListenerList list)
            {
                lock (list)
                {
                    if (!list.Sealed)
                    {
                        list.Remove(listener);
                    }
                }
            }

            return;
        }
    }

    /// <summary>Blocks until done, the deadline passes or the token fires.</summary>
    /// <returns>Whether the future is done.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the future was done.</exception>
    internal bool WaitUntil(Deadline deadline, CancellationToken cancellationToken = default)
    {
        if (IsDone)
        {
            return true;
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (deadline.HasPassed)
        {
            return IsDone;
        }

        var waiter = new BlockingWaiter();
        if (!TryAddListener(waiter))
        {
            return true;
        }

        try
        {
            if (deadline.Wait(waiter.Event, cancellationToken))
            {
                return true;
            }
        }
        catch (OperationCanceledException) when (!IsDone)
        {
            RemoveListener(waiter);
            throw;
        }
        catch (OperationCanceledException)
        {
            return true;
        }

        RemoveListener(waiter);
        return IsDone;
    }

    /// <summary>Whether a snapshot of listeners holds a user's done-callback (which will run on the completing thread).</summary>
    private static bool HasUserCallback(object? listeners) => listeners switch
    {
        Action<Future> => true,
        object[] list => Array.Exists(list, static l => l is Action<Future>),
        _ => false,
    };

    private void RunListeners() => InvokeAll(TakeListeners());

    /// <summary>Seals the listener slot and returns what it held: null, one listener, or an array snapshot.</summary>
    private object? TakeListeners()
    {
        var listeners = Interlocked.Exchange(ref _listeners, s_completed);
        if (listeners is ListenerList list)
        {
            lock (list)
            {
                list.Sealed = true;
                return list.ToArray();
            }
        }

        return listeners;
    }

    private void InvokeAll(object? listeners)
    {
        switch (listeners)
        {
            case null:
                return;
            case object[] snapshot:
                foreach (var listener in snapshot)
                {
                    Invoke(listener);
                }

                return;
            default:
                Invoke(listeners);
                return;
        }
    }

    private void Invoke(object listener)
    {
        if (listener is IFutureListener internalListener)
        {
            internalListener.OnDone(this);
            return;
        }

        try
        {
            ((Action<Future>)listener)(this);
        }
#pragma warning disable CA1031 // Python logs and swallows a failing callback so the others still run (F17).
        catch (Exception e)
#pragma warning restore CA1031
        {
            Diagnostics.WorkerTrace.CallbackFailed(this, e);
        }
    }

    /// <summary>More than one listener. Sealed (under its own lock) once completion has taken a snapshot.</summary>
    private sealed class ListenerList : List<object>
    {
        public bool Sealed { get; set; }
    }

    /// <summary>A thread blocked in Wait/Result/GetException.</summary>
    private sealed class BlockingWaiter : IFutureListener
    {
        // Not disposed: a completion racing with a timed-out wait may still Set it, and without
        // a WaitHandle ever being requested it owns no kernel object.
        public ManualResetEventSlim Event { get; } = new(false);

        public void OnDone(Future future) => Event.Set();
    }
}

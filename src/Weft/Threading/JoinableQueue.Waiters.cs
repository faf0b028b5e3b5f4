namespace Weft.Threading;

/// <content>The waiting side: an intrusive FIFO of blocked getters or putters, each a thread or an awaiter.</content>
public sealed partial class JoinableQueue<T>
{
    /// <summary>
    /// One blocked call. A sync waiter is the calling thread's reusable event; an async waiter owns a TCS.
    /// Protocol (Mesa style): a signaller removes the waiter from its list under the queue lock and then
    /// signals it; the woken call re-checks the store under the lock and re-queues if another call got there
    /// first. A waiter that gives up (timeout, cancellation) removes itself under the lock; if it is no longer
    /// queued it was already signalled and retries once instead, so no wake-up is ever lost.
    /// </summary>
    private sealed class Waiter
    {
        [ThreadStatic]
        private static Waiter? t_threadWaiter;

        private Waiter(ManualResetEventSlim? signal, TaskCompletionSource? completion)
        {
            Signal = signal;
            Completion = completion;
        }

        public Waiter? Next { get; set; }

        public Waiter? Previous { get; set; }

        /// <summary>Guarded by the queue lock: whether the waiter is in a list.</summary>
        public bool Queued { get; set; }

        public ManualResetEventSlim? Signal { get; }

        public TaskCompletionSource? Completion { get; }

        /// <summary>The calling thread's waiter; a thread waits on one queue at a time and never leaves it queued on return.</summary>
        public static Waiter ForThisThread() => t_threadWaiter ??= new Waiter(new ManualResetEventSlim(false), null);

        public static Waiter ForAwait() => new(null, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
    }

    /// <summary>A FIFO of waiters; guarded by the queue lock.</summary>
    private sealed class WaiterList
    {
        private Waiter? _head;
        private Waiter? _tail;

        public bool IsEmpty => _head is null;

        public int Count { get; private set; }

        public void Enqueue(Waiter waiter)
        {
            waiter.Queued = true;
            waiter.Previous = _tail;
            waiter.Next = null;
            if (_tail is null)
            {
                _head = waiter;
            }
            else
            {
                _tail.Next = waiter;
            }

            _tail = waiter;
            Count++;
        }

        public Waiter? Dequeue()
        {
            var waiter = _head;
            if (waiter is not null)
            {
                Remove(waiter);
            }

            return waiter;
        }

        public void Remove(Waiter waiter)
        {
            if (waiter.Previous is null)
            {
                _head = waiter.Next;
            }
            else
            {
                waiter.Previous.Next = waiter.Next;
            }

            if (waiter.Next is null)
            {
                _tail = waiter.Previous;
            }
            else
            {
                waiter.Next.Previous = waiter.Previous;
            }

            waiter.Next = null;
            waiter.Previous = null;
            waiter.Queued = false;
            Count--;
        }
    }

    /// <summary>Wakes the oldest waiter of <paramref name="list"/>, if any. Caller holds <c>_lock</c>.</summary>
    /// <returns>An async waiter whose TCS the caller must complete after leaving the lock, or null.</returns>
    private static Waiter? WakeOne(WaiterList list)
    {
        var waiter = list.Dequeue();
        if (waiter?.Signal is { } signal)
        {
            // Setting an event runs no user code, so it is done under the lock: a waiter that finds
            // itself dequeued then knows its event is already set.
            signal.Set();
            return null;
        }

        return waiter;
    }

    /// <summary>Wakes every waiter of <paramref name="list"/>. Caller holds <c>_lock</c>.</summary>
    private static void WakeAll(WaiterList list, List<Waiter> toComplete)
    {
        while (!list.IsEmpty)
        {
            if (WakeOne(list) is { } waiter)
            {
                toComplete.Add(waiter);
            }
        }
    }

    private static void Complete(Waiter? waiter) => waiter?.Completion!.TrySetResult();

    /// <summary>Blocks the calling thread on its waiter (queued by the caller under the lock) until signalled or the deadline.</summary>
    /// <remarks>A wait that ends by an exception (the token, <see cref="Thread.Interrupt"/>) takes the waiter off
    /// its list; if a signal already took it off, the wake-up it carried is passed to the next waiter of the list.
    /// Left queued, the waiter would swallow the next wake-up meant for a live caller (bug 10.5).</remarks>
    private void Block(Waiter waiter, WaiterList list, Weft.Deadline deadline, CancellationToken cancellationToken)
    {
        try
        {
            deadline.Wait(waiter.Signal!, cancellationToken);
        }
        catch
        {
            Waiter? wake = null;
            lock (_lock)
            {
                if (waiter.Queued)
                {
                    list.Remove(waiter);
                }
                else if (!list.IsEmpty)
                {
                    wake = WakeOne(list);
                }
            }

            Complete(wake);
            throw;
        }
    }

    // On the way out the registration is unregistered without waiting for a callback that is running on
    // the cancelling thread (CancellationTokenRegistration.Dispose would spin until it returns): such a
    // callback finds the waiter no longer queued and does nothing, because every round of the caller's loop queues a
    // fresh waiter and this one is never queued again. Not waiting also keeps the path free of a wait Coyote cannot
    // see (the systematic test's "potential hang" was that spin, with the callback paused at the queue lock).
    private async Task AwaitTurn(Waiter waiter, WaiterList list, CancellationToken cancellationToken)
    {
        var registration = cancellationToken.UnsafeRegister(
            static (state, token) =>
            {
                var (queue, waiter, list) = ((JoinableQueue<T>, Waiter, WaiterList))state!;
                bool gaveUp;
                lock (queue._lock)
                {
                    gaveUp = waiter.Queued;
                    if (gaveUp)
                    {
                        list.Remove(waiter);
                    }
                }

                // Already dequeued: a signal is on its way and the awaiting call retries with it.
                if (gaveUp)
                {
                    waiter.Completion!.TrySetCanceled(token);
                }
            },
            (this, waiter, list));
        try
        {
            await waiter.Completion!.Task.ConfigureAwait(false);
        }
        finally
        {
            registration.Unregister();
        }
    }
}

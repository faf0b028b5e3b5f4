using System.Diagnostics;

namespace Weft.Threading;

/// <summary>
/// A multi-producer, multi-consumer queue that can be bounded, joined and shut down:
/// Python's <c>queue.Queue</c>, <c>queue.LifoQueue</c> and <c>queue.PriorityQueue</c> in one type.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>
/// <para>Python: <c>queue.Queue(maxsize)</c> (3.13, including <c>shutdown</c>). Every put counts one
/// unfinished task; <see cref="TaskDone"/> settles one; <see cref="Join(CancellationToken)"/> returns when none are left.</para>
/// <para>Blocking calls have async twins (<see cref="PutAsync"/>, <see cref="GetAsync"/>, <see cref="JoinAsync"/>)
/// that wait without holding a thread.</para>
/// <para>Thread safety: every member may be called from any thread. One lock guards the store, the
/// counters and two FIFO lists of blocked getters and putters; a call that changes the store wakes the
/// oldest waiter of the other side, and only when there is one, so an unblocked put or get costs one
/// uncontended lock. TCSs of async waiters are completed after the lock is left.</para>
/// </remarks>
[DebuggerDisplay("Count = {Count}, MaxSize = {MaxSize}, UnfinishedTasks = {UnfinishedTasks}, Getters = {WaitingGetters}, Putters = {WaitingPutters}, IsShutDown = {IsShutDown}")]
public sealed partial class JoinableQueue<T>
{
    // A monitor rather than System.Threading.Lock: Coyote controls monitors, so the systematic tests can interleave
    // at this lock instead of blocking uncontrolled.
    private readonly object _lock = new();
    private readonly ItemStore<T> _store;

    // Guarded by _lock.
    private readonly WaiterList _getters = new();
    private readonly WaiterList _putters = new();
    private int _unfinished;
    private TaskCompletionSource? _joined;
    private volatile bool _shutdown;

    private readonly TimeProvider _time;

    /// <summary>Initializes a new queue.</summary>
    /// <param name="maxSize">The most items the queue holds before <see cref="Put"/> blocks; 0 means unbounded.</param>
    /// <param name="order">Which item <see cref="Get"/> returns first.</param>
    /// <param name="comparer">For <see cref="QueueOrder.Priority"/>: orders the items (smallest first); null uses <see cref="Comparer{T}.Default"/>. Ignored for the other orders. It runs under the queue's lock, as <c>heapq</c> does under CPython's: it must not touch the queue. If it throws, the put or get fails and the queue is left as it was.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxSize"/> is negative, or <paramref name="order"/> is not a defined value.</exception>
    /// <exception cref="ArgumentException">A priority queue of a type that is not comparable and no <paramref name="comparer"/>.</exception>
    /// <remarks>Python: <c>queue.Queue(maxsize)</c>, <c>queue.LifoQueue(maxsize)</c>, <c>queue.PriorityQueue(maxsize)</c>; Python treats a negative size as unbounded, Weft refuses it.</remarks>
    public JoinableQueue(int maxSize = 0, QueueOrder order = QueueOrder.Fifo, IComparer<T>? comparer = null)
        : this(maxSize, order, comparer, TimeProvider.System)
    {
    }

    /// <summary>Initializes a new queue whose timeouts read <paramref name="time"/> (tests pass a fake clock).</summary>
    internal JoinableQueue(int maxSize, QueueOrder order, IComparer<T>? comparer, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxSize);
        _store = ItemStore<T>.Create(order, comparer);
        MaxSize = maxSize;
        Order = order;
        _time = time;
    }

    /// <summary>Gets the number of items in the queue now (a snapshot).</summary>
    /// <remarks>Python: <c>Queue.qsize()</c>.</remarks>
    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _store.Count;
            }
        }
    }

    /// <summary>Gets the capacity.</summary>
    /// <value>0 for an unbounded queue (the default).</value>
    /// <remarks>Python: <c>Queue.maxsize</c>.</remarks>
    public int MaxSize { get; }

    /// <summary>Gets the order in which items leave the queue.</summary>
    /// <value><see cref="QueueOrder.Fifo"/> unless given to the constructor.</value>
    public QueueOrder Order { get; }

    /// <summary>Gets whether <see cref="Shutdown"/> was called.</summary>
    /// <remarks>Python: <c>Queue.is_shutdown</c>.</remarks>
    public bool IsShutDown => _shutdown;

    /// <summary>Gets the number of items put and not yet settled by <see cref="TaskDone"/>.</summary>
    /// <remarks>Python: <c>Queue.unfinished_tasks</c>.</remarks>
    public int UnfinishedTasks
    {
        get
        {
            lock (_lock)
            {
                return _unfinished;
            }
        }
    }

    /// <summary>Gets the number of blocked getters (threads and awaiters); for the debugger and tests.</summary>
    internal int WaitingGetters
    {
        get
        {
            lock (_lock)
            {
                return _getters.Count;
            }
        }
    }

    /// <summary>Gets the number of blocked putters (threads and awaiters); for the debugger and tests.</summary>
    internal int WaitingPutters
    {
        get
        {
            lock (_lock)
            {
                return _putters.Count;
            }
        }
    }

    /// <summary>Puts an item, waiting for a free slot if the queue is bounded and full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="timeout">How long to wait for a slot; null waits forever, <see cref="TimeSpan.Zero"/> not at all.</param>
    /// <param name="cancellationToken">Stops waiting for a slot; the item is then not put.</param>
    /// <exception cref="QueueFullException">No slot freed up within <paramref name="timeout"/>.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down (also when it shuts down while this call waits).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (Python's <c>ValueError</c>; -1 ms included).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before a slot freed up.</exception>
    /// <remarks>Python: <c>Queue.put(item, block=True, timeout=None)</c>.</remarks>
    public void Put(T item, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DeadlineOf(timeout);
        Waiter? waiter = null;
        while (true)
        {
            bool added;
            Waiter? wake;
            lock (_lock)
            {
                try
                {
                    added = TryAddLocked(item, out wake);
                    if (!added && deadline.HasPassed)
                    {
                        throw new QueueFullException($"The queue is full ({MaxSize} items).");
                    }
                }
                catch
                {
                    RemoveIfQueued(waiter, _putters);
                    throw;
                }

                if (added)
                {
                    RemoveIfQueued(waiter, _putters);
                }
                else
                {
                    waiter ??= Waiter.ForThisThread();
                    QueueLocked(waiter, _putters);
                }
            }

            if (added)
            {
                Complete(wake);
                return;
            }

            Block(waiter!, _putters, deadline, cancellationToken);
        }
    }

    /// <summary>Puts an item if there is a free slot now.</summary>
    /// <param name="item">The item.</param>
    /// <returns>true if the item was put; false if the queue is full.</returns>
    /// <exception cref="QueueShutDownException">The queue is shut down.</exception>
    /// <remarks>Python: <c>Queue.put_nowait(item)</c>, which raises <c>Full</c> where this returns false.</remarks>
    public bool TryPut(T item)
    {
        Waiter? wake;
        lock (_lock)
        {
            if (!TryAddLocked(item, out wake))
            {
                return false;
            }
        }

        Complete(wake);
        return true;
    }

    /// <summary>Removes and returns the next item, waiting for one if the queue is empty.</summary>
    /// <param name="timeout">How long to wait for an item; null waits forever, <see cref="TimeSpan.Zero"/> not at all.</param>
    /// <param name="cancellationToken">Stops waiting for an item.</param>
    /// <returns>The item.</returns>
    /// <exception cref="QueueEmptyException">No item arrived within <paramref name="timeout"/>.</exception>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty (items left at shutdown are still handed out first).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (Python's <c>ValueError</c>; -1 ms included).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before an item arrived.</exception>
    /// <remarks>Python: <c>Queue.get(block=True, timeout=None)</c>.</remarks>
    public T Get(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var deadline = DeadlineOf(timeout);
        Waiter? waiter = null;
        while (true)
        {
            bool taken;
            T item;
            Waiter? wake;
            lock (_lock)
            {
                try
                {
                    taken = TryTakeLocked(out item, out wake);
                    if (!taken && deadline.HasPassed)
                    {
                        throw new QueueEmptyException("The queue is empty.");
                    }
                }
                catch
                {
                    RemoveIfQueued(waiter, _getters);
                    throw;
                }

                if (taken)
                {
                    RemoveIfQueued(waiter, _getters);
                }
                else
                {
                    waiter ??= Waiter.ForThisThread();
                    QueueLocked(waiter, _getters);
                }
            }

            if (taken)
            {
                Complete(wake);
                return item;
            }

            Block(waiter!, _getters, deadline, cancellationToken);
        }
    }

    /// <summary>Removes and returns the next item if there is one now.</summary>
    /// <param name="item">The item, or the default value when the queue is empty.</param>
    /// <returns>true if an item was taken; false if the queue is empty.</returns>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty.</exception>
    /// <remarks>Python: <c>Queue.get_nowait()</c>, which raises <c>Empty</c> where this returns false.</remarks>
    public bool TryGet(out T item)
    {
        Waiter? wake;
        lock (_lock)
        {
            if (!TryTakeLocked(out item, out wake))
            {
                return false;
            }
        }

        Complete(wake);
        return true;
    }

    /// <summary>Settles one item taken by a consumer; when every put item is settled, joiners are released.</summary>
    /// <exception cref="InvalidOperationException">Called more times than items were put.</exception>
    /// <remarks>Python: <c>Queue.task_done()</c> (<c>ValueError: task_done() called too many times</c>).</remarks>
    public void TaskDone()
    {
        TaskCompletionSource? release = null;
        lock (_lock)
        {
            if (_unfinished <= 0)
            {
                throw new InvalidOperationException("TaskDone() called too many times: every item put has already been settled.");
            }

            if (--_unfinished == 0)
            {
                release = _joined;
                _joined = null;
            }
        }

        release?.TrySetResult();
    }

    /// <summary>Blocks until every item ever put has been settled by <see cref="TaskDone"/>.</summary>
    /// <remarks>Python: <c>Queue.join()</c>. A non-immediate <see cref="Shutdown"/> does not release it; an immediate one settles the dropped items.</remarks>
    public void Join() => Join(null, CancellationToken.None);

    /// <summary>Blocks until every item ever put has been settled by <see cref="TaskDone"/>, or the token fires.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <remarks>Python: <c>Queue.join()</c>. A non-immediate <see cref="Shutdown"/> does not release it; an immediate one settles the dropped items.</remarks>
    public void Join(CancellationToken cancellationToken) => Join(null, cancellationToken);

    /// <summary>Blocks until every item ever put has been settled, or the timeout passes.</summary>
    /// <param name="timeout">How long to wait; null waits forever.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>true if every item was settled; false if the timeout passed first.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is negative (-1 ms included), as for <see cref="Get"/>.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired first.</exception>
    /// <remarks>Python has no timeout on <c>Queue.join()</c>; this is the Weft addition tests and shutdowns need.</remarks>
    public bool Join(TimeSpan? timeout, CancellationToken cancellationToken = default)
    {
        var deadline = DeadlineOf(timeout);
        Task joined;
        lock (_lock)
        {
            if (_unfinished == 0)
            {
                return true;
            }

            _joined ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            joined = _joined.Task;
        }

        return deadline.Wait(static (task, ms, token) => task.Wait(ms, token), joined, cancellationToken);
    }

    /// <summary>Completes when every item ever put has been settled by <see cref="TaskDone"/>.</summary>
    /// <param name="cancellationToken">Stops waiting (the returned task is cancelled).</param>
    /// <returns>A task that completes when no unfinished task is left.</returns>
    /// <remarks>Python: <c>Queue.join()</c> without blocking a thread.</remarks>
    public Task JoinAsync(CancellationToken cancellationToken = default)
    {
        Task task;
        lock (_lock)
        {
            if (_unfinished == 0)
            {
                return Task.CompletedTask;
            }

            _joined ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            task = _joined.Task;
        }

        return task.WaitAsync(cancellationToken);
    }

    /// <summary>Shuts the queue down: puts fail from now on and gets fail once the queue is empty.</summary>
    /// <param name="immediate">Also drop the queued items (each counts as settled), so gets fail at once and joiners waiting only on queued items are released.</param>
    /// <remarks>
    /// <para>Python 3.13: <c>Queue.shutdown(immediate=False)</c>. Blocked putters wake with
    /// <see cref="QueueShutDownException"/>; blocked getters take what is left, then wake with it.
    /// May be called again, also to escalate to <paramref name="immediate"/>.</para>
    /// </remarks>
    public void Shutdown(bool immediate = false)
    {
        TaskCompletionSource? release = null;
        var woken = new List<Waiter>();
        lock (_lock)
        {
            _shutdown = true;
            if (immediate)
            {
                var dropped = _store.Count;
                _store.Clear();
                _unfinished = Math.Max(0, _unfinished - dropped);
                if (_unfinished == 0)
                {
                    release = _joined;
                    _joined = null;
                }
            }

            WakeAll(_getters, woken);
            WakeAll(_putters, woken);
        }

        foreach (var waiter in woken)
        {
            Complete(waiter);
        }

        release?.TrySetResult();
    }

    /// <summary>Python's rule for queue timeouts: null waits for ever, a negative one is refused (ValueError).</summary>
    private Weft.Deadline DeadlineOf(TimeSpan? timeout)
    {
        if (timeout is { } t)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(t, TimeSpan.Zero, nameof(timeout));
        }

        return Weft.Deadline.After(timeout, _time);
    }

    /// <summary>Checks the counts; caller holds <c>_lock</c>. Debug builds only, as Channels does.</summary>
    [Conditional("DEBUG")]
    private void AssertInvariants()
    {
        Debug.Assert(_unfinished >= 0, "unfinished tasks counted negative");
        Debug.Assert(MaxSize == 0 || _store.Count <= MaxSize, "more items than the queue's size");
        Debug.Assert(_getters.Count >= 0 && _putters.Count >= 0, "waiter lists counted negative");
        Debug.Assert(!_shutdown || _putters.IsEmpty, "a putter still queued after shutdown");
        Debug.Assert(_joined is null || _unfinished > 0, "joiners left waiting with nothing unfinished");
    }

    private void ThrowIfShutDown()
    {
        if (_shutdown)
        {
            throw new QueueShutDownException("The queue has been shut down.");
        }
    }

    /// <summary>Adds the item if there is room. Caller holds <c>_lock</c>.</summary>
    /// <returns>false if the queue is full; throws if it is shut down.</returns>
    private bool TryAddLocked(T item, out Waiter? wake)
    {
        AssertInvariants();
        ThrowIfShutDown();
        if (MaxSize > 0 && _store.Count >= MaxSize)
        {
            wake = null;
            return false;
        }

        _store.Add(item);
        _unfinished++;
        wake = _getters.IsEmpty ? null : WakeOne(_getters);
        return true;
    }

    /// <summary>Takes the next item if there is one. Caller holds <c>_lock</c>.</summary>
    /// <returns>false if the queue is empty; throws if it is also shut down.</returns>
    private bool TryTakeLocked(out T item, out Waiter? wake)
    {
        AssertInvariants();
        if (_store.Count == 0)
        {
            ThrowIfShutDown();
            item = default!;
            wake = null;
            return false;
        }

        item = _store.Take();
        wake = _putters.IsEmpty ? null : WakeOne(_putters);
        return true;
    }

    /// <summary>Queues the calling thread's waiter (once) and arms its event. Caller holds <c>_lock</c>.</summary>
    private static void QueueLocked(Waiter waiter, WaiterList list)
    {
        // A waiter that is not queued was signalled (its event set under this lock) or is new: either
        // way the event is cleared before it blocks again, and a queued waiter's event can only be set
        // by a signaller that dequeues it first.
        waiter.Signal!.Reset();
        if (!waiter.Queued)
        {
            list.Enqueue(waiter);
        }
    }

    /// <summary>Takes a waiter that stops waiting off its list. Caller holds <c>_lock</c>.</summary>
    private static void RemoveIfQueued(Waiter? waiter, WaiterList list)
    {
        if (waiter is { Queued: true })
        {
            list.Remove(waiter);
        }
    }
}

using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Weft;

/// <summary>Waiting on many futures at once: <see cref="AsCompleted{TFuture}(IEnumerable{TFuture}, TimeSpan?, CancellationToken)"/>, <see cref="AsCompletedAsync{TFuture}"/>
/// and <see cref="Wait{TFuture}(IEnumerable{TFuture}, TimeSpan?, ReturnWhen, CancellationToken)"/>.</summary>
/// <remarks>Python: the module functions <c>concurrent.futures.as_completed</c> and <c>concurrent.futures.wait</c>.
/// Futures are compared by reference: a future given twice is yielded or counted once.</remarks>
public static class Futures
{
    /// <summary>Yields each future as it completes (finishes or is cancelled): those already done first,
    /// then the others in the order they complete.</summary>
    /// <typeparam name="TFuture">The future type.</typeparam>
    /// <param name="futures">The futures; duplicates are yielded once.</param>
    /// <param name="timeout">The longest the whole iteration may take, counted from the first
    /// <c>MoveNext</c> (as in Python); <see langword="null"/> waits for ever, a negative one does not block.</param>
    /// <param name="cancellationToken">Stops the iteration: <c>MoveNext</c> throws <see cref="OperationCanceledException"/>
    /// as soon as it fires while waiting; the futures are not cancelled.</param>
    /// <returns>The distinct futures, in completion order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="OperationCanceledException">Thrown from <c>MoveNext</c> when <paramref name="cancellationToken"/> fires.</exception>
    /// <exception cref="TimeoutException">Thrown from <c>MoveNext</c> when time runs out with futures left;
    /// the message says how many, as Python's does (<c>2 (of 4) futures unfinished</c>).</exception>
    /// <remarks>Python: <c>concurrent.futures.as_completed(fs, timeout)</c>. A yielded future is not kept alive by the iterator once the next one is asked for (CPython's
    /// test_free_reference_yielded_future).</remarks>
    public static IEnumerable<TFuture> AsCompleted<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where TFuture : Future
        => AsCompleted(futures, timeout, TimeProvider.System, cancellationToken);

    /// <summary><see cref="AsCompleted{TFuture}(IEnumerable{TFuture}, TimeSpan?, CancellationToken)"/> timed on <paramref name="time"/>'s clock.</summary>
    internal static IEnumerable<TFuture> AsCompleted<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        return AsCompletedIterator(futures, timeout, time, cancellationToken);
    }

    /// <summary>Yields each future as it completes, asynchronously: no thread is blocked while waiting.</summary>
    /// <typeparam name="TFuture">The future type.</typeparam>
    /// <param name="futures">The futures; duplicates are yielded once.</param>
    /// <param name="cancellationToken">Stops the iteration with <see cref="OperationCanceledException"/>; the futures are not cancelled.</param>
    /// <returns>The distinct futures, in completion order (those already done first).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <remarks>Python: <c>asyncio.as_completed</c> over wrapped futures.</remarks>
    public static IAsyncEnumerable<TFuture> AsCompletedAsync<TFuture>(IEnumerable<TFuture> futures, CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        return AsCompletedAsyncIterator(futures, cancellationToken);
    }

    /// <summary>Waits until the futures meet <paramref name="returnWhen"/> or the timeout passes, and says which are done.</summary>
    /// <typeparam name="TFuture">The future type.</typeparam>
    /// <param name="futures">The futures; duplicates count once.</param>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits for ever, a negative one does not block.
    /// Running out is not an error: the partial result is returned.</param>
    /// <param name="returnWhen">When to return; cancelled futures are never "exceptions" for
    /// <see cref="ReturnWhen.FirstException"/>.</param>
    /// <param name="cancellationToken">Stops waiting with <see cref="OperationCanceledException"/> as soon as it fires;
    /// the futures are not cancelled.</param>
    /// <returns>The done and not-done futures at the moment of return.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="futures"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="returnWhen"/> is not a defined value.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the condition was met.</exception>
    /// <remarks>Python: <c>concurrent.futures.wait(fs, timeout, return_when)</c>.</remarks>
    public static DoneAndNotDone<TFuture> Wait<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout = null, ReturnWhen returnWhen = ReturnWhen.AllCompleted, CancellationToken cancellationToken = default)
        where TFuture : Future
        => Wait(futures, timeout, returnWhen, TimeProvider.System, cancellationToken);

    /// <summary><see cref="Wait{TFuture}(IEnumerable{TFuture}, TimeSpan?, ReturnWhen, CancellationToken)"/> timed on <paramref name="time"/>'s clock.</summary>
    internal static DoneAndNotDone<TFuture> Wait<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout, ReturnWhen returnWhen, TimeProvider time, CancellationToken cancellationToken = default)
        where TFuture : Future
    {
        ArgumentNullException.ThrowIfNull(futures);
        if (!Enum.IsDefined(returnWhen))
        {
            throw new ArgumentOutOfRangeException(nameof(returnWhen), returnWhen, $"Invalid return condition: '{returnWhen}'");
        }

        var all = Distinct(futures);
        cancellationToken.ThrowIfCancellationRequested();
        var deadline = Deadline.After(timeout, time);
        if (!IsSatisfied(all, returnWhen) && !deadline.HasPassed)
        {
            var pending = all.Where(f => !f.IsDone).ToList();
            var waiter = new ConditionWaiter(returnWhen, pending.Count);
            var registered = new List<TFuture>(pending.Count);
            try
            {
                foreach (var future in pending)
                {
                    if (future.TryAddListener(waiter))
                    {
                        registered.Add(future);
                    }
                    else
                    {
                        waiter.OnDone(future);
                    }
                }

                if (!IsSatisfied(all, returnWhen))
                {
                    deadline.Wait(waiter.Event, cancellationToken);
                }
            }
            finally
            {
                foreach (var future in registered)
                {
                    future.RemoveListener(waiter);
                }
            }
        }

        var done = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        var notDone = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        foreach (var future in all)
        {
            (future.IsDone ? done : notDone).Add(future);
        }

        return new DoneAndNotDone<TFuture>(done, notDone);
    }

    private static bool IsSatisfied<TFuture>(HashSet<TFuture> all, ReturnWhen returnWhen)
        where TFuture : Future
    {
        var doneCount = 0;
        foreach (var future in all)
        {
            if (!future.IsDone)
            {
                continue;
            }

            doneCount++;
            if (returnWhen == ReturnWhen.FirstCompleted ||
                (returnWhen == ReturnWhen.FirstException && !future.IsCancelled && future.Error is not null))
            {
                return true;
            }
        }

        return doneCount == all.Count;
    }

    private static HashSet<TFuture> Distinct<TFuture>(IEnumerable<TFuture> futures)
        where TFuture : Future
    {
        var set = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
        foreach (var future in futures)
        {
            ArgumentNullException.ThrowIfNull(future, nameof(futures));
            set.Add(future);
        }

        return set;
    }

    private static IEnumerable<TFuture> AsCompletedIterator<TFuture>(IEnumerable<TFuture> futures, TimeSpan? timeout, TimeProvider time, CancellationToken cancellationToken)
        where TFuture : Future
    {
        // The deadline starts here, at the first MoveNext, as in CPython's generator.
        var deadline = Deadline.After(timeout, time);
        using var run = new AsCompletedRun<TFuture>(futures);
        while (run.Left > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!run.HasFinished && !deadline.Wait(run.Queue.Signal, cancellationToken))
            {
                throw new TimeoutException($"{run.PendingCount} (of {run.Total}) futures unfinished");
            }

            // No local holds the future: the iterator keeps it only as Current, until the next MoveNext.
            yield return run.Take();
        }
    }

    private static async IAsyncEnumerable<TFuture> AsCompletedAsyncIterator<TFuture>(
        IEnumerable<TFuture> futures,
        [EnumeratorCancellation] CancellationToken cancellationToken)
        where TFuture : Future
    {
        using var run = new AsCompletedRun<TFuture>(futures);
        while (run.Left > 0)
        {
            if (!run.HasFinished)
            {
                await run.Queue.Signal.WaitAsync(cancellationToken).ConfigureAwait(false);
            }

            yield return run.Take();
        }
    }

    /// <summary>
    /// One as_completed iteration: the futures already done when it started, and a listener on every other
    /// one, each of which reports exactly once. Only futures not yet yielded are referenced (bug 10.8);
    /// disposing detaches the listener from those still pending.
    /// </summary>
    private sealed class AsCompletedRun<TFuture> : IDisposable
        where TFuture : Future
    {
        private readonly HashSet<TFuture> _pending;
        private readonly Queue<TFuture> _finished;

        public AsCompletedRun(IEnumerable<TFuture> futures)
        {
            var all = Distinct(futures);
            Total = all.Count;
            _pending = new HashSet<TFuture>(ReferenceEqualityComparer.Instance);
            _finished = new Queue<TFuture>();
            foreach (var future in all)
            {
                if (future.IsDone)
                {
                    _finished.Enqueue(future);
                }
                else
                {
                    _pending.Add(future);
                }
            }

            foreach (var future in _pending)
            {
                if (!future.TryAddListener(Queue))
                {
                    Queue.OnDone(future);
                }
            }
        }

        public int Total { get; }

        /// <summary>Futures registered with a listener and not yet yielded.</summary>
        public int PendingCount => _pending.Count;

        /// <summary>Futures not yet yielded.</summary>
        public int Left => _pending.Count + _finished.Count;

        /// <summary>Whether a future done at the start is still to be yielded (no wait needed).</summary>
        public bool HasFinished => _finished.Count > 0;

        public CompletionQueue Queue { get; } = new();

        /// <summary>Takes the next future: one done at the start, else one completed since (only after a successful
        /// wait on the queue's signal).</summary>
        public TFuture Take()
        {
            if (_finished.TryDequeue(out var done))
            {
                return done;
            }

            var next = Queue.Take<TFuture>();
            _pending.Remove(next);
            return next;
        }

        public void Dispose()
        {
            foreach (var future in _pending)
            {
                future.RemoveListener(Queue);
            }

            _pending.Clear();
        }
    }

    /// <summary>Collects futures as they complete, for as_completed.</summary>
    private sealed class CompletionQueue : IFutureListener
    {
        private readonly ConcurrentQueue<Future> _done = new();

        public SemaphoreSlim Signal { get; } = new(0);

        public void OnDone(Future future)
        {
            _done.Enqueue(future);
            Signal.Release();
        }

        /// <summary>Takes one completed future; only after a successful wait on <see cref="Signal"/>.</summary>
        public TFuture Take<TFuture>()
            where TFuture : Future
        {
            _done.TryDequeue(out var future);
            return (TFuture)future!;
        }
    }

    /// <summary>Signals once the futures meet a <see cref="ReturnWhen"/> condition, for wait.</summary>
    private sealed class ConditionWaiter(ReturnWhen returnWhen, int pendingCount) : IFutureListener
    {
        private int _pending = pendingCount;

        public ManualResetEventSlim Event { get; } = new(false);

        public void OnDone(Future future)
        {
            var left = Interlocked.Decrement(ref _pending);
            if (left <= 0 ||
                returnWhen == ReturnWhen.FirstCompleted ||
                (returnWhen == ReturnWhen.FirstException && !future.IsCancelled && future.Error is not null))
            {
                Event.Set();
            }
        }
    }
}

namespace Weft.Threading;

/// <content>The async twins of <see cref="JoinableQueue{T}.Put"/> and <see cref="JoinableQueue{T}.Get"/>.</content>
public sealed partial class JoinableQueue<T>
{
    /// <summary>Puts an item, waiting asynchronously (no thread held) for a free slot if the queue is full.</summary>
    /// <param name="item">The item.</param>
    /// <param name="cancellationToken">Stops waiting for a slot; the item is then not put.</param>
    /// <returns>A task that completes when the item is in the queue.</returns>
    /// <exception cref="QueueShutDownException">The queue is shut down (also when it shuts down while this call waits).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before a slot freed up.</exception>
    /// <remarks>Python: <c>Queue.put(item)</c>; asyncio's <c>asyncio.Queue.put</c> for the await.</remarks>
    public ValueTask PutAsync(T item, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled(cancellationToken);
        }

        Waiter? wake;
        lock (_lock)
        {
            if (!TryAddLocked(item, out wake))
            {
                return PutSlowAsync(item, cancellationToken);
            }
        }

        Complete(wake);
        return default;
    }

    /// <summary>Removes and returns the next item, waiting asynchronously (no thread held) if the queue is empty.</summary>
    /// <param name="cancellationToken">Stops waiting for an item.</param>
    /// <returns>The item.</returns>
    /// <exception cref="QueueShutDownException">The queue is shut down and empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before an item arrived.</exception>
    /// <remarks>Python: <c>Queue.get()</c>; asyncio's <c>asyncio.Queue.get</c> for the await.</remarks>
    public ValueTask<T> GetAsync(CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ValueTask.FromCanceled<T>(cancellationToken);
        }

        T item;
        Waiter? wake;
        lock (_lock)
        {
            if (!TryTakeLocked(out item, out wake))
            {
                return GetSlowAsync(cancellationToken);
            }
        }

        Complete(wake);
        return new ValueTask<T>(item);
    }

    private async ValueTask PutSlowAsync(T item, CancellationToken cancellationToken)
    {
        while (true)
        {
            Waiter? wake;
            Waiter? waiter = null;
            lock (_lock)
            {
                // A fresh waiter per round: the previous one left its list before its TCS completed.
                if (!TryAddLocked(item, out wake))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    waiter = Waiter.ForAwait();
                    _putters.Enqueue(waiter);
                }
            }

            if (waiter is null)
            {
                Complete(wake);
                return;
            }

            await AwaitTurn(waiter, _putters, cancellationToken).ConfigureAwait(false);
        }
    }

    private async ValueTask<T> GetSlowAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            T item;
            Waiter? wake;
            Waiter? waiter = null;
            lock (_lock)
            {
                if (!TryTakeLocked(out item, out wake))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    waiter = Waiter.ForAwait();
                    _getters.Enqueue(waiter);
                }
            }

            if (waiter is null)
            {
                Complete(wake);
                return item;
            }

            await AwaitTurn(waiter, _getters, cancellationToken).ConfigureAwait(false);
        }
    }
}

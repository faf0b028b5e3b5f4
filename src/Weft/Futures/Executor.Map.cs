namespace Weft;

/// <summary><c>Map</c>: Python's <c>Executor.map</c> with 3.14's <c>buffersize</c>.</summary>
public abstract partial class Executor
{
    /// <summary>Applies <paramref name="fn"/> to every item of <paramref name="source"/> on this executor and
    /// yields the results in input order.</summary>
    /// <typeparam name="TSource">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The task run for each item.</param>
    /// <param name="source">The items; read on the calling thread.</param>
    /// <param name="timeout">One deadline for the whole iteration, counted from this call (as in Python);
    /// <see langword="null"/> waits for ever, a negative one does not block.</param>
    /// <param name="chunkSize">Items sent to a worker as one task. A failure fails its whole chunk. The process
    /// pool sends a chunk as one message; the thread pool runs it as one task.</param>
    /// <param name="bufferSize">At most this many tasks (chunks) in flight; the source is read lazily as results
    /// are consumed, so an endless source works in bounded memory. <see langword="null"/>: Python's eager
    /// behaviour, where the whole source is read and submitted before this method returns.</param>
    /// <returns>The results, in the order of <paramref name="source"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> or <paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="chunkSize"/> or <paramref name="bufferSize"/> is below 1.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <remarks>
    /// <para>Python: <c>Executor.map(fn, iterable, timeout=None, chunksize=1, buffersize=None)</c>.</para>
    /// <para>While iterating: an item's exception is thrown when the iterator reaches it, and a
    /// <see cref="TimeoutException"/> when the deadline passes; either ends the iteration and cancels every task
    /// not yet started, as does leaving a started <c>foreach</c> early. An iterator never started cancels nothing.</para>
    /// </remarks>
    public IEnumerable<TResult> Map<TSource, TResult>(
        Func<TSource, TResult> fn,
        IEnumerable<TSource> source,
        TimeSpan? timeout = null,
        int chunkSize = 1,
        int? bufferSize = null)
    {
        ArgumentNullException.ThrowIfNull(fn);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkSize, 1);
        if (bufferSize is { } size)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(size, 1, nameof(bufferSize));
        }

        var deadline = Deadline.After(timeout, Time);
        var run = new MapRun<TSource, TResult>(this, fn, source.GetEnumerator(), chunkSize);
        try
        {
            run.Fill(bufferSize ?? int.MaxValue);
        }
        catch
        {
            run.CancelRemaining();
            throw;
        }

        if (bufferSize is null)
        {
            run.CloseSource();
        }

        return Iterate(run, deadline, lazy: bufferSize is not null);
    }

    private static IEnumerable<TResult> Iterate<TSource, TResult>(MapRun<TSource, TResult> run, Deadline deadline, bool lazy)
    {
        try
        {
            while (true)
            {
                // As CPython 3.14: top the buffer up before taking the next item, so the window stays full
                // and, if the source throws here, the next item is still in the window and gets cancelled.
                if (lazy)
                {
                    run.Fill(1);
                }

                if (!run.TryTakeNext(out var future))
                {
                    break;
                }

                if (!future.WaitUntil(deadline))
                {
                    // As CPython's _result_or_cancel: the awaited item is cancelled too, not only those behind it.
                    future.Cancel();
                    throw new TimeoutException($"Map: {run.InFlight + 1} tasks unfinished when the timeout passed");
                }

                if (future is Future<TResult> single)
                {
                    yield return single.Result();
                }
                else
                {
                    foreach (var item in ((Future<TResult[]>)future).Result())
                    {
                        yield return item;
                    }
                }
            }
        }
        finally
        {
            run.CancelRemaining();
        }
    }

    /// <summary>The in-flight window of one <c>Map</c> call. Used by one thread at a time (the caller's).</summary>
    private sealed class MapRun<TSource, TResult>(Executor executor, Func<TSource, TResult> fn, IEnumerator<TSource> source, int chunkSize)
    {
        private readonly Queue<Future> _inFlight = new();
        private IEnumerator<TSource>? _source = source;

        public int InFlight => _inFlight.Count;

        /// <summary>Submits up to <paramref name="count"/> more tasks from the source.</summary>
        public void Fill(int count)
        {
            for (var i = 0; i < count && _source is not null; i++)
            {
                if (chunkSize == 1)
                {
                    if (!_source.MoveNext())
                    {
                        CloseSource();
                        return;
                    }

                    _inFlight.Enqueue(executor.SubmitWork<TResult>(new FuncCall<TSource, TResult>(fn, _source.Current)));
                    continue;
                }

                var chunk = new List<TSource>(chunkSize);
                while (chunk.Count < chunkSize && _source.MoveNext())
                {
                    chunk.Add(_source.Current);
                }

                if (chunk.Count > 0)
                {
                    _inFlight.Enqueue(executor.SubmitWork<TResult[]>(new ChunkCall<TSource, TResult>(fn, chunk.ToArray())));
                }

                if (chunk.Count < chunkSize)
                {
                    CloseSource();
                    return;
                }
            }
        }

        public bool TryTakeNext(out Future future) => _inFlight.TryDequeue(out future!);

        public void CloseSource()
        {
            _source?.Dispose();
            _source = null;
        }

        public void CancelRemaining()
        {
            while (_inFlight.TryDequeue(out var future))
            {
                future.Cancel();
            }

            CloseSource();
        }
    }
}

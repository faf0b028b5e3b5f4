namespace Weft.Processes;

/// <summary>Parent side: one submitted call, with its arguments already serialized (at Submit, on the caller's thread).</summary>
/// <remarks>Once given to a worker, the item listens to its own future: a cancel of a call that was sent ahead
/// but has not started reaches the worker (<see cref="CancelSink"/>), which then skips it.</remarks>
internal abstract class WorkItem(Future future, TaskFunction function, byte[] arguments) : IFutureListener
{
    private Action<long>? _cancelSink;
    private Timer? _timer;

    public long Id { get; set; }

    public Future Future { get; } = future;

    public TaskFunction Function { get; } = function;

    /// <summary>The serialized arguments; dropped once the call is answered (until then a worker that dies before running
    /// it hands it to another, which needs them again).</summary>
    public byte[] Arguments { get; set; } = arguments;

    /// <summary>The submitter's trace context in its binary form (see <see cref="CallFrame"/>); null when there was none.</summary>
    public byte[]? Trace { get; set; }

    /// <summary>The worker reported that the call started and its future is Running. Used by the reader thread only.</summary>
    public bool Started { get; set; }

    /// <summary>The item listens to its future (set when first given to a worker; a requeued item keeps listening).</summary>
    public bool Listening { get; set; }

    /// <summary>Tells the worker this call was given to that its future was cancelled.</summary>
    public Action<long>? CancelSink
    {
        get => Volatile.Read(ref _cancelSink);
        set => Interlocked.Exchange(ref _cancelSink, value);
    }

    /// <summary>Ends the task with its worker when it runs past <paramref name="timeout"/> (TaskTimeout).</summary>
    public void StartTimer(TimeSpan timeout, Action<WorkItem> onTimeout) =>
        _timer = new Timer(static state => ((Action<WorkItem>)((object[])state!)[0])((WorkItem)((object[])state!)[1]), new object[] { onTimeout, this }, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>The task is done (or gone): its timeout no longer matters.</summary>
    public void StopTimer() => Interlocked.Exchange(ref _timer, null)?.Dispose();

    /// <summary>Back in the queue after its worker died before running it: no worker to tell of a cancel now.</summary>
    public void Requeued() => CancelSink = null;

    /// <summary>Completes the future with a result read as the declared type. Runs user callbacks: call without locks.</summary>
    public abstract void Complete(ReadOnlySpan<byte> result);

    /// <summary>Moves the future to Running, once (a Started frame, or a result whose Started frame was left out).</summary>
    /// <returns>False when the future was cancelled first: the result, if any, is dropped.</returns>
    public bool MarkStarted()
    {
        if (Started)
        {
            return true;
        }

        try
        {
            Started = Future.TryStart();
        }
        catch (InvalidOperationException)
        {
            Started = false;   // already finished (the pool broke in the meantime)
        }

        return Started;
    }

    void IFutureListener.OnDone(Future future)
    {
        if (future.IsCancelled)
        {
            CancelSink?.Invoke(Id);
        }
    }
}

/// <summary>A call whose future is a <see cref="Future{T}"/>.</summary>
internal sealed class WorkItem<T>(Future<T> future, TaskFunction function, byte[] arguments) : WorkItem(future, function, arguments)
{
    public override void Complete(ReadOnlySpan<byte> result)
    {
        T value;
        try
        {
            value = Wire.Deserialize<T>(result);
        }
#pragma warning disable CA1031 // An unreadable result fails its own future, not the pool.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Future.TrySetException(new InvalidDataException(
                $"The result of {Function.DisplayName} cannot be read as {typeof(T).Name}: {e.Message}", e));
            return;
        }

        ((Future<T>)Future).TrySetResult(value);   // not the parameter: capturing it would add a field to every call
    }
}

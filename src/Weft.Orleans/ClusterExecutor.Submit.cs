using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>The Submit hooks: each checks the user's own delegate and serializes its arguments on the caller's thread.</summary>
public sealed partial class ClusterExecutor
{
    /// <inheritdoc/>
    protected override Future<T> SubmitFunc<T>(Func<T> fn) =>
        Add<T>(ClusterWire.Function(fn, CallShape.Func0), [], static (future, function, arguments) => new ClusterTask<T>(future, function, arguments));

    /// <inheritdoc/>
    protected override Future SubmitAction(Action fn)
    {
        var function = ClusterWire.Function(fn, CallShape.Action);
        ClusterTask task;
        lock (_gate)
        {
            ThrowIfShutdownLocked();
            task = new ClusterActionTask(CreateFuture(), function);
            _queue.Enqueue(task);
        }

        Dispatch();
        return task.Future;
    }

    /// <inheritdoc/>
    protected override Future<TResult> SubmitFunc<TArg, TResult>(Func<TArg, TResult> fn, TArg arg) =>
        Add<TResult>(ClusterWire.Function(fn, CallShape.Func1), ClusterWire.Serialize(arg, nameof(arg)),
            static (future, function, arguments) => new ClusterTask<TResult>(future, function, arguments));

    /// <inheritdoc/>
    protected override Future<TResult> SubmitFunc<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 arg1, T2 arg2) =>
        Add<TResult>(ClusterWire.Function(fn, CallShape.Func2), ClusterWire.SerializePair(arg1, arg2, nameof(arg1)),
            static (future, function, arguments) => new ClusterTask<TResult>(future, function, arguments));

    /// <inheritdoc/>
    protected override Future<T> SubmitCancellable<T>(Func<CancellationToken, T> fn) =>
        Add<T>(ClusterWire.Function(fn, CallShape.Cancellable), [], static (future, function, arguments) => new ClusterTask<T>(future, function, arguments));

    /// <inheritdoc/>
    protected override Future<TResult[]> SubmitChunk<TSource, TResult>(Func<TSource, TResult> fn, TSource[] items) =>
        Add<TResult[]>(ClusterWire.Function(fn, CallShape.Chunk), ClusterWire.Serialize(items, "source"),
            static (future, function, arguments) => new ClusterTask<TResult[]>(future, function, arguments));

    /// <summary>Queues a checked call and sends what the in-flight limit allows.</summary>
    private Future<T> Add<T>(FunctionRef function, byte[] arguments, Func<Future<T>, FunctionRef, byte[], ClusterTask> create)
    {
        Future<T> future;
        lock (_gate)
        {
            ThrowIfShutdownLocked();
            future = CreateFuture<T>();
            _queue.Enqueue(create(future, function, arguments));
        }

        Dispatch();
        return future;
    }

    private void ThrowIfShutdownLocked()
    {
        if (_shutdown)
        {
            throw new InvalidOperationException("cannot schedule new futures after shutdown");
        }
    }

    /// <summary>Completes a future with its result (called by <see cref="ClusterTask"/>).</summary>
    internal void Succeed<T>(Future<T> future, T value) => SetResult(future, value);

    /// <summary>Completes a result-less future (called by <see cref="ClusterActionTask"/>).</summary>
    internal void Succeed(Future future) => SetResult(future);

    /// <summary>Fails a task's future.</summary>
    internal void Fail(ClusterTask task, Exception error) => SetException(task.Future, error);
}

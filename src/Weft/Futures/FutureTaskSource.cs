namespace Weft;

/// <summary>Completes the <see cref="Task{TResult}"/> behind <see cref="Future.AsTask()"/> when the future is done.</summary>
/// <remarks>Continuations run asynchronously so that awaiting code never runs on, or blocks, the worker
/// that completed the future.</remarks>
internal sealed class FutureTaskSource<T> : TaskCompletionSource<T>, IFutureListener
{
    private readonly Func<Future, T> _result;

    public FutureTaskSource(Func<Future, T> result)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) => _result = result;

    public void OnDone(Future future)
    {
        if (future.IsCancelled)
        {
            TrySetCanceled();
        }
        else if (future.Error is { } error)
        {
            TrySetException(error);
        }
        else
        {
            TrySetResult(_result(future));
        }
    }
}

using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>The Submit hooks: each checks the user's own delegate and serializes its arguments on the caller's thread.</summary>
public sealed partial class ClusterExecutor
{
    /// <inheritdoc/>
    protected override void Schedule(Future future, TaskCall call)
    {
        var task = call.Accept(Tasks.Instance);
        lock (_gate)
        {
            _queue.Enqueue(task);
        }

        Dispatch();
    }

    /// <summary>Makes the cluster task of a call: checks the user's own delegate, then serializes its arguments.</summary>
    private sealed class Tasks : ITaskCallVisitor<ClusterTask>
    {
        public static readonly Tasks Instance = new();

        public ClusterTask VisitFunc<T>(Future<T> future, Func<T> fn) =>
            new ClusterTask<T>(future, ClusterWire.Function(fn, CallShape.Func0), []);

        public ClusterTask VisitAction(Future future, Action fn) =>
            new ClusterActionTask(future, ClusterWire.Function(fn, CallShape.Action));

        public ClusterTask VisitFunc<TArg, TResult>(Future<TResult> future, Func<TArg, TResult> fn, TArg arg) =>
            new ClusterTask<TResult>(future, ClusterWire.Function(fn, CallShape.Func1), ClusterWire.Serialize(arg, nameof(arg)));

        public ClusterTask VisitFunc<T1, T2, TResult>(Future<TResult> future, Func<T1, T2, TResult> fn, T1 arg1, T2 arg2) =>
            new ClusterTask<TResult>(future, ClusterWire.Function(fn, CallShape.Func2), ClusterWire.SerializePair(arg1, arg2, nameof(arg1)));

        public ClusterTask VisitCancellable<T>(Future<T> future, Func<CancellationToken, T> fn) =>
            new ClusterTask<T>(future, ClusterWire.Function(fn, CallShape.Cancellable), []);

        public ClusterTask VisitChunk<TSource, TResult>(Future<TResult[]> future, Func<TSource, TResult> fn, TSource[] items) =>
            new ClusterTask<TResult[]>(future, ClusterWire.Function(fn, CallShape.Chunk), ClusterWire.Serialize(items, "source"));
    }

    /// <summary>Completes a future with its result (called by <see cref="ClusterTask"/>).</summary>
    internal void Succeed<T>(Future<T> future, T value) => SetResult(future, value);

    /// <summary>Completes a result-less future (called by <see cref="ClusterActionTask"/>).</summary>
    internal void Succeed(Future future) => SetResult(future);

    /// <summary>Fails a task's future.</summary>
    internal void Fail(ClusterTask task, Exception error) => SetException(task.Future, error);
}

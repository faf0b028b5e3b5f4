using System.Runtime.CompilerServices;

namespace Weft;

/// <summary>A <see cref="Future"/> whose task returns a <typeparamref name="T"/>.</summary>
/// <typeparam name="T">The task's result type.</typeparam>
/// <remarks>Python: <c>concurrent.futures.Future</c> (<c>Future[T]</c>).</remarks>
public sealed class Future<T> : Future
{
    private T _value = default!;

    /// <summary>The task: the user's <c>Func&lt;T&gt;</c>, <c>Func&lt;CancellationToken, T&gt;</c> or (when T is
    /// <see cref="VoidResult"/>) <c>Action</c>, or a <see cref="TaskWork{TResult}"/> holding a delegate and its arguments.
    /// Dropped once it has run or been sent, so the future does not keep the task's captures alive
    /// (CPython's test_no_stale_references).</summary>
    private object? _work;

    internal Future(object? work, Executor? owner)
    {
        _work = work;
        Owner = owner;
    }

    /// <summary>Waits for the task and returns its result.</summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits for ever, a negative value does not block
    /// (Python's rule; -1 ms is not "infinite" here), a very long one simply waits.</param>
    /// <param name="cancellationToken">Stops waiting (the future is not cancelled).</param>
    /// <returns>The value the task returned.</returns>
    /// <exception cref="OperationCanceledException">The future was cancelled, or <paramref name="cancellationToken"/> fired first.</exception>
    /// <exception cref="TimeoutException">The timeout passed first; the future is not cancelled and may still finish.</exception>
    /// <exception cref="Exception">Whatever the task threw, rethrown as the same object with its original stack trace.</exception>
    /// <remarks>Python: <c>Future.result(timeout)</c>.</remarks>
    public T Result(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!IsDone)
        {
            Wait(timeout, cancellationToken);
        }

        ThrowIfFailedOrCancelled();
        return _value;
    }

    /// <summary>Returns a task that completes with this future's result, without blocking a thread while waiting.</summary>
    /// <returns>The same task on every call.</returns>
    public new Task<T> AsTask() => (Task<T>)base.AsTask();

    /// <summary>Lets <c>T value = await future</c> work; never blocks a thread.</summary>
    /// <returns>An awaiter for <see cref="AsTask()"/>.</returns>
    public new TaskAwaiter<T> GetAwaiter() => AsTask().GetAwaiter();

    /// <summary>Sets the result and runs the listeners. Python: <c>Future.set_result</c>.</summary>
    /// <returns>False when the future was already done (the first outcome is kept).</returns>
    internal bool TrySetResult(T value)
    {
        if (!TryClaimOutcome())
        {
            return false;
        }

        _value = value;
        Publish();
        return true;
    }

    /// <summary>
    /// Runs the task on the calling worker and records its outcome without publishing it, so the worker
    /// can mark itself idle before callbacks and waiters see the future done (then calls <see cref="Future.PublishOutcome"/>).
    /// </summary>
    /// <returns>False if the outcome was already set by someone else, in which case there is nothing to publish.</returns>
    internal override bool RunUnpublished(CancellationToken cancellationToken)
    {
        var work = _work;
        _work = null;
        T value;
        try
        {
            value = work switch
            {
                Func<T> f => f(),
                TaskWork<T> call => call.Run(),
                Func<CancellationToken, T> f => f(cancellationToken),
                Action action => RunAction(action),
                _ => throw new InvalidOperationException("This future has no task to run."),
            };
        }
#pragma warning disable CA1031 // The task's exception belongs to the future, never to the worker.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return TryClaimOutcome() && StoreError(e);
        }

        if (!TryClaimOutcome())
        {
            return false;
        }

        _value = value;
        return true;
    }

    internal override CallInfo Call => _work switch
    {
        Func<T> f => new(TaskCallShape.Func0, f),
        TaskWork<T> call => call.Info,
        Func<CancellationToken, T> f => new(TaskCallShape.Cancellable, f),
        Action action => new(TaskCallShape.Action, action),
        _ => throw NoWork(),
    };

    internal override TOut AcceptCall<TOut>(ITaskCallVisitor<TOut> visitor) => _work switch
    {
        Func<T> f => visitor.VisitFunc(this, f),
        TaskWork<T> call => call.Accept(this, visitor),
        Func<CancellationToken, T> f => visitor.VisitCancellable(this, f),
        Action action => visitor.VisitAction(this, action),
        _ => throw NoWork(),
    };

    internal override void ReleaseWork()
    {
        _work = null;
        base.ReleaseWork();
    }

    /// <summary>Runs an <see cref="Action"/> task, whose future's T is <see cref="VoidResult"/>.</summary>
    private static T RunAction(Action action)
    {
        action();
        return default!;
    }

    private protected override string ResultTypeName => typeof(T) == typeof(VoidResult) ? "None" : typeof(T).Name;

    private protected override Task CreateTask(out IFutureListener listener)
    {
        var source = new FutureTaskSource<T>(static f => ((Future<T>)f)._value);
        listener = source;
        return source.Task;
    }
}

/// <summary>The "result" of an <see cref="Action"/> task: Python's <c>None</c>.</summary>
internal readonly struct VoidResult;

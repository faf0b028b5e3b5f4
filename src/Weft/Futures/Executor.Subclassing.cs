using Weft.Diagnostics;

namespace Weft;

/// <summary>What a subclass in another assembly needs to implement an executor.</summary>
/// <remarks>
/// <para>Python: a subclass of <c>concurrent.futures.Executor</c> overrides <c>submit</c> and <c>shutdown</c> and
/// completes futures with <c>set_running_or_notify_cancel</c>, <c>set_result</c> and <c>set_exception</c>. Weft
/// keeps the public methods (<c>Submit</c>, <c>Map</c>, <c>Shutdown</c>, <c>Dispose</c>) here and lets a subclass
/// fill in the rest, in one of two ways:</para>
/// <list type="bullet">
/// <item><description><b>Run delegates where you like, in this process</b> (a UI thread, a dedicated thread):
/// override <see cref="Schedule"/> to queue the future, and call <see cref="RunOnThisThread"/> from your worker
/// to run it (it skips cancelled futures and completes the future with the outcome).</description></item>
/// <item><description><b>Send the work elsewhere</b> (another process, a cluster): override every Submit hook
/// (<see cref="SubmitFunc{T}(Func{T})"/>, <see cref="SubmitAction"/>, the two argument overloads,
/// <see cref="SubmitCancellable{T}"/> and <see cref="SubmitChunk{TSource, TResult}"/>) so that you see the
/// user's own delegate; make the future with <see cref="CreateFuture{T}"/> (or <see cref="CreateFuture()"/> for an
/// action), mark it running with <see cref="SetRunning"/> when the work leaves, and finish it with
/// <see cref="SetResult{T}"/>, <see cref="SetResult(Future)"/> or <see cref="SetException"/>. Such an
/// executor's <see cref="Schedule"/> is never called and may throw.</description></item>
/// </list>
/// <para>Either way, also override <see cref="BeginShutdown"/> (stop accepting; never blocks),
/// <see cref="JoinWorkers"/> and <see cref="WhenStopped"/> (wait for the accepted work), and the two gauges
/// <see cref="PendingCount"/> and <see cref="BusyWorkerCount"/>. <see cref="ShutdownToken"/> fires on
/// <c>Shutdown(cancelFutures: true)</c> and <c>Shutdown(wait: false)</c>: pass it on to running tasks.
/// Submit hooks throw <see cref="InvalidOperationException"/> after shutdown, as Python's
/// <c>RuntimeError('cannot schedule new futures after shutdown')</c>.</para>
/// <para>Futures complete, and the user's done-callbacks run, on the thread that calls <c>SetResult</c> or
/// <c>SetException</c>: call them with no lock held.</para>
/// </remarks>
public abstract partial class Executor
{
    /// <summary>Makes a pending future owned by this executor, for a task the subclass runs itself; counts as
    /// one submitted task in Weft's metrics, so make it once the task is accepted.</summary>
    /// <typeparam name="T">The task's result type.</typeparam>
    /// <returns>A pending future; <see cref="Future.Cancel"/> succeeds on it until <see cref="SetRunning"/>.</returns>
    protected Future<T> CreateFuture<T>()
    {
        var future = new Future<T>(null, this);
        ExecutorMetrics.Submitted(this);
        return future;
    }

    /// <summary>Makes a pending result-less future owned by this executor (what <see cref="SubmitAction"/>
    /// returns); finish it with <see cref="SetResult(Future)"/> or <see cref="SetException"/>.</summary>
    /// <returns>A pending future.</returns>
    protected Future CreateFuture() => CreateFuture<VoidResult>();

    /// <summary>Marks a pending future as running, unless it was cancelled.</summary>
    /// <param name="future">A future made by this executor's <see cref="CreateFuture{T}"/>.</param>
    /// <returns><see langword="true"/> if the task must now run; <see langword="false"/> if the future was
    /// cancelled, in which case the task must be skipped.</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <exception cref="InvalidOperationException">The future is running or done already.</exception>
    /// <remarks>Python: <c>Future.set_running_or_notify_cancel()</c>.</remarks>
    protected bool SetRunning(Future future) => Own(future).TryStart();

    /// <summary>Finishes a future with its task's result; the user's callbacks run on this thread.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="future">A future made by this executor's <see cref="CreateFuture{T}"/>.</param>
    /// <param name="result">The task's result.</param>
    /// <returns><see langword="false"/> if the future was already done (the first outcome wins).</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <remarks>Python: <c>Future.set_result(result)</c>.</remarks>
    protected bool SetResult<T>(Future<T> future, T result)
    {
        var done = ((Future<T>)Own(future)).TrySetResult(result);
        if (done)
        {
            ExecutorMetrics.Finished(this, failed: false, startedTimestamp: 0);
        }

        return done;
    }

    /// <summary>Finishes a result-less future (from <see cref="CreateFuture()"/>) as returned normally.</summary>
    /// <param name="future">A future made by this executor's <see cref="CreateFuture()"/>.</param>
    /// <returns><see langword="false"/> if the future was already done.</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor or has a result type.</exception>
    /// <remarks>Python: <c>Future.set_result(None)</c>.</remarks>
    protected bool SetResult(Future future) =>
        Own(future) is Future<VoidResult> action
            ? SetResult(action, default)
            : throw new ArgumentException("Only a future from CreateFuture() finishes without a result.", nameof(future));

    /// <summary>Finishes a future with its task's exception (its stack trace is kept); the user's callbacks run on this thread.</summary>
    /// <param name="future">A future made by this executor.</param>
    /// <param name="error">What the task threw.</param>
    /// <returns><see langword="false"/> if the future was already done (the first outcome wins).</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    /// <remarks>Python: <c>Future.set_exception(exception)</c>.</remarks>
    protected bool SetException(Future future, Exception error)
    {
        var done = Own(future).TrySetException(error);
        if (done)
        {
            ExecutorMetrics.Finished(this, failed: true, startedTimestamp: 0);
        }

        return done;
    }

    private Future Own(Future future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return ReferenceEquals(future.Owner, this)
            ? future
            : throw new ArgumentException("The future belongs to another executor.", nameof(future));
    }
}

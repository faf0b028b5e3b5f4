using Weft.Diagnostics;

namespace Weft;

/// <summary>What a subclass in another assembly needs to implement an executor.</summary>
/// <remarks>
/// <para>Python: a subclass of <c>concurrent.futures.Executor</c> overrides <c>submit</c> and <c>shutdown</c> and
/// completes futures with <c>set_running_or_notify_cancel</c>, <c>set_result</c> and <c>set_exception</c>. Weft
/// keeps the public methods (<c>Submit</c>, <c>Map</c>, <c>Shutdown</c>, <c>Dispose</c>) and the lifecycle here:
/// the shut-down and broken checks ("cannot schedule new futures after shutdown"), the stopped signal that
/// <c>Shutdown(wait: true)</c> and <c>DisposeAsync</c> wait for, and the guard that refuses such a wait from the
/// executor's own threads. A subclass overrides one hook for the work, <see cref="Schedule"/>, which receives every
/// accepted call, whatever <c>Submit</c> overload or <c>Map</c> made it:</para>
/// <list type="bullet">
/// <item><description><b>Run delegates in this process</b> (a UI thread, a dedicated thread): queue the future,
/// and call <see cref="RunOnThisThread"/> from your worker to run it (it skips cancelled futures, runs the task in
/// the submitter's <see cref="ExecutionContext"/> and completes the future).</description></item>
/// <item><description><b>Send the work elsewhere</b> (another process, a cluster): read the <see cref="TaskCall"/>,
/// whose <see cref="TaskCall.Accept{TOut}"/> gives the user's own delegate and its arguments with their declared
/// types; mark the future running with <see cref="SetRunning"/> when the work leaves, and finish it with
/// <see cref="SetResult{T}"/>, <see cref="SetResult(Future)"/> or <see cref="SetException"/>.</description></item>
/// </list>
/// <para>Also override <see cref="BeginShutdown"/> (stop your workers once the accepted work is done; never
/// blocks) and the two gauges <see cref="PendingCount"/> and <see cref="BusyWorkerCount"/>, and call
/// <see cref="SignalStopped"/> once the executor is shut down and its last task is done. Call
/// <see cref="SetBroken"/> when the executor can no longer run tasks (CPython's <c>_broken</c>), then fail what is
/// queued. <see cref="ShutdownToken"/> fires on <c>Shutdown(cancelFutures: true)</c> and
/// <c>Shutdown(wait: false)</c>: pass it on to running tasks.</para>
/// <para>Futures complete, and the user's done-callbacks run, on the thread that calls <c>SetResult</c> or
/// <c>SetException</c>: call them with no lock held.</para>
/// </remarks>
public abstract partial class Executor
{
    /// <summary>Gets whether <c>Shutdown</c> or <c>Dispose</c> was called: no <see cref="Schedule"/> call comes after it.</summary>
    /// <value><see langword="false"/> until the first <c>Shutdown</c>, <c>Dispose</c> or <c>DisposeAsync</c>.</value>
    protected bool IsShutdown => _shutdown;

    /// <summary>Accepts one submitted call: queue it for a worker, or send it.</summary>
    /// <param name="future">The call's pending future, owned by this executor. An in-process worker runs it with
    /// <see cref="RunOnThisThread"/>; a remote executor completes it with <see cref="SetRunning"/>,
    /// <see cref="SetResult{T}"/> and <see cref="SetException"/>.</param>
    /// <param name="call">What was submitted: the user's delegate, the form of the call and its typed arguments.
    /// Valid only during this call.</param>
    /// <exception cref="ArgumentException">The call cannot run here (for example, a remote executor cannot
    /// serialize it); thrown to the caller of <c>Submit</c>, and the future is dropped.</exception>
    /// <remarks>Python: the body of <c>Executor.submit</c> after its shut-down check. Called only while the executor
    /// is neither shut down nor broken, under the executor's lifecycle lock: <c>Shutdown</c> waits for it, so it must
    /// not block for long, and it must not run user code or complete a future. An exception it throws reaches the
    /// submitter.</remarks>
    protected abstract void Schedule(Future future, TaskCall call);

    /// <summary>Stops accepting work; with <paramref name="cancelFutures"/>, cancels what has not started. Never blocks.</summary>
    /// <param name="cancelFutures">Cancel every queued task that has not started.</param>
    /// <remarks>Called after <see cref="IsShutdown"/> became true, on every <c>Shutdown</c>, <c>Dispose</c> and
    /// <c>DisposeAsync</c>; must be harmless when repeated. Call <see cref="SignalStopped"/> once every accepted task
    /// is done and every worker has exited (here, when there are none).</remarks>
    protected abstract void BeginShutdown(bool cancelFutures);

    /// <summary>Reports that the executor is shut down, every accepted task is done and every worker has exited:
    /// releases <c>Shutdown(wait: true)</c>, <c>Dispose</c> and <c>DisposeAsync</c>. Later calls do nothing.</summary>
    protected void SignalStopped() => _stopped.TrySetResult();

    /// <summary>Marks the executor broken: every later <c>Submit</c> throws a new exception like
    /// <paramref name="error"/> (checked before shut-down, as in CPython).</summary>
    /// <param name="error">Why; kept as the inner exception of what <c>Submit</c> throws.</param>
    /// <returns><see langword="true"/> if this call broke the executor; <see langword="false"/> if it was broken already
    /// (the first error is kept).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    /// <remarks>When this returns, no <see cref="Schedule"/> is running and none will be called: fail what is
    /// queued after it, and nothing can slip in behind. Call it with none of the subclass's locks held.</remarks>
    protected bool SetBroken(BrokenExecutorException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        lock (_lifecycle)
        {
            if (_broken is not null)
            {
                return false;
            }

            _broken = error;
            return true;
        }
    }

    /// <summary>Marks a pending future as running, unless it was cancelled; a remote executor calls it when the work
    /// leaves, and the future then drops its delegate and arguments.</summary>
    /// <param name="future">A future this executor received in <see cref="Schedule"/>.</param>
    /// <returns><see langword="true"/> if the task must now run; <see langword="false"/> if the future was
    /// cancelled, in which case the task must be skipped.</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <exception cref="InvalidOperationException">The future is running or done already.</exception>
    /// <remarks>Python: <c>Future.set_running_or_notify_cancel()</c>.</remarks>
    protected bool SetRunning(Future future)
    {
        var own = Own(future);
        var running = own.TryStart();
        own.ReleaseWork();
        return running;
    }

    /// <summary>Finishes a future with its task's result; the user's callbacks run on this thread.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="future">A future this executor received in <see cref="Schedule"/>.</param>
    /// <param name="result">The task's result.</param>
    /// <returns><see langword="false"/> if the future was already done (the first outcome wins).</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <remarks>Python: <c>Future.set_result(result)</c>.</remarks>
    protected bool SetResult<T>(Future<T> future, T result)
    {
        var own = (Future<T>)Own(future);
        var previous = t_completing;
        t_completing = this;
        bool done;
        try
        {
            done = own.TrySetResult(result);
        }
        finally
        {
            t_completing = previous;
        }

        if (done)
        {
            ExecutorMetrics.Finished(this, failed: false, startedTimestamp: 0);
        }

        return done;
    }

    /// <summary>Finishes a result-less future (of a <see cref="TaskCallShape.Action"/> call) as returned normally.</summary>
    /// <param name="future">A future this executor received in <see cref="Schedule"/> for an <see cref="Action"/>.</param>
    /// <returns><see langword="false"/> if the future was already done.</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor or has a result type.</exception>
    /// <remarks>Python: <c>Future.set_result(None)</c>.</remarks>
    protected bool SetResult(Future future) =>
        Own(future) is Future<VoidResult> action
            ? SetResult(action, default)
            : throw new ArgumentException("Only the future of an Action finishes without a result.", nameof(future));

    /// <summary>Finishes a future with its task's exception (its stack trace is kept); the user's callbacks run on this thread.</summary>
    /// <param name="future">A future this executor received in <see cref="Schedule"/>.</param>
    /// <param name="error">What the task threw.</param>
    /// <returns><see langword="false"/> if the future was already done (the first outcome wins).</returns>
    /// <exception cref="ArgumentException">The future belongs to another executor.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="error"/> is null.</exception>
    /// <remarks>Python: <c>Future.set_exception(exception)</c>.</remarks>
    protected bool SetException(Future future, Exception error)
    {
        var own = Own(future);
        var previous = t_completing;
        t_completing = this;
        bool done;
        try
        {
            done = own.TrySetException(error);
        }
        finally
        {
            t_completing = previous;
        }

        if (done)
        {
            ExecutorMetrics.Finished(this, failed: true, startedTimestamp: 0);
        }

        return done;
    }

    /// <summary>Whether <paramref name="thread"/> is one of this executor's own threads (which cannot wait for
    /// itself) besides those completing its futures, which the base class knows.</summary>
    internal virtual bool IsOwnWorker(Thread thread) => false;

    /// <summary>Called by <see cref="Future.Cancel"/> after a pending future of this executor was cancelled.</summary>
    internal virtual void OnCancelled(Future future) => ExecutorMetrics.Cancelled(this);

    /// <summary>Blocks until the executor has stopped (<see cref="SignalStopped"/>); the thread pool also joins its threads.</summary>
    private protected virtual void JoinWorkers() => _stopped.Task.GetAwaiter().GetResult();

    /// <summary>Completes when the executor has stopped (<see cref="SignalStopped"/>).</summary>
    internal Task Stopped => _stopped.Task;

    private Future Own(Future future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return ReferenceEquals(future.Owner, this)
            ? future
            : throw new ArgumentException("The future belongs to another executor.", nameof(future));
    }
}

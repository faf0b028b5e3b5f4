using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;

namespace Weft;

/// <summary>
/// The eventual outcome of a task submitted to an <see cref="Executor"/>: pending, running, cancelled,
/// or finished with a result or an exception. This is the result-less view; <see cref="Future{T}"/> adds
/// the result.
/// </summary>
/// <remarks>
/// <para>Python: <c>concurrent.futures.Future</c>, with the same state machine and the same rules:
/// <see cref="Cancel"/> is refused once the task runs; done-callbacks run once, in registration order,
/// on the thread that completes the future, or at once on the caller's thread when added after
/// completion; a callback that throws is reported and never breaks the future or later callbacks.</para>
/// <para>Deliberate difference: CPython's <c>wait</c>/<c>as_completed</c> treat a cancelled future as
/// complete only once its executor has "noticed" it (<c>CANCELLED_AND_NOTIFIED</c>). Weft treats a
/// cancelled future as done for every observer at once, so nothing waits on a worker to dequeue it.</para>
/// <para>Thread safety: every member may be called from any thread. Invariant: the state only moves
/// <c>Pending → Running → Finished</c> or <c>Pending → Cancelled</c>, by compare-and-swap, and the
/// outcome fields are written before the state that publishes them.</para>
/// </remarks>
[DebuggerDisplay("{ToString(),nq}")]
public partial class Future
{
    /// <summary>Marks <see cref="_listeners"/> once the listeners have been taken for running.</summary>
    private static readonly object s_completed = new();

    private int _state;
    private ExceptionDispatchInfo? _error;

    /// <summary>null | Action&lt;Future&gt; | IFutureListener | ListenerList | s_completed.</summary>
    private object? _listeners;
    private Task? _task;

    /// <summary>Only Weft's executors make futures.</summary>
    private protected Future()
    {
    }

    /// <summary>Gets the current state.</summary>
    /// <value>Starts as <see cref="FutureState.Pending"/>.</value>
    public FutureState State
    {
        get
        {
            var state = Volatile.Read(ref _state);
            return state == Completing ? FutureState.Running : (FutureState)state;
        }
    }

    /// <summary>Gets whether a worker is running the task now.</summary>
    /// <remarks>Python: <c>Future.running()</c>.</remarks>
    public bool IsRunning => State == FutureState.Running;

    /// <summary>Gets whether the future was cancelled before it ran.</summary>
    /// <remarks>Python: <c>Future.cancelled()</c>.</remarks>
    public bool IsCancelled => State == FutureState.Cancelled;

    /// <summary>Gets whether the future is cancelled or finished (with a result or an exception).</summary>
    /// <remarks>Python: <c>Future.done()</c>.</remarks>
    public bool IsDone => State >= FutureState.Cancelled;

    /// <summary>The executor that owns this future, told of cancellations; null for none.</summary>
    internal Executor? Owner { get; set; }

    /// <summary>The submitter's execution context, captured at submit and dropped once the task starts.</summary>
    internal ExecutionContext? Context { get; set; }

    /// <summary>The clock its timed waits read: the owner's, or the system clock.</summary>
    internal TimeProvider Time => Owner?.Time ?? TimeProvider.System;

    /// <summary>The task's exception once finished with one; null otherwise.</summary>
    internal Exception? Error => _error?.SourceException;

    /// <summary>Attempts to cancel the task.</summary>
    /// <returns>
    /// <see langword="true"/> if the future is now cancelled (including when it already was);
    /// <see langword="false"/> if the task is running or done, in which case nothing changes.
    /// </returns>
    /// <remarks>Python: <c>Future.cancel()</c>. Done-callbacks run on the calling thread before this returns.</remarks>
    public bool Cancel()
    {
        var previous = Interlocked.CompareExchange(ref _state, (int)FutureState.Cancelled, (int)FutureState.Pending);
        if (previous == (int)FutureState.Pending)
        {
            Owner?.OnCancelled(this);
            RunListeners();
            return true;
        }

        return previous == (int)FutureState.Cancelled;
    }

    /// <summary>Blocks until the future is done, without throwing the task's exception.</summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits for ever, a negative value does not block.</param>
    /// <param name="cancellationToken">Stops waiting (the future is not cancelled).</param>
    /// <exception cref="TimeoutException">The timeout passed first. The future is not cancelled.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired before the future was done.</exception>
    /// <remarks>Python: <c>concurrent.futures.wait([f], timeout)</c> for one future.</remarks>
    public void Wait(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        if (!WaitUntil(Deadline.After(timeout, Time), cancellationToken))
        {
            throw new TimeoutException($"{this} did not complete within {timeout}");
        }
    }

    /// <summary>Waits for the future and returns the exception its task threw, or null if it returned normally.</summary>
    /// <param name="timeout">How long to wait; <see langword="null"/> waits for ever, a negative value does not block.</param>
    /// <param name="cancellationToken">Stops waiting (the future is not cancelled).</param>
    /// <returns>The task's exception, or <see langword="null"/>.</returns>
    /// <exception cref="OperationCanceledException">The future was cancelled, or <paramref name="cancellationToken"/> fired first.</exception>
    /// <exception cref="TimeoutException">The timeout passed first.</exception>
    /// <remarks>Python: <c>Future.exception(timeout)</c>.</remarks>
    public Exception? GetException(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        Wait(timeout, cancellationToken);
        if (IsCancelled)
        {
            throw new OperationCanceledException($"{this} was cancelled");
        }

        return Error;
    }

    /// <summary>Adds a callback to run when the future is done; at once, on this thread, if it already is.</summary>
    /// <param name="callback">Receives this future. An exception it throws is reported (see
    /// <c>Weft.Threading.Threads.SetTrace</c>, and standard error) and does not affect the future or other callbacks.</param>
    /// <exception cref="ArgumentNullException"><paramref name="callback"/> is null.</exception>
    /// <remarks>Python: <c>Future.add_done_callback(fn)</c>. Callbacks run in the order added, each exactly once,
    /// on the thread that completes or cancels the future.</remarks>
    public void AddDoneCallback(Action<Future> callback)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (!TryAddListener(callback))
        {
            Invoke(callback);
        }
    }

    /// <summary>Returns a task that completes with this future, without blocking a thread while waiting.</summary>
    /// <returns>The same task on every call: canceled if the future is cancelled, faulted with the task's exception.</returns>
    public Task AsTask()
    {
        var task = Volatile.Read(ref _task);
        if (task is not null)
        {
            return task;
        }

        var created = CreateTask(out var listener);
        task = Interlocked.CompareExchange(ref _task, created, null);
        if (task is not null)
        {
            return task;
        }

        if (!TryAddListener(listener))
        {
            listener.OnDone(this);
        }

        return created;
    }

    /// <summary>Lets <c>await future</c> work; never blocks a thread.</summary>
    /// <returns>An awaiter for <see cref="AsTask()"/>.</returns>
    public TaskAwaiter GetAwaiter() => AsTask().GetAwaiter();

    /// <summary>Describes the future the way Python's repr does.</summary>
    /// <returns>For example <c>&lt;Future state=finished returned Int32&gt;</c>.</returns>
    public override string ToString()
    {
        var state = State;
        var text = state switch
        {
            FutureState.Finished when _error is not null => $"finished raised {_error.SourceException.GetType().Name}",
            FutureState.Finished => $"finished returned {ResultTypeName}",
            _ => state.ToString().ToLowerInvariant(),
        };
        return $"<Future state={text}>";
    }

    /// <summary>The name of the result's type, for <see cref="ToString"/>.</summary>
    private protected virtual string ResultTypeName => "None";

    /// <summary>Creates the task behind <see cref="AsTask()"/> and the listener that completes it.</summary>
    private protected virtual Task CreateTask(out IFutureListener listener)
    {
        var source = new FutureTaskSource<object?>(static _ => null);
        listener = source;
        return source.Task;
    }

    /// <summary>Moves a pending future to running. Python: <c>set_running_or_notify_cancel</c>.</summary>
    /// <returns>True if the caller must now run the task; false if it was cancelled and must be skipped.</returns>
    /// <exception cref="InvalidOperationException">The future is running or finished already.</exception>
    internal bool TryStart()
    {
        var previous = Interlocked.CompareExchange(ref _state, (int)FutureState.Running, (int)FutureState.Pending);
        return previous switch
        {
            (int)FutureState.Pending => true,
            (int)FutureState.Cancelled => false,
            _ => throw new InvalidOperationException($"Future in unexpected state: {this}"),
        };
    }

    /// <summary>Records the task's exception (keeping its stack) and publishes the outcome.</summary>
    /// <returns>False when the future was already done (the first outcome is kept).</returns>
    internal bool TrySetException(Exception error)
    {
        ArgumentNullException.ThrowIfNull(error);
        if (!TryClaimOutcome())
        {
            return false;
        }

        StoreError(error);
        Publish();
        return true;
    }

    /// <summary>The shape and delegate of the pending work (what <see cref="TaskCall"/> shows an executor).</summary>
    /// <exception cref="InvalidOperationException">The work already started, was sent, or there is none.</exception>
    internal virtual CallInfo Call => throw NoWork();

    /// <summary>Hands the pending work to <paramref name="visitor"/> with its types (see <see cref="TaskCall.Accept{TOut}"/>).</summary>
    internal virtual TOut AcceptCall<TOut>(ITaskCallVisitor<TOut> visitor) => throw NoWork();

    /// <summary>Drops the work and the captured context: the task was sent elsewhere, so this process must not
    /// keep its arguments (or the submitter's AsyncLocals) alive until the future is done.</summary>
    internal virtual void ReleaseWork() => Context = null;

    /// <summary>The error for a call read after its work was run, sent or dropped.</summary>
    private protected static InvalidOperationException NoWork() =>
        new("The call is no longer available: read a TaskCall during Schedule, before the task starts.");

    /// <summary>Runs the task on the calling worker and records (without publishing) its outcome.</summary>
    /// <returns>True if the caller must now call <see cref="PublishOutcome"/>.</returns>
    internal virtual bool RunUnpublished(CancellationToken cancellationToken) =>
        throw new NotSupportedException("This future has no task of its own.");

    /// <summary>Publishes an outcome recorded by <see cref="RunUnpublished"/>, telling <paramref name="worker"/>'s
    /// executor when its worker is idle again: before the state is published when no user callback will run on
    /// it, after the callbacks otherwise.</summary>
    internal void PublishOutcome(Executor worker) => Publish(worker);

    /// <summary>Records an exception after a successful <see cref="TryClaimOutcome"/>.</summary>
    private protected bool StoreError(Exception error)
    {
        _error = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(error);
        return true;
    }

    /// <summary>
    /// Reserves the right to write the outcome: moves Pending or Running to an internal "completing"
    /// value, so that two racing completions cannot both write, and Cancel cannot slip in between.
    /// </summary>
    private protected bool TryClaimOutcome()
    {
        while (true)
        {
            var state = Volatile.Read(ref _state);
            if (state is not ((int)FutureState.Pending or (int)FutureState.Running))
            {
                return false;
            }

            // Completing is Running as far as observers go: Cancel sees a non-Pending state and refuses.
            if (Interlocked.CompareExchange(ref _state, Completing, state) == state)
            {
                return true;
            }
        }
    }

    /// <summary>Publishes a claimed outcome: the state becomes Finished, then listeners run.</summary>
    private protected void Publish() => Publish(null);

    /// <summary>Seals the listeners, then publishes the state, then runs them.</summary>
    /// <remarks>Sealing first makes "will a user callback run on this worker?" a fact, not a guess: an adder that
    /// comes later waits for the state (a few instructions away) and runs its callback on its own thread.
    /// Checking for callbacks before sealing let one slip in and run on a worker already counted idle (bug 10.11).</remarks>
    private void Publish(Executor? worker)
    {
        var listeners = TakeListeners();
        var userCallbacks = worker is not null && HasUserCallback(listeners);
        if (worker is not null && !userCallbacks)
        {
            worker.OnTaskReturned();
        }

        Volatile.Write(ref _state, (int)FutureState.Finished);
        InvokeAll(listeners);
        if (userCallbacks)
        {
            worker!.OnTaskReturned();
        }
    }

    /// <summary>An internal state between Running and Finished; reads as Running.</summary>
    private const int Completing = 4;

    /// <summary>Rethrows the task's exception with its original stack trace, or the cancellation.</summary>
    private protected void ThrowIfFailedOrCancelled()
    {
        if (IsCancelled)
        {
            throw new OperationCanceledException($"{this} was cancelled");
        }

        _error?.Throw();
    }
}

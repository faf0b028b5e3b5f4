using System.Diagnostics;
using Weft.Diagnostics;

namespace Weft;

/// <summary>
/// Runs tasks asynchronously and hands back <see cref="Future{T}"/>s for their outcomes: the common
/// surface of <see cref="ThreadPoolExecutor"/> and <see cref="ProcessPoolExecutor"/>.
/// </summary>
/// <remarks>
/// <para>Python: <c>concurrent.futures.Executor</c>. <c>using var executor = ...</c> is Python's
/// <c>with</c> block: disposing waits for every submitted task (<c>shutdown(wait=True)</c>).</para>
/// <para>Thread safety: every member may be called from any thread, including from inside a task.</para>
/// </remarks>
public abstract partial class Executor : IDisposable, IAsyncDisposable
{
    private readonly CancellationTokenSource _shutdownSource = new();

    /// <summary>Starts an executor; see the remarks of <c>Executor.Subclassing.cs</c> for what a subclass overrides.</summary>
    /// <param name="name">Shown in metrics tags and diagnostics, e.g. <c>ThreadPoolExecutor-0</c>.</param>
    protected Executor(string name)
    {
        Name = name;
        ExecutorMetrics.Track(this);
    }

    /// <summary>The name used in metric tags and worker names.</summary>
    internal string Name { get; }

    /// <summary>Tasks accepted but not started (for the queue-depth gauge).</summary>
    protected internal abstract int PendingCount { get; }

    /// <summary>Workers running a task now (for the busy-workers gauge).</summary>
    protected internal abstract int BusyWorkerCount { get; }

    /// <summary>Fires on <c>Shutdown(cancelFutures: true)</c> and <c>Shutdown(wait: false)</c>.</summary>
    protected CancellationToken ShutdownToken => _shutdownSource.Token;

    /// <summary>Schedules <paramref name="fn"/> to run and returns a future for its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="fn">The task.</param>
    /// <returns>A pending future.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    /// <remarks>Python: <c>Executor.submit(fn)</c>.</remarks>
    public Future<T> Submit<T>(Func<T> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        return SubmitFunc(fn);
    }

    /// <summary>Schedules an action to run and returns a result-less future for it.</summary>
    /// <param name="fn">The task.</param>
    /// <returns>A pending future.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    /// <remarks>Python: <c>Executor.submit(fn)</c> for a function returning <c>None</c>.</remarks>
    public Future Submit(Action fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        return SubmitAction(fn);
    }

    /// <summary>Schedules <c>fn(arg)</c> and returns a future for its result.</summary>
    /// <typeparam name="TArg">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The task.</param>
    /// <param name="arg">Its argument.</param>
    /// <returns>A pending future.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    /// <remarks>Python: <c>Executor.submit(fn, arg)</c>.</remarks>
    public Future<TResult> Submit<TArg, TResult>(Func<TArg, TResult> fn, TArg arg)
    {
        ArgumentNullException.ThrowIfNull(fn);
        return SubmitFunc(fn, arg);
    }

    /// <summary>Schedules <c>fn(arg1, arg2)</c> and returns a future for its result.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The task.</param>
    /// <param name="arg1">Its first argument.</param>
    /// <param name="arg2">Its second argument.</param>
    /// <returns>A pending future.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    /// <remarks>Python: <c>Executor.submit(fn, arg1, arg2)</c>.</remarks>
    public Future<TResult> Submit<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 arg1, T2 arg2)
    {
        ArgumentNullException.ThrowIfNull(fn);
        return SubmitFunc(fn, arg1, arg2);
    }

    /// <summary>Schedules a cancellable task and returns a future for its result.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="fn">The task; its token fires on <c>Shutdown(cancelFutures: true)</c> and on
    /// <c>Shutdown(wait: false)</c>, so long-running work can stop early.</param>
    /// <returns>A pending future.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fn"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The executor was shut down.</exception>
    /// <exception cref="BrokenExecutorException">The executor is broken.</exception>
    /// <remarks>Python has no counterpart: running tasks there cannot be asked to stop.</remarks>
    public Future<T> Submit<T>(Func<CancellationToken, T> fn)
    {
        ArgumentNullException.ThrowIfNull(fn);
        return SubmitCancellable(fn);
    }

    /// <summary>Stops accepting tasks and frees the workers once the accepted tasks are done.</summary>
    /// <param name="wait">Block until every accepted task is done and every worker has exited.
    /// With <see langword="false"/> this returns at once and also fires the tasks' cancellation tokens.</param>
    /// <param name="cancelFutures">Cancel every task that has not started (and fire the tokens of running ones).</param>
    /// <exception cref="InvalidOperationException"><paramref name="wait"/> is true and the caller is one of
    /// this executor's own workers (it cannot join itself).</exception>
    /// <remarks>Python: <c>Executor.shutdown(wait=True, *, cancel_futures=False)</c>. Calling it again is harmless;
    /// a later call may wait where an earlier one did not.</remarks>
    public void Shutdown(bool wait = true, bool cancelFutures = false)
    {
        // Cancel the queued tasks before firing the tokens: a running task that stops on its token frees
        // its worker, which must then find nothing left to start.
        BeginShutdown(cancelFutures);
        if (cancelFutures || !wait)
        {
            CancelTokens();
        }

        if (wait)
        {
            JoinWorkers();
            ExecutorMetrics.Untrack(this);
        }
    }

    /// <summary>Shuts down and waits for every accepted task: <c>Shutdown(wait: true)</c>.</summary>
    public void Dispose()
    {
        Shutdown(wait: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Shuts down and waits asynchronously (no thread blocked) for every accepted task and worker.</summary>
    /// <returns>A task that completes when the workers have exited.</returns>
    /// <exception cref="InvalidOperationException">Called from one of this executor's own workers, which cannot
    /// wait for itself; thrown at once, as <see cref="Dispose"/> does (the executor is shut down all the same).</exception>
    public ValueTask DisposeAsync()
    {
        BeginShutdown(cancelFutures: false);
        if (IsOwnWorker(Thread.CurrentThread))
        {
            throw new InvalidOperationException("cannot wait for the executor's own worker: DisposeAsync was called from one of this executor's tasks");
        }

        return WhenDisposed();
    }

    /// <summary>Whether <paramref name="thread"/> is one of this executor's in-process workers (which cannot wait for itself).</summary>
    internal virtual bool IsOwnWorker(Thread thread) => false;

    /// <summary>Called by <see cref="Future.Cancel"/> after a pending future of this executor was cancelled.</summary>
    internal virtual void OnCancelled(Future future) => ExecutorMetrics.Cancelled(this);

    /// <summary>Schedules a future made by one of the Submit hooks; checks broken and shut-down state.</summary>
    protected abstract void Schedule(Future future);

    /// <summary>Stops accepting work; with <paramref name="cancelFutures"/>, cancels what has not started. Never blocks.</summary>
    protected abstract void BeginShutdown(bool cancelFutures);

    /// <summary>Blocks until every worker has exited.</summary>
    protected abstract void JoinWorkers();

    /// <summary>Completes when every worker has exited.</summary>
    protected abstract Task WhenStopped();

    // The Submit hooks. The thread pool runs delegates in place; the process pool overrides them all,
    // because it must look at the user's own delegate (its method and captures), not a wrapper.
    /// <summary>Submit hook for <see cref="Submit{T}(Func{T})"/>; by default wraps the call and calls <see cref="Schedule"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <returns>A pending future owned by this executor.</returns>
    protected virtual Future<T> SubmitFunc<T>(Func<T> fn) => Enqueue(new Future<T>(fn, this));

    /// <summary>Submit hook for <see cref="Submit(Action)"/>.</summary>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <returns>A pending result-less future owned by this executor (see <see cref="CreateFuture()"/>).</returns>
    protected virtual Future SubmitAction(Action fn) =>
        Enqueue(new Future<VoidResult>(new Func<VoidResult>(() =>
        {
            fn();
            return default;
        }), this));

    /// <summary>Submit hook for <see cref="Submit{TArg, TResult}(Func{TArg, TResult}, TArg)"/>, and for each item of <c>Map</c> at chunkSize 1.</summary>
    /// <typeparam name="TArg">The argument type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <param name="arg">Its argument.</param>
    /// <returns>A pending future owned by this executor.</returns>
    protected virtual Future<TResult> SubmitFunc<TArg, TResult>(Func<TArg, TResult> fn, TArg arg) =>
        Enqueue(new Future<TResult>(new Func<TResult>(() => fn(arg)), this));

    /// <summary>Submit hook for <see cref="Submit{T1, T2, TResult}(Func{T1, T2, TResult}, T1, T2)"/>.</summary>
    /// <typeparam name="T1">The first argument's type.</typeparam>
    /// <typeparam name="T2">The second argument's type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <param name="arg1">Its first argument.</param>
    /// <param name="arg2">Its second argument.</param>
    /// <returns>A pending future owned by this executor.</returns>
    protected virtual Future<TResult> SubmitFunc<T1, T2, TResult>(Func<T1, T2, TResult> fn, T1 arg1, T2 arg2) =>
        Enqueue(new Future<TResult>(new Func<TResult>(() => fn(arg1, arg2)), this));

    /// <summary>Submit hook for <see cref="Submit{T}(Func{CancellationToken, T})"/>; the task's token is <see cref="ShutdownToken"/>.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <returns>A pending future owned by this executor.</returns>
    protected virtual Future<T> SubmitCancellable<T>(Func<CancellationToken, T> fn) => Enqueue(new Future<T>(fn, this));

    /// <summary>Runs a chunk of <c>Map</c> items as one task; results in input order.</summary>
    /// <typeparam name="TSource">The item type.</typeparam>
    /// <typeparam name="TResult">The result type.</typeparam>
    /// <param name="fn">The user's own delegate (not null).</param>
    /// <param name="items">The chunk's items.</param>
    /// <returns>A pending future owned by this executor.</returns>
    protected virtual Future<TResult[]> SubmitChunk<TSource, TResult>(Func<TSource, TResult> fn, TSource[] items) =>
        Enqueue(new Future<TResult[]>(new Func<TResult[]>(() =>
        {
            var results = new TResult[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                results[i] = fn(items[i]);
            }

            return results;
        }), this));

    private protected TFuture Enqueue<TFuture>(TFuture future)
        where TFuture : Future
    {
        var context = ExecutionContext.Capture();
        future.Context = ReferenceEquals(context, s_defaultContext) ? null : context;
        Schedule(future);
        ExecutorMetrics.Submitted(this);
        return future;
    }

    /// <summary>Runs one task on the calling worker thread, in the submitter's <see cref="ExecutionContext"/>
    /// (so <c>AsyncLocal</c> values flow as they do with <c>Task.Run</c>), with tracing and metrics. The single
    /// run path of in-process workers.</summary>
    /// <param name="future">A future taken off the queue; skipped if it was cancelled.</param>
    protected void RunOnThisThread(Future future)
    {
        if (!future.TryStart())
        {
            // A cancelled future frees its worker like any other (CPython releases its idle semaphore
            // after every work item); skipping this left the worker counted busy for good (bug 10.1).
            OnTaskReturned();
            return;
        }

        var context = future.Context;
        future.Context = null;
        if (context is null)
        {
            RunStarted(future);

            // The task ran in the worker's own context: anything it set there (an AsyncLocal) must not
            // reach the next task, as it does not with Task.Run (bug 10.2).
            if (!ReferenceEquals(ExecutionContext.Capture(), s_defaultContext))
            {
                ExecutionContext.Restore(s_defaultContext!);
            }
        }
        else
        {
            ExecutionContext.Run(context, s_runStarted, future);
        }
    }

    /// <summary>Called on the worker after a task returned or threw and before its outcome is published:
    /// the thread pool marks the worker idle here, so a caller woken by the result finds it reusable.</summary>
    internal virtual void OnTaskReturned()
    {
    }

    /// <summary>The empty context (no AsyncLocal set): a task submitted under it runs without the cost of
    /// switching contexts. Read off a thread started without flowing any context.</summary>
    private static readonly ExecutionContext? s_defaultContext = CaptureEmptyContext();

    private static ExecutionContext? CaptureEmptyContext()
    {
        ExecutionContext? captured = null;
        var thread = new Thread(() => captured = ExecutionContext.Capture());
        thread.UnsafeStart();
        thread.Join();
        return captured;
    }

    private static readonly ContextCallback s_runStarted = static state =>
    {
        var future = (Future)state!;
        future.Owner!.RunStarted(future);
    };

    private void RunStarted(Future future)
    {
        WorkerTrace.TaskStarted(future);
        var started = ExecutorMetrics.TimingEnabled ? Stopwatch.GetTimestamp() : 0;
        if (future.RunUnpublished(ShutdownToken))
        {
            // The worker counts as idle before the outcome is published, so a caller woken by the result
            // reuses it instead of starting a thread (CPython's test_idle_thread_reuse). Not so when user
            // callbacks will run here: one that submits and waits must be able to get a new worker. The
            // callbacks are sealed before that choice, so none can slip in after it (bug 10.11).
            future.PublishOutcome(this);
        }
        else
        {
            OnTaskReturned();
        }

        var error = future.Error;
        ExecutorMetrics.Finished(this, error is not null, started);
        WorkerTrace.TaskFinished(future, error);
    }

    private void CancelTokens()
    {
        try
        {
            _shutdownSource.Cancel();
        }
#pragma warning disable CA1031 // A token callback of a task must not stop the executor from shutting down.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"{Name}: a cancellation callback threw during shutdown: {e}");
        }
    }
}

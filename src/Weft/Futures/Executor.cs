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
    /// <summary>A thread completing a future through <see cref="SetResult{T}"/> or <see cref="SetException"/>,
    /// which runs user callbacks: such a callback must not wait for the executor to stop.</summary>
    [ThreadStatic]
    private static Executor? t_completing;

    private readonly CancellationTokenSource _shutdownSource = new();

    /// <summary>Guards <see cref="_shutdown"/> and <see cref="_broken"/> against a <see cref="Schedule"/> in
    /// progress. Lock order: taken before any lock of a subclass, never while one is held.</summary>
    private readonly Lock _lifecycle = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _shutdown;
    private volatile BrokenExecutorException? _broken;

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
        return SubmitWork<T>(fn);
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
        return SubmitWork<VoidResult>(fn);
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
        return SubmitWork<TResult>(new FuncCall<TArg, TResult>(fn, arg));
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
        return SubmitWork<TResult>(new FuncCall<T1, T2, TResult>(fn, arg1, arg2));
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
        return SubmitWork<T>(fn);
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
        StopAccepting();
        BeginShutdown(cancelFutures);
        if (cancelFutures || !wait)
        {
            CancelTokens();
        }

        if (wait)
        {
            ThrowIfOwnThread("cannot join current thread: Shutdown(wait: true) was called from one of this executor's own threads");
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
    /// <exception cref="InvalidOperationException">Called from one of this executor's own threads, which cannot
    /// wait for itself; thrown at once, as <see cref="Dispose"/> does (the executor is shut down all the same).</exception>
    public ValueTask DisposeAsync()
    {
        StopAccepting();
        BeginShutdown(cancelFutures: false);
        ThrowIfOwnThread("cannot wait for the executor's own thread: DisposeAsync was called from one of this executor's tasks or callbacks");
        return WhenDisposed();
    }

    /// <summary>Makes the future of one call and admits it (see <see cref="Admit"/>).</summary>
    /// <param name="work">The user's delegate (no arguments) or a <see cref="TaskWork{TResult}"/> (with arguments).</param>
    private Future<TResult> SubmitWork<TResult>(object work)
    {
        var future = new Future<TResult>(work, this);
        Admit(future);
        return future;
    }

    /// <summary>The one submit path of every executor: refuses work once broken or shut down, then hands the
    /// future to <see cref="Schedule"/>.</summary>
    /// <remarks>Under <c>_lifecycle</c>, so that once <see cref="StopAccepting"/> or <see cref="SetBroken"/>
    /// returns no <c>Schedule</c> is running or will run: a subclass that drains its queue after either sees
    /// every accepted task.</remarks>
    private void Admit(Future future)
    {
        // The task's activity (only when someone listens) is current while the context is captured, so an
        // in-process task runs under it; the submitter's own current activity is put back afterwards.
        Activity? activity = null;
        Activity? previous = null;
        if (TaskActivity.Source.HasListeners())
        {
            activity = TaskActivity.StartTask(this, future, out previous);
        }

        var context = ExecutionContext.Capture();
        future.Context = ReferenceEquals(context, s_defaultContext) ? null : context;
        try
        {
            lock (_lifecycle)
            {
                // Broken before shut down, as CPython checks them.
                if (_broken is { } broken)
                {
                    throw Renew(broken);
                }

                if (_shutdown)
                {
                    throw new InvalidOperationException("cannot schedule new futures after shutdown");
                }

                Schedule(future, new TaskCall(future, activity));
            }
        }
        catch (Exception e) when (activity is not null)
        {
            TaskActivity.SubmitFailed(activity, e);
            throw;
        }
        finally
        {
            if (activity is not null)
            {
                Activity.Current = previous;
            }
        }

        ExecutorMetrics.Submitted(this);
    }

    /// <summary>Sets the shut-down flag; after this no <see cref="Schedule"/> runs (see <see cref="Admit"/>).</summary>
    private void StopAccepting()
    {
        lock (_lifecycle)
        {
            _shutdown = true;
        }
    }

    /// <summary>Throws when the calling thread is this executor's own (a worker, or a thread completing one of its
    /// futures): it would wait for itself for ever.</summary>
    private void ThrowIfOwnThread(string message)
    {
        if (ReferenceEquals(t_completing, this) || IsOwnWorker(Thread.CurrentThread))
        {
            throw new InvalidOperationException(message);
        }
    }

    /// <summary>A new exception like <paramref name="broken"/> for one more refused Submit: one object per throw,
    /// since a shared one would have its stack trace rewritten by every thrower.</summary>
    private static BrokenExecutorException Renew(BrokenExecutorException broken) => broken switch
    {
        BrokenThreadPoolException => new BrokenThreadPoolException(broken.Message, broken.InnerException ?? broken),
        BrokenProcessPoolException process => new BrokenProcessPoolException(process.Message, process.ExitCode, process),
        _ => new BrokenExecutorException(broken.Message, broken),
    };

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

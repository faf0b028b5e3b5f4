using System.Diagnostics;
using Weft.Processes;

namespace Weft;

/// <summary>
/// An <see cref="Executor"/> that runs tasks in worker processes, for CPU-bound work that must use every core.
/// Workers start lazily up to <see cref="MaxWorkers"/>, are reused, and run the user's own assembly: a worker is
/// started with the application's runtime config and dependency graph.
/// </summary>
/// <remarks>
/// <para>Python: <c>concurrent.futures.ProcessPoolExecutor</c> with the <c>spawn</c> start method.</para>
/// <para>What can be submitted: static methods and lambdas that capture nothing (the worker finds the compiler's
/// cached lambda again). A lambda that captures variables, or an instance method bound to an object, is refused
/// at <c>Submit</c> with an <see cref="ArgumentException"/> naming what was captured. Arguments and results cross
/// the process boundary by value, serialized as JSON by their declared types; no type name read off the pipe is
/// ever instantiated.</para>
/// <para>Failures: a task's exception comes back as its future's exception, rebuilt as its own type when it is
/// a common BCL exception (with a <see cref="RemoteException"/> carrying the remote stack trace as its inner
/// exception), otherwise as a <see cref="RemoteException"/>. A worker that dies (crash, <c>FailFast</c>,
/// <c>kill -9</c>, killed by the OS for memory) breaks the pool: every pending and running future fails at once with
/// <see cref="BrokenProcessPoolException"/> naming the worker's exit code. Workers exit by themselves when this
/// process dies, and a pool that is dropped without <c>Shutdown</c> is collected and shuts its workers down.</para>
/// <para>The scheduling lives in <c>Processes/Pool/Dispatcher</c>, each worker's life in <c>Processes/Worker/Worker</c>
/// (a state machine), the frames in <c>Processes/Protocol</c>; docs/processes.md draws the lifecycle.</para>
/// </remarks>
[DebuggerDisplay("{Name}: workers={WorkerProcessIds.Count}/{MaxWorkers}")]
public sealed partial class ProcessPoolExecutor : Executor
{
    private static int s_counter = -1;

    private readonly Dispatcher _dispatcher;

    /// <summary>Creates a process pool; no process starts until the first task is submitted.</summary>
    /// <param name="maxWorkers">The most worker processes; <see langword="null"/> means <see cref="Environment.ProcessorCount"/>.</param>
    /// <param name="initializer">A static method or non-capturing lambda run once in each worker before its first task.
    /// If it throws, the pool is broken: pending and later tasks fail with <see cref="BrokenProcessPoolException"/>.</param>
    /// <param name="maxTasksPerChild">Tasks (or <c>Map</c> chunks) a worker runs before it is replaced by a fresh
    /// process; <see langword="null"/>: workers live as long as the pool.</param>
    /// <param name="options">Supervision beyond CPython's rules (task timeout, what a crash means, a memory limit);
    /// <see langword="null"/>: CPython's behaviour.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> or <paramref name="maxTasksPerChild"/> is
    /// zero or negative, or an option is: a <see cref="ProcessPoolOptions.TaskTimeout"/> not above zero or over
    /// <see cref="int.MaxValue"/> milliseconds, a <see cref="ProcessPoolOptions.MaxWorkerMemoryBytes"/> not above zero,
    /// an undefined <see cref="ProcessPoolOptions.OnWorkerCrash"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="initializer"/> captures variables or is bound to an object.</exception>
    /// <remarks>Python: <c>ProcessPoolExecutor(max_workers=None, mp_context=None, initializer=None, initargs=(), max_tasks_per_child=None)</c>.</remarks>
    public ProcessPoolExecutor(int? maxWorkers = null, Action? initializer = null, int? maxTasksPerChild = null, ProcessPoolOptions? options = null)
        : base($"ProcessPoolExecutor-{Interlocked.Increment(ref s_counter)}")
    {
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        if (maxTasksPerChild is { } perChild)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(perChild, nameof(maxTasksPerChild));
        }

        var policy = options is null ? PoolPolicy.CPython : PoolPolicy.From(options);
        MaxWorkers = maxWorkers ?? Environment.ProcessorCount;
        var function = initializer is null ? null : TaskFunction.From(initializer, TaskShape.Action, nameof(initializer));
        _dispatcher = new Dispatcher(Name, MaxWorkers, maxTasksPerChild, function, policy, ShutdownToken)
        {
            Owner = new WeakReference<ProcessPoolExecutor>(this),
        };

        // The registration holds the dispatcher, not this pool: the token's source must not keep a dropped pool alive.
        ShutdownToken.Register(static dispatcher => ((Dispatcher)dispatcher!).CancelRunningTasks(), _dispatcher);
    }

    /// <summary>A pool nobody holds any more (no task pending, never shut down) shuts its workers down, as CPython's
    /// does when its executor is collected: they finish what they have and exit.</summary>
    ~ProcessPoolExecutor() => _dispatcher?.BeginShutdown(cancelFutures: false);   // null when the constructor threw

    /// <summary>Gets the most worker processes this pool will run at once.</summary>
    /// <value>By default <see cref="Environment.ProcessorCount"/>.</value>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    protected internal override int PendingCount => _dispatcher?.PendingCount ?? 0;   // null when the constructor threw

    /// <inheritdoc/>
    protected internal override int BusyWorkerCount => _dispatcher?.BusyWorkerCount ?? 0;

    /// <summary>The process ids of the live workers (for tests and diagnostics).</summary>
    internal IReadOnlyList<int> WorkerProcessIds => _dispatcher?.WorkerProcessIds ?? [];

    /// <summary>The scheduling (for tests: <see cref="Dispatcher.StartInfo"/>).</summary>
    internal Dispatcher Dispatcher => _dispatcher;

    /// <summary>Ends one running task by ending its worker process: the future fails with
    /// <see cref="TaskTerminatedException"/>, a new worker takes the dead one's place, and every other task, calls
    /// sent ahead to that worker included, goes on.</summary>
    /// <param name="future">A future of this pool.</param>
    /// <returns><see langword="false"/> when the future is not running on this pool (a pending one: use
    /// <see cref="Future.Cancel"/>); <see langword="true"/> when its worker is being ended. If the task's result
    /// reaches the pool before the worker is gone, the result wins.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="future"/> is null.</exception>
    /// <remarks>Python: no counterpart in <c>concurrent.futures</c>; Pebble's <c>future.cancel()</c> on a running task.</remarks>
    public bool Terminate(Future future)
    {
        ArgumentNullException.ThrowIfNull(future);
        return ReferenceEquals(future.Owner, this)
            && _dispatcher.Terminate(future, new TaskTerminatedException("The task was terminated by ProcessPoolExecutor.Terminate: its worker process was ended."));
    }

    /// <summary>Ends every live worker at once with SIGTERM: pending and running futures fail with
    /// <see cref="BrokenProcessPoolException"/>, and the pool is shut down.</summary>
    /// <remarks>Python 3.14: <c>ProcessPoolExecutor.terminate_workers()</c>. On Windows the workers are killed.</remarks>
    public void TerminateWorkers() => EndWorkers(signal: 15, "TerminateWorkers");

    /// <summary>Ends every live worker at once with SIGKILL: pending and running futures fail with
    /// <see cref="BrokenProcessPoolException"/>, and the pool is shut down.</summary>
    /// <remarks>Python 3.14: <c>ProcessPoolExecutor.kill_workers()</c>.</remarks>
    public void KillWorkers() => EndWorkers(signal: 9, "KillWorkers");

    /// <inheritdoc/>
    protected override void BeginShutdown(bool cancelFutures) => _dispatcher.BeginShutdown(cancelFutures);

    /// <summary>The sender and reader threads run user callbacks: Shutdown(wait: true) there would wait for itself.</summary>
    internal override bool IsOwnWorker(Thread thread) => thread == Thread.CurrentThread && Dispatcher.Current == _dispatcher;

    /// <summary>The dispatcher broke the pool: later Submits throw (the base class checks it before anything else).</summary>
    internal void OnBroken(BrokenProcessPoolException error) => SetBroken(error);

    /// <summary>The dispatcher is shut down with every call done and every worker exited.</summary>
    internal void OnStopped() => SignalStopped();

    private void EndWorkers(int signal, string by)
    {
        Shutdown(wait: false);
        _dispatcher.EndAll(signal, new BrokenProcessPoolException(
            $"The workers were ended by {by}(), the process pool is not usable anymore.", null, null));
    }

    private void Add(WorkItem item)
    {
        WorkerLaunch.EnsureCanStart();   // a missing FreezeSupport() or worker file fails this Submit, in its own words
        if (item.Arguments.Length > FrameReader.MaxValueLength)
        {
            throw new ArgumentException(
                $"The arguments are {item.Arguments.Length} bytes serialized, over the {FrameReader.MaxValueLength}-byte limit for a value " +
                $"(the frame cap {FrameReader.DefaultMaxLength} set by {FrameReader.MaxFrameLengthSetting} in the runtimeconfig, less {FrameReader.HeaderAllowance} for the frame's own fields).", "arg");
        }

        _dispatcher.Add(item);
    }
}

using System.Diagnostics;
using Weft.Orleans.Silos;

namespace Weft.Orleans;

/// <summary>
/// An <see cref="Executor"/> whose tasks run on the silos of a Microsoft Orleans cluster: Submit, Map,
/// AsCompleted, Wait and Shutdown as everywhere, over many machines.
/// </summary>
/// <remarks>
/// <para>Python: Dask's <c>distributed.Client</c> (and Ray), which are <c>concurrent.futures</c> over a cluster.</para>
/// <para>What can be submitted is what <see cref="ProcessPoolExecutor"/> takes: static methods and lambdas that
/// capture nothing (a capturing lambda is refused at <c>Submit</c>). A function is named by assembly, module build
/// and method, and a silo runs it only from an assembly it has already loaded: the user's application is its own
/// silo. Arguments and results cross by value under the process pool's rule, exact or refused.</para>
/// <para>Spreading: every active silo (from <c>IManagementGrain.GetHosts</c>, refreshed every few seconds and
/// whenever a silo fails) gets its own worker grain key, and the least busy silo takes the next task. At most
/// <see cref="MaxWorkers"/> tasks are in flight; the rest wait here.</para>
/// <para>Faults: Orleans delivers a call at most once. A call whose silo dies (<c>SiloUnavailableException</c>,
/// another <c>OrleansMessageRejectionException</c>, a lost connection) or does not answer within Orleans'
/// <c>ResponseTimeout</c> (<see cref="TimeoutException"/>) is sent again to another silo, up to <c>maxRetries</c>
/// times; after that the future fails with an <c>OrleansException</c> that says so. The first result wins. So
/// delivery is <b>at-least-once</b>, as in Ray and Dask: a task may run twice (on a silo that died after starting
/// it, or one that answered too late). Exceptions thrown by the function itself are never retried.</para>
/// <para>Cancellation: <see cref="Future.Cancel"/> stops a task that has not been sent. <c>Shutdown(cancelFutures:
/// true)</c> and <c>Shutdown(wait: false)</c> also cancel the grain calls of running tasks: Orleans carries the
/// cancellation to the silo, where a <c>Func&lt;CancellationToken, T&gt;</c> sees its token fire, and the future fails
/// with <see cref="OperationCanceledException"/>.</para>
/// <para>Lock order: <c>_gate</c> guards the queues, the in-flight table and the silo table; futures complete, and
/// user callbacks run, with no lock held.</para>
/// </remarks>
[DebuggerDisplay("{Name}: in flight={BusyWorkerCount}/{MaxWorkers}, queued={PendingCount}, silos={_silos.Count}, shutdown={IsShutdown}")]
public sealed partial class ClusterExecutor : Executor
{
    private static readonly TimeSpan s_discoveryTimeout = TimeSpan.FromSeconds(30);
    private static int s_counter = -1;

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly int _maxRetries;
    private readonly object _gate = new();
    private readonly Queue<ClusterTask> _queue = new();
    private readonly Queue<ClusterTask> _resends = new();             // served before _queue: their futures already run
    private readonly Dictionary<ClusterTask, WorkerSilo> _inFlight = [];    // the table of tasks in flight
    private readonly SiloTable _silos;

    /// <summary>Names this executor's calls on the silos, so a shutdown can cancel exactly them.</summary>
    private readonly string _id = Guid.NewGuid().ToString("N");

    private int _finishing;      // tasks out of _inFlight whose futures are being completed
    private int _backingOff;     // lost tasks waiting out their delay before a resend

    /// <summary>Creates an executor over the cluster that <paramref name="grains"/> reaches; asks the cluster
    /// for its silos before returning.</summary>
    /// <param name="grains">An <c>IClusterClient</c> outside the cluster, or a silo's <see cref="IGrainFactory"/> inside it.
    /// Every silo must call <see cref="WeftSiloBuilderExtensions.AddWeftWorkers"/>.</param>
    /// <param name="maxWorkers">Tasks in flight at once; <see langword="null"/>: what the cluster's silos offer
    /// (their <c>maxLocalWorkers</c> added up, when this executor is created).</param>
    /// <param name="maxRetries">How often a task whose silo died or did not answer is sent again (Ray's default: 3).</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative, or
    /// <paramref name="maxRetries"/> is negative.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="maxWorkers"/> is null and no silo with Weft's workers answered.</exception>
    /// <remarks>Python: <c>distributed.Client(address)</c>, whose <c>submit</c>/<c>map</c> are <c>Executor</c>'s.</remarks>
    public ClusterExecutor(IGrainFactory grains, int? maxWorkers = null, int maxRetries = 3)
        : this(grains, maxWorkers, maxRetries, TimeProvider.System, TimeSpan.FromSeconds(2))
    {
    }

    /// <summary>The constructor behind the public one, with the clock and refresh period that tests replace.</summary>
    internal ClusterExecutor(IGrainFactory grains, int? maxWorkers, int maxRetries, TimeProvider time, TimeSpan refreshPeriod)
        : this(grains, maxWorkers, maxRetries, Discover(grains, maxWorkers, maxRetries), time, refreshPeriod)
    {
    }

    private ClusterExecutor(IGrainFactory grains, int? maxWorkers, int maxRetries, List<WorkerSilo> silos, TimeProvider time, TimeSpan refreshPeriod)
        : base($"ClusterExecutor-{Interlocked.Increment(ref s_counter)}")
    {
        _grains = grains;
        _maxRetries = maxRetries;
        _time = time;
        _silos = new SiloTable(time);
        _silos.Replace(silos);
        MaxWorkers = maxWorkers ?? _silos.TotalCapacity;
        var weak = new WeakReference<ClusterExecutor>(this);
        _ = Task.Run(() => RefreshLoopAsync(weak, time, refreshPeriod));
        ShutdownToken.Register(static executor => ((ClusterExecutor)executor!).CancelRunningTasks(), this);
    }

    /// <summary>Gets the most tasks this executor has in flight at once.</summary>
    /// <value>By default, the silos' capacities added up when the executor was created.</value>
    public int MaxWorkers { get; }

    /// <inheritdoc/>
    protected internal override int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count + _resends.Count;
            }
        }
    }

    /// <inheritdoc/>
    protected internal override int BusyWorkerCount
    {
        get
        {
            lock (_gate)
            {
                return _inFlight.Count;
            }
        }
    }

    /// <inheritdoc/>
    protected override void BeginShutdown(bool cancelFutures)
    {
        List<ClusterTask> cancelled = [];
        lock (_gate)
        {
            if (cancelFutures)
            {
                cancelled.AddRange(_queue);
                _queue.Clear();
            }
        }

        foreach (var task in cancelled)
        {
            task.Future.Cancel();
        }

        Dispatch();   // drops tasks cancelled while queued, so a pool with nothing running can stop
        CheckStopped();
    }

    /// <summary>Asks the cluster for its silos, on a pool thread (never on a grain's scheduler, which would deadlock).</summary>
    private static List<WorkerSilo> Discover(IGrainFactory grains, int? maxWorkers, int maxRetries)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        List<WorkerSilo> silos;
        try
        {
            using var timeout = new CancellationTokenSource(s_discoveryTimeout);
            silos = Task.Run(() => SiloTable.DiscoverAsync(grains, new Dictionary<string, WorkerSilo>(), timeout.Token)).GetAwaiter().GetResult();
        }
        catch (Exception e) when (maxWorkers is not null && e is OrleansException or TimeoutException or OperationCanceledException)
        {
            silos = [];   // a fixed size does not need the silos now; the refresh finds them
        }

        if (maxWorkers is null && silos.Count == 0)
        {
            throw new InvalidOperationException(
                "No silo with Weft's workers answered: call AddWeftWorkers() on every silo, or pass maxWorkers.");
        }

        return silos;
    }

    private void CheckStopped()
    {
        bool stopped;
        lock (_gate)
        {
            stopped = IsShutdown && _queue.Count == 0 && _resends.Count == 0 && _inFlight.Count == 0 && _finishing == 0 && _backingOff == 0;
        }

        if (stopped)
        {
            SignalStopped();
        }
    }
}

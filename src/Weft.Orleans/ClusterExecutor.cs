using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Weft.Orleans.Silos;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>
/// An <see cref="Executor"/> whose tasks run on the silos of a Microsoft Orleans cluster: Submit, Map,
/// AsCompleted, Wait and Shutdown as everywhere, over many machines.
/// </summary>
/// <remarks>
/// <para>Python: Dask's <c>distributed.Client</c> (and Ray), which are <c>concurrent.futures</c> over a cluster.</para>
/// <para>What can be submitted is what <see cref="ProcessPoolExecutor"/> takes: static methods and lambdas that
/// capture nothing. A silo runs a function only when its <c>AddWeftWorkers</c> allows the function's type or
/// assembly, and only from an assembly it has already loaded. Arguments and results cross by value under the process
/// pool's rule, exact or refused.</para>
/// <para>Protocol: each task has an id; a silo acknowledges it at once, runs it on its own worker threads and pushes
/// the reply to this executor's observer. So Orleans' <c>ResponseTimeout</c> bounds messages, never tasks. The
/// executor renews a lease on every silo by heartbeat: a silo that answers none for the lease time is lost, and its
/// tasks are sent elsewhere (so are tasks a silo's heartbeat no longer lists). Delivery is at-least-once; the first
/// reply of any attempt wins and later ones are dropped and counted.</para>
/// <para>Spreading: silos with Weft's workers are found through <c>IManagementGrain.GetHosts</c> and a probe, every
/// few seconds; each gets its own grain key and Orleans' placement hint, and the least busy live silo takes the next
/// task. At most <see cref="MaxWorkers"/> tasks are in flight or backing off; the rest wait here. When no silo is
/// live, dispatch pauses (a circuit breaker) instead of spending retries.</para>
/// <para>Lock order: <c>_gate</c> guards the queues, the in-flight and lost tables and the silo table; futures
/// complete, user callbacks run and grain calls start with no lock held.</para>
/// </remarks>
[DebuggerDisplay("{Name}: in flight={BusyWorkerCount}/{MaxWorkers}, queued={PendingCount}, shutdown={IsShutdown}")]
public sealed partial class ClusterExecutor : Executor
{
    private static int s_counter = -1;

    private readonly IGrainFactory _grains;
    private readonly TimeProvider _time;
    private readonly ClusterTimings _timings;
    private readonly ILogger _logger;
    private readonly int _maxRetries;
    private readonly int? _fixedMaxWorkers;
    private readonly object _gate = new();
    private readonly Queue<ClusterTask> _queue = new();
    private readonly Queue<ClusterTask> _resends = new();                // served before _queue: their futures already run
    private readonly Dictionary<long, ClusterTask> _inFlight = [];      // sent, by task id
    private readonly Dictionary<long, ClusterTask> _lost = [];          // backing off or in _resends, by task id
    private readonly SiloTable _silos;
    private readonly TaskCompletionSource _discovered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ResultReceiver _receiver;
    private readonly IWeftResults _results;

    /// <summary>Names this executor's tasks on the silos.</summary>
    private readonly string _id = Guid.NewGuid().ToString("N");

    private long _nextTaskId;
    private int _released;       // 1 once stopped: the observer reference is released once
    private int _finishing;      // tasks out of the tables whose futures are being completed
    private int _backingOff;     // lost tasks waiting out their delay before a resend

    /// <summary>Creates an executor over the cluster that <paramref name="grains"/> reaches.</summary>
    /// <param name="grains">An <c>IClusterClient</c> outside the cluster, or a silo's <see cref="IGrainFactory"/> inside it.
    /// Silos run tasks only when they call <see cref="WeftSiloBuilderExtensions.AddWeftWorkers"/>.</param>
    /// <param name="maxWorkers">Tasks in flight at once; <see langword="null"/>: what the cluster's live silos with Weft's
    /// workers offer, following silos as they join and leave.</param>
    /// <param name="maxRetries">How often a task whose silo died or did not answer is sent again (Ray's default: 3).</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxWorkers"/> is zero or negative, or
    /// <paramref name="maxRetries"/> is negative.</exception>
    /// <remarks>Python: <c>distributed.Client(address)</c>, whose <c>submit</c>/<c>map</c> are <c>Executor</c>'s. Waits a
    /// few seconds at most for the cluster's silos; tasks submitted before any is found wait for one.</remarks>
    public ClusterExecutor(IGrainFactory grains, int? maxWorkers = null, int maxRetries = 3)
        : this(grains, maxWorkers, maxRetries, ClusterTimings.Default, TimeProvider.System)
    {
    }

    /// <summary>Creates an executor over the cluster that <paramref name="grains"/> reaches, with its limits and
    /// timings set in <paramref name="options"/>.</summary>
    /// <param name="grains">An <c>IClusterClient</c> outside the cluster, or a silo's <see cref="IGrainFactory"/> inside it.</param>
    /// <param name="options">Limits, heartbeat, lease, refresh and back-off; read once, here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="grains"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A value of <paramref name="options"/> is out of its range; the
    /// message names it.</exception>
    /// <remarks>Python: <c>distributed.Client(address, timeout=..., ...)</c>.</remarks>
    public ClusterExecutor(IGrainFactory grains, ClusterExecutorOptions options)
        : this(grains, CheckedOptions(options).MaxWorkers, options.MaxRetries, options.ToTimings(), options.TimeProvider)
    {
    }

    /// <summary>The constructor behind the public ones, with the timings and clock that tests replace.</summary>
    internal ClusterExecutor(IGrainFactory grains, int? maxWorkers, int maxRetries, ClusterTimings timings, TimeProvider time)
        : base(CheckedName(grains, maxWorkers, maxRetries))
    {
        _grains = grains;
        _maxRetries = maxRetries;
        _fixedMaxWorkers = maxWorkers;
        _timings = timings;
        _time = time;
        _logger = (grains as IClusterClient)?.ServiceProvider.GetService<ILoggerFactory>()?.CreateLogger<ClusterExecutor>()
            ?? NullLogger<ClusterExecutor>.Instance;
        _silos = new SiloTable(time, timings.SuspectFor);
        _receiver = new ResultReceiver(this);

        // Off any grain's scheduler: Orleans refuses to make an observer reference inside a grain turn.
        _results = Task.Run(() => grains.CreateObjectReference<IWeftResults>(_receiver)).GetAwaiter().GetResult();
        var weak = new WeakReference<ClusterExecutor>(this);
        _ = Task.Run(() => LoopAsync(weak, time, timings));
        ShutdownToken.Register(static executor => ((ClusterExecutor)executor!).CancelRunningTasks(), this);
        _discovered.Task.Wait(timings.FirstDiscoveryWait);
    }

    /// <summary>Gets the most tasks this executor has in flight (or backing off before a resend) at once.</summary>
    /// <value>The fixed <c>maxWorkers</c>, or else the live silos' capacities added up, which changes as silos join
    /// and leave (0 while none is known).</value>
    public int MaxWorkers
    {
        get
        {
            lock (_gate)
            {
                return MaxWorkersLocked;
            }
        }
    }

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

    private int MaxWorkersLocked => _fixedMaxWorkers ?? _silos.LiveCapacity;

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

    private static ClusterExecutorOptions CheckedOptions(ClusterExecutorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options;
    }

    private static string CheckedName(IGrainFactory grains, int? maxWorkers, int maxRetries)
    {
        ArgumentNullException.ThrowIfNull(grains);
        if (maxWorkers is { } max)
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max, nameof(maxWorkers));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(maxRetries);
        return $"ClusterExecutor-{Interlocked.Increment(ref s_counter)}";
    }

    private void CheckStopped()
    {
        bool stopped;
        lock (_gate)
        {
            stopped = IsShutdown && _queue.Count == 0 && _lost.Count == 0 && _inFlight.Count == 0 && _finishing == 0 && _backingOff == 0;
        }

        if (stopped && Interlocked.Exchange(ref _released, 1) == 0)
        {
            SignalStopped();
            // Late duplicates now find no observer; the silos drop them.
            _ = Task.Run(() => _grains.DeleteObjectReference<IWeftResults>(_receiver));
        }
    }

    /// <summary>The executor's observer: silos push replies here. Orleans invokes it on the thread pool (outside any
    /// grain), where the future is completed as a grain call's continuation was before.</summary>
    private sealed class ResultReceiver(ClusterExecutor executor) : IWeftResults
    {
        public Task Done(long id, byte[] reply)
        {
            executor.OnDone(id, reply);
            return Task.CompletedTask;
        }
    }
}

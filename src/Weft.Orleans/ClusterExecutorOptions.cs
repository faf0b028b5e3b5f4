namespace Weft.Orleans;

/// <summary>How a <see cref="ClusterExecutor"/> runs: its limits, and the timing of the heartbeats, lease, membership
/// refresh and back-off by which it notices lost silos and sends their tasks again.</summary>
/// <remarks>
/// <para>Python: the keyword arguments of Dask's <c>distributed.Client</c> and its <c>distributed.comm.timeouts</c>
/// and <c>distributed.scheduler.allowed-failures</c> settings; Ray's <c>max_retries</c>.</para>
/// <para>The defaults suit a LAN. Failover costs about <see cref="LeaseTimeout"/>, whatever Orleans'
/// <c>ResponseTimeout</c> and however long tasks run; a shorter lease notices a dead silo sooner, and takes a silo
/// that pauses (a long garbage collection, a busy network) for dead sooner too.</para>
/// </remarks>
public sealed class ClusterExecutorOptions
{
    /// <summary>The longest period any timing here may have (Task.Delay's limit is about 24 days).</summary>
    private static readonly TimeSpan s_longest = TimeSpan.FromDays(1);

    /// <summary>Gets or sets how many tasks are in flight at once; <see langword="null"/> (the default): what the
    /// cluster's live silos with Weft's workers offer, following silos as they join and leave.</summary>
    public int? MaxWorkers { get; set; }

    /// <summary>Gets or sets how often a task whose silo died or did not answer is sent again (default 3, Ray's).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Gets or sets how often each silo is asked for the tasks it holds, renewing its lease (default 1 s).</summary>
    public TimeSpan HeartbeatPeriod { get; set; } = ClusterTimings.Default.HeartbeatPeriod;

    /// <summary>Gets or sets how long a silo may answer no heartbeat before it counts as lost and its tasks are sent
    /// elsewhere (default 5 s). Must be longer than <see cref="HeartbeatPeriod"/>.</summary>
    public TimeSpan LeaseTimeout { get; set; } = ClusterTimings.Default.LeaseTimeout;

    /// <summary>Gets or sets how often the executor asks the cluster which silos are active (default 2 s).</summary>
    public TimeSpan RefreshPeriod { get; set; } = ClusterTimings.Default.RefreshPeriod;

    /// <summary>Gets or sets the first resend's delay; each further resend of a task doubles it, up to
    /// <see cref="BackoffMax"/> (default 0.25 s).</summary>
    public TimeSpan BackoffBase { get; set; } = ClusterTimings.Default.BackoffBase;

    /// <summary>Gets or sets the longest delay before a resend (default 5 s). At least <see cref="BackoffBase"/>.</summary>
    public TimeSpan BackoffMax { get; set; } = ClusterTimings.Default.BackoffMax;

    /// <summary>Gets or sets how long a silo that lost a task is passed over while others are available (default 30 s;
    /// zero: never).</summary>
    public TimeSpan SuspectFor { get; set; } = ClusterTimings.Default.SuspectFor;

    /// <summary>Gets or sets the clock of the heartbeats, lease and back-off (default <see cref="TimeProvider.System"/>;
    /// a <c>FakeTimeProvider</c> in tests).</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>The internal timings, after checking every value.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of its range; the message names it.</exception>
    /// <exception cref="ArgumentNullException"><see cref="TimeProvider"/> is null.</exception>
    internal ClusterTimings ToTimings()
    {
        if (MaxWorkers is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxWorkers), MaxWorkers, "MaxWorkers must be greater than 0, or null to follow the cluster.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(MaxRetries, nameof(MaxRetries));
        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        Period(HeartbeatPeriod, nameof(HeartbeatPeriod));
        Period(LeaseTimeout, nameof(LeaseTimeout));
        Period(RefreshPeriod, nameof(RefreshPeriod));
        Period(BackoffBase, nameof(BackoffBase));
        Period(BackoffMax, nameof(BackoffMax));
        if (LeaseTimeout <= HeartbeatPeriod)
        {
            throw new ArgumentOutOfRangeException(nameof(LeaseTimeout), LeaseTimeout,
                $"LeaseTimeout ({LeaseTimeout}) must be longer than HeartbeatPeriod ({HeartbeatPeriod}), or every silo would count as lost between two heartbeats.");
        }

        if (BackoffMax < BackoffBase)
        {
            throw new ArgumentOutOfRangeException(nameof(BackoffMax), BackoffMax, $"BackoffMax ({BackoffMax}) must be at least BackoffBase ({BackoffBase}).");
        }

        if (SuspectFor < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(SuspectFor), SuspectFor, "SuspectFor cannot be negative.");
        }

        return ClusterTimings.Default with
        {
            HeartbeatPeriod = HeartbeatPeriod,
            LeaseTimeout = LeaseTimeout,
            RefreshPeriod = RefreshPeriod,
            BackoffBase = BackoffBase,
            BackoffMax = BackoffMax,
            SuspectFor = SuspectFor,
        };
    }

    private static void Period(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value > s_longest)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be greater than zero and at most {s_longest.TotalDays:0} day.");
        }
    }
}

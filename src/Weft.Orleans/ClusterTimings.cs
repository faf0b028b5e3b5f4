namespace Weft.Orleans;

/// <summary>The timing of a <see cref="ClusterExecutor"/>'s protocol: heartbeats and the lease they renew, the
/// membership refresh, back-off before a resend, and how long a suspect silo is passed over.</summary>
/// <remarks>Internal: the defaults suit a LAN; tests shorten them. A silo is declared lost when none of its
/// heartbeats has been answered for <see cref="LeaseTimeout"/>, so failover costs about that long whatever Orleans'
/// <c>ResponseTimeout</c> and however long tasks run.</remarks>
internal sealed record ClusterTimings
{
    public static ClusterTimings Default { get; } = new();

    /// <summary>How often each silo is asked for the tasks it holds.</summary>
    public TimeSpan HeartbeatPeriod { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A silo that has answered no heartbeat for this long is lost: its tasks are sent elsewhere.</summary>
    public TimeSpan LeaseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the executor asks the cluster which silos are active.</summary>
    public TimeSpan RefreshPeriod { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a discovery may take before this round is abandoned.</summary>
    public TimeSpan DiscoveryTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the constructor waits for the first discovery (it never blocks longer).</summary>
    public TimeSpan FirstDiscoveryWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The first resend's delay; each further one doubles it, up to <see cref="BackoffMax"/>.</summary>
    public TimeSpan BackoffBase { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan BackoffMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a silo that lost a task is passed over while others are available.</summary>
    public TimeSpan SuspectFor { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a silo keeps running this executor's tasks once it stops hearing heartbeats from it.</summary>
    public TimeSpan OrphanAfter => LeaseTimeout * 6;

    /// <summary>Heartbeat replies that must miss an acknowledged task before it counts as lost (its reply may be
    /// on the way while one heartbeat answers).</summary>
    public int MissesBeforeLost { get; init; } = 2;

    /// <summary>The slowest transfer assumed for a task's message: a large argument may take a while to arrive.</summary>
    public double SlowestBytesPerSecond { get; init; } = 1_000_000;

    /// <summary>How long a silo that answers heartbeats may take to receive a task of
    /// <paramref name="argumentBytes"/> bytes before it counts as never delivered: <see cref="LeaseTimeout"/>, plus
    /// the transfer at <see cref="SlowestBytesPerSecond"/>.</summary>
    public TimeSpan AcknowledgeWithin(int argumentBytes) =>
        LeaseTimeout + TimeSpan.FromSeconds(argumentBytes / SlowestBytesPerSecond);
}

namespace Weft.Processes;

/// <summary>Where a worker process is in its life, seen from the pool (see <see cref="Worker"/>).</summary>
internal enum WorkerState
{
    /// <summary>Its process is being started; no call is given to it yet.</summary>
    Starting,

    /// <summary>Connected (its Init frame sent) with no call in flight: it may take calls.</summary>
    Ready,

    /// <summary>Calls in flight, and it may take more up to its window.</summary>
    Busy,

    /// <summary>It takes no more calls: its Exit frame is sent (or it is being ended); calls already sent to it
    /// still report back until its channel ends.</summary>
    Retiring,

    /// <summary>Its channel ended (every frame it wrote was read) or its process is gone; it holds no call.</summary>
    Exited,
}

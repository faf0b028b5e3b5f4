namespace Weft;

/// <summary>The life cycle of a <see cref="Future"/>.</summary>
/// <remarks>
/// Transitions: <c>Pending → Running → Finished</c> and <c>Pending → Cancelled</c>; nothing else.
/// Python: the <c>PENDING</c>, <c>RUNNING</c>, <c>CANCELLED</c>/<c>CANCELLED_AND_NOTIFIED</c> and
/// <c>FINISHED</c> states of <c>concurrent.futures.Future</c>.
/// </remarks>
public enum FutureState
{
    /// <summary>Submitted, not started; the only state from which <see cref="Future.Cancel"/> succeeds.</summary>
    Pending,

    /// <summary>A worker is running the task; it can no longer be cancelled.</summary>
    Running,

    /// <summary>Cancelled before it started; it will never run.</summary>
    Cancelled,

    /// <summary>The task returned a result or threw an exception.</summary>
    Finished,
}

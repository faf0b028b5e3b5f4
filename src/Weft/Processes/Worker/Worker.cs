using System.Diagnostics;

namespace Weft.Processes;

/// <summary>
/// One worker process, seen from the pool: its state and the calls it holds. Every member is called under the
/// dispatcher's gate, every change of <see cref="State"/> goes through <see cref="MoveTo"/>, and every public
/// transition ends with <see cref="AssertInvariants"/> (as <c>System.Threading.Channels</c> checks its own).
/// The I/O (the process, its channel, the threads) is the <see cref="WorkerConnection"/>'s.
/// </summary>
/// <remarks>
/// <code>
///   Starting ──connected──► Ready ◄──last call answered── Busy
///      │                      │ ──────call assigned──────► │
///      │                      └──────────┬─────────────────┘
///      │                    exit sent / pool broken / ended on purpose
///      │                                 ▼
///      └─────────── any ───────────► Retiring ──channel ended──► Exited
///                   (crash) ───────────────────────────────────► Exited
/// </code>
/// <para>Invariants: Ready and Exited hold no call, Busy holds at least one, Starting holds none; a call is in at
/// most one worker's table; only Ready and Busy take calls.</para>
/// </remarks>
[DebuggerDisplay("worker {Index} pid={ProcessId} {State} inFlight={InFlightCount}/{Window}")]
internal sealed class Worker(int index, WorkerConnection connection)
{
    /// <summary>The most calls a worker holds at once (its window for the tiniest tasks).</summary>
    public const int MaxWindow = 1024;

    private readonly Dictionary<long, WorkItem> _inFlight = [];
    private double _averageTicks = -1;

    public int Index { get; } = index;

    public WorkerConnection Connection { get; } = connection;

    public WorkerState State { get; private set; } = WorkerState.Starting;

    public int ProcessId { get; private set; }

    public int InFlightCount => _inFlight.Count;

    /// <summary>Calls it may hold: starts at 2 (one running, one queued, CPython's <c>EXTRA_QUEUED_CALLS</c>) and
    /// widens as the worker reports short task times, so tiny tasks travel in large batches.</summary>
    public int Window { get; private set; } = 2;

    /// <summary>Calls sent to it so far (for <c>maxTasksPerChild</c>).</summary>
    public int TasksSent { get; private set; }

    /// <summary>It is being ended on purpose (Terminate, a task timeout, memory): the call it runs fails with
    /// this, and the others go back to the queue. Null otherwise.</summary>
    public Exception? EndReason { get; private set; }

    /// <summary>The call it is being ended for (see <see cref="EndReason"/>).</summary>
    public WorkItem? EndTarget { get; private set; }

    /// <summary>Whether it may be given calls now.</summary>
    public bool TakesCalls => State is WorkerState.Ready or WorkerState.Busy;

    /// <summary>Its process started and its Init frame is on the way: Starting → Ready. A worker the pool stopped
    /// wanting meanwhile (Retiring) keeps its state.</summary>
    public void Connected(int processId)
    {
        ProcessId = processId;
        if (State == WorkerState.Starting)
        {
            MoveTo(WorkerState.Ready);
        }

        AssertInvariants();
    }

    /// <summary>Gives it a call: Ready/Busy → Busy.</summary>
    public void Assign(WorkItem item)
    {
        if (!TakesCalls)
        {
            throw new InvalidOperationException($"Worker {Index} is {State}: it takes no calls.");
        }

        _inFlight.Add(item.Id, item);
        TasksSent++;
        MoveTo(WorkerState.Busy);
        AssertInvariants();
    }

    /// <summary>The call <paramref name="taskId"/>, if this worker holds it.</summary>
    public WorkItem? Find(long taskId) => _inFlight.GetValueOrDefault(taskId);

    /// <summary>Whether it holds the call of <paramref name="future"/>.</summary>
    public WorkItem? Find(Future future)
    {
        foreach (var item in _inFlight.Values)
        {
            if (ReferenceEquals(item.Future, future))
            {
                return item;
            }
        }

        return null;
    }

    /// <summary>The call it runs now: the oldest it holds (a worker runs its calls in order).</summary>
    public WorkItem? Running()
    {
        WorkItem? oldest = null;
        foreach (var item in _inFlight.Values)
        {
            if (oldest is null || item.Id < oldest.Id)
            {
                oldest = item;
            }
        }

        return oldest;
    }

    /// <summary>A call was answered (result, error or skipped): Busy → Ready when it was the last.</summary>
    /// <param name="taskId">The call.</param>
    /// <param name="ticks">How long it ran in the worker, to pace the window; null for a skipped call.</param>
    /// <returns>The call, or null when this worker no longer holds it (the pool broke, or it was ended).</returns>
    public WorkItem? Answered(long taskId, long? ticks)
    {
        if (!_inFlight.Remove(taskId, out var item))
        {
            return null;
        }

        if (ticks is { } t)
        {
            Pace(t);
        }

        if (State == WorkerState.Busy && _inFlight.Count == 0)
        {
            MoveTo(WorkerState.Ready);
        }

        AssertInvariants();
        return item;
    }

    /// <summary>It takes no more calls (its Exit frame goes out after the calls it holds): → Retiring.</summary>
    public void Retire()
    {
        if (State != WorkerState.Retiring)
        {
            MoveTo(WorkerState.Retiring);
        }

        AssertInvariants();
    }

    /// <summary>Its Exit frame is due (its memory passed the limit) and its sender has not sent it yet.</summary>
    public bool ExitPending { get; set; }

    /// <summary>It is to exit after the calls it holds (its sender then sends the Exit frame): → Retiring.</summary>
    /// <returns>False when it takes no calls anyway.</returns>
    public bool RequestExit()
    {
        if (!TakesCalls)
        {
            return false;
        }

        ExitPending = true;
        Retire();
        return true;
    }

    /// <summary>It is being ended on purpose, for the call <paramref name="target"/>: → Retiring, remembering why
    /// (see <see cref="EndReason"/>). If the call's answer wins the race with the kill, nothing fails.</summary>
    public void EndOnPurpose(WorkItem target, Exception reason)
    {
        if (EndReason is null)
        {
            EndReason = reason;
            EndTarget = target;
        }

        Retire();
    }

    /// <summary>The pool broke: → Retiring, handing over every call it holds (the pool fails them).</summary>
    public void Abandon(List<WorkItem> into)
    {
        into.AddRange(_inFlight.Values);
        _inFlight.Clear();
        Retire();
    }

    /// <summary>Its channel ended (or its process is gone): → Exited.</summary>
    /// <returns>The calls it still held, oldest first: they never got an answer.</returns>
    public List<WorkItem> Exit()
    {
        var lost = _inFlight.Values.OrderBy(i => i.Id).ToList();
        _inFlight.Clear();
        if (State != WorkerState.Exited)
        {
            MoveTo(WorkerState.Exited);
        }

        AssertInvariants();
        return lost;
    }

    /// <summary>Adds the calls it holds to <paramref name="into"/> (shutdown cancels those not started).</summary>
    public void CopyInFlight(List<WorkItem> into) => into.AddRange(_inFlight.Values);

    /// <summary>Checks the invariants of the remarks; a violation is a bug in the pool, reported at once.</summary>
    /// <exception cref="InvalidOperationException">An invariant does not hold.</exception>
    public void AssertInvariants()
    {
        var ok = State switch
        {
            WorkerState.Starting or WorkerState.Ready or WorkerState.Exited => _inFlight.Count == 0,
            WorkerState.Busy => _inFlight.Count > 0,
            _ => true,
        };
        if (!ok || _inFlight.Count > MaxWindow)
        {
            throw new InvalidOperationException($"Worker {Index} broke an invariant: {State} with {_inFlight.Count} calls in flight.");
        }
    }

    /// <summary>The one place the state changes; refuses a move the diagram does not have.</summary>
    private void MoveTo(WorkerState next)
    {
        var allowed = (State, next) switch
        {
            (WorkerState.Starting, WorkerState.Ready or WorkerState.Retiring or WorkerState.Exited) => true,
            (WorkerState.Ready, WorkerState.Busy or WorkerState.Retiring or WorkerState.Exited) => true,
            (WorkerState.Busy, WorkerState.Busy or WorkerState.Ready or WorkerState.Retiring or WorkerState.Exited) => true,
            (WorkerState.Retiring, WorkerState.Exited) => true,
            _ => false,
        };
        if (!allowed)
        {
            throw new InvalidOperationException($"Worker {Index} cannot go from {State} to {next}.");
        }

        State = next;
    }

    /// <summary>Widens the window for short tasks; ticks are the worker's own timing of one call.</summary>
    private void Pace(long ticks)
    {
        _averageTicks = _averageTicks < 0 ? ticks : (0.8 * _averageTicks) + (0.2 * ticks);
        Window = _averageTicks switch
        {
            < 500 => MaxWindow,   // under 50 µs: throughput is all that matters
            < 10_000 => 64,       // under 1 ms
            < 200_000 => 4,       // under 20 ms
            _ => 2,
        };
    }
}

using Weft.Orleans.Silos;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>Watching the silos: a heartbeat to each every period renews its lease and lists the tasks it holds; a
/// refresh every few seconds (and at once on a wake-up) follows membership.</summary>
public sealed partial class ClusterExecutor
{
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _lastRefresh;
    private bool _circuitOpen;
    private int _circuitOpenings;

    /// <summary>How often the circuit opened: every silo's lease expired at once (for tests and diagnostics).</summary>
    internal int CircuitOpenings
    {
        get
        {
            lock (_gate)
            {
                return _circuitOpenings;
            }
        }
    }

    /// <summary>Asks every silo with tasks of this executor to fire their tokens; their replies still come back,
    /// as with the process pool's cancellation. Best effort: a silo that does not answer is not asked again.</summary>
    private void CancelRunningTasks()
    {
        List<(WorkerSilo Silo, long[] Ids)> targets;
        lock (_gate)
        {
            targets = [.. _inFlight.Values.GroupBy(t => t.Silo!).Select(g => (g.Key, g.Select(t => t.Id).ToArray()))];
        }

        foreach (var (silo, ids) in targets)
        {
            _ = silo.Call(_grains, w => w.Cancel(_id, ids).ContinueWith(static _ => true, TaskScheduler.Default));
        }
    }

    /// <summary>Runs until the executor has stopped, or has been dropped without a shutdown: the loop holds the
    /// executor only weakly between rounds, so an executor nobody references is collected and its loop ends.</summary>
    private static async Task LoopAsync(WeakReference<ClusterExecutor> weak, TimeProvider time, ClusterTimings timings)
    {
        while (weak.TryGetTarget(out var executor) && !executor.Stopped.IsCompleted)
        {
            if (executor.RefreshDue())
            {
                await executor.RefreshAsync().ConfigureAwait(false);
            }

            executor.Beat();
            executor.CheckLeases();
            var next = executor.NextRound(time, timings.HeartbeatPeriod);
            executor = null;   // not held across the wait
            await next.ConfigureAwait(false);
        }
    }

    private bool RefreshDue()
    {
        lock (_gate)
        {
            var due = _lastRefresh == 0 || _wake.Task.IsCompleted || _time.GetElapsedTime(_lastRefresh) >= _timings.RefreshPeriod;
            if (due && _wake.Task.IsCompleted)
            {
                _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return due;
        }
    }

    /// <summary>Completes after <paramref name="period"/>, on a wake-up or when the executor stops.</summary>
    private Task NextRound(TimeProvider time, TimeSpan period)
    {
        Task wake;
        lock (_gate)
        {
            wake = _wake.Task;
        }

        return Task.WhenAny(wake, Task.Delay(period, time), Stopped);
    }

    /// <summary>Follows membership: new silos with workers join the table (and add capacity); silos that left take
    /// their tasks with them, which are sent elsewhere. A failed refresh keeps the old table.</summary>
    private async Task RefreshAsync()
    {
        Dictionary<string, WorkerSilo> known;
        lock (_gate)
        {
            known = _silos.Snapshot();
            _lastRefresh = _time.GetTimestamp();
        }

        List<WorkerSilo> fresh;
        try
        {
            using var timeout = new CancellationTokenSource(_timings.DiscoveryTimeout, _time);
            fresh = await SiloTable.DiscoverAsync(_grains, known, _time, timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // The cluster may be unreachable for a while; the next round tries again.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRefreshFailed(e.GetType().Name, e.Message);
            _discovered.TrySetResult();
            return;
        }

        List<(ClusterTask Task, bool Retry)> lost = [];
        List<WorkerSilo> joined;
        List<WorkerSilo> left;
        lock (_gate)
        {
            joined = [.. fresh.Where(s => !known.ContainsKey(s.Key))];
            left = _silos.Replace(fresh);
            foreach (var silo in left)
            {
                LoseTasksOnLocked(silo, lost);
            }
        }

        _discovered.TrySetResult();
        foreach (var silo in joined)
        {
            LogJoined(silo.Key, silo.Capacity);
        }

        foreach (var silo in left)
        {
            LogLeft(silo.Key);
        }

        AfterLosses(lost, "membership lists the silo no more");
    }

    /// <summary>Sends one heartbeat to every silo that has none on the way.</summary>
    private void Beat()
    {
        List<(WorkerSilo Silo, int Route)> targets = [];
        lock (_gate)
        {
            foreach (var silo in _silos.All)
            {
                if (!silo.Pinging)
                {
                    silo.Pinging = true;
                    targets.Add((silo, silo.Beats++ % 3));
                }
            }
        }

        foreach (var (silo, route) in targets)
        {
            _ = HeartbeatAsync(silo, route);
        }
    }

    private async Task HeartbeatAsync(WorkerSilo silo, int route)
    {
        var sentAt = _time.GetTimestamp();
        try
        {
            var beat = await silo.Call(_grains, w => w.Heartbeat(_id), route).WaitAsync(_timings.LeaseTimeout, _time).ConfigureAwait(false);
            OnBeat(silo, beat, sentAt);
        }
#pragma warning disable CA1031 // An unanswered heartbeat is what the lease is for: CheckLeases acts on it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogHeartbeatFailed(silo.Key, e.GetType().Name);
        }
        finally
        {
            lock (_gate)
            {
                silo.Pinging = false;
            }
        }
    }

    /// <summary>A heartbeat came back: renews the silo's lease (a silo that was lost is live again), and judges the
    /// tasks sent to it by whether it lists them (see <see cref="JudgeLocked"/>).</summary>
    private void OnBeat(WorkerSilo silo, Beat beat, long sentAt)
    {
        if (beat.Silo != silo.Key)
        {
            return;   // Orleans placed the heartbeat elsewhere: the target is not an active silo, so no renewal
        }

        List<(ClusterTask Task, bool Retry)> lost = [];
        bool revived;
        lock (_gate)
        {
            silo.LastHeard = _time.GetTimestamp();
            revived = !silo.Live;
            silo.Live = true;
            silo.Shunned = false;
            var held = beat.Held.ToHashSet();
            foreach (var task in _inFlight.Values.Where(t => t.Silo == silo).ToList())
            {
                if (JudgeLocked(task, held.Contains(task.Id), sentAt) is { } costsRetry)
                {
                    lost.Add((task, LoseLocked(task, costsRetry, suspect: costsRetry)));
                }
            }

            CloseCircuitLocked();
        }

        if (revived)
        {
            LogRevived(silo.Key);
        }

        AfterLosses(lost, "its silo no longer holds it");
        Dispatch();
    }

    /// <summary>Judges one task against a heartbeat of its silo sent at <paramref name="sentAt"/>: null while the
    /// task stands, else whether losing it costs a retry. Under <c>_gate</c>.</summary>
    /// <remarks>A listed task is held there, acknowledged or not: its acknowledgement may have been lost on the way
    /// (a gateway died), and its reply will come by push. An acknowledged task the silo stops listing lost its reply,
    /// or the silo restarted. An unacknowledged task that heartbeats sent after it keep missing, past
    /// <see cref="ClusterTimings.AcknowledgeWithin"/>, never arrived (the gateway it went through died; Orleans
    /// would wait out <c>ResponseTimeout</c>): it is sent again elsewhere without costing a retry, as an undelivered
    /// send is, and its silo, which answers, is not suspected. Only heartbeats sent after the task count, since an
    /// earlier one may pass it on the way.</remarks>
    private bool? JudgeLocked(ClusterTask task, bool listed, long sentAt)
    {
        if (listed)
        {
            task.Misses = 0;
            if (!task.Acked)
            {
                task.Acked = true;
                task.AckedAt = _time.GetTimestamp();
            }

            return null;
        }

        if ((task.Acked ? task.AckedAt : task.SentAt) >= sentAt || ++task.Misses < _timings.MissesBeforeLost)
        {
            return null;
        }

        if (task.Acked)
        {
            return true;
        }

        if (_time.GetElapsedTime(task.SentAt) <= _timings.AcknowledgeWithin(task.Arguments.Length))
        {
            return null;
        }

        ClusterMetrics.Undelivered(Name);
        var free = task.Undelivered < MaxUndelivered;
        task.Undelivered++;
        return !free;
    }

    /// <summary>Declares lost every live silo whose lease has expired, and its tasks. When that leaves no silo live,
    /// the circuit opens: the tasks are not charged a retry (the fault is most likely this client's network), and
    /// dispatch waits for a silo to answer again.</summary>
    private void CheckLeases()
    {
        List<(ClusterTask Task, bool Retry)> lost = [];
        List<WorkerSilo> expired = [];
        bool opened;
        lock (_gate)
        {
            expired.AddRange(_silos.All.Where(s => s.Live && _time.GetElapsedTime(s.LastHeard) > _timings.LeaseTimeout));
            foreach (var silo in expired)
            {
                silo.Live = false;
            }

            opened = !_silos.AnyLive && _silos.All.Count > 0 && !_circuitOpen;
            _circuitOpen |= opened;
            _circuitOpenings += opened ? 1 : 0;
            foreach (var silo in expired)
            {
                LoseTasksOnLocked(silo, lost, costsRetry: _silos.AnyLive);
            }
        }

        foreach (var silo in expired)
        {
            ClusterMetrics.Suspected(Name);
            LogLeaseExpired(silo.Key, _timings.LeaseTimeout.TotalSeconds);
        }

        if (opened)
        {
            LogCircuitOpen();
        }

        AfterLosses(lost, $"its silo answered no heartbeat for {_timings.LeaseTimeout.TotalSeconds:0.#} s");
    }

    private void CloseCircuitLocked()
    {
        if (_circuitOpen && _silos.AnyLive)
        {
            _circuitOpen = false;
            LogCircuitClosed();
        }
    }

    /// <summary>Loses every task in flight on <paramref name="silo"/>. Under <c>_gate</c>.</summary>
    private void LoseTasksOnLocked(WorkerSilo silo, List<(ClusterTask Task, bool Retry)> lost, bool costsRetry = true)
    {
        foreach (var task in _inFlight.Values.Where(t => t.Silo == silo).ToList())
        {
            lost.Add((task, LoseLocked(task, costsRetry)));
        }
    }

    private void AfterLosses(List<(ClusterTask Task, bool Retry)> lost, string reason)
    {
        foreach (var (task, retry) in lost)
        {
            AfterLoss(task, retry, reason, error: null);
        }

        if (lost.Count > 0)
        {
            Dispatch();
        }
    }
}

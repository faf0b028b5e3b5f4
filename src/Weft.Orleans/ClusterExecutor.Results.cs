using Weft.Diagnostics;
using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>Replies: the first reply of any attempt completes the task; later ones are dropped and counted.</summary>
public sealed partial class ClusterExecutor
{
    private const int MaxResentLog = 1000;

    /// <summary>Dask's <c>distributed.scheduler.allowed-failures</c> (3): worker processes a task may kill.</summary>
    private const int MaxKilledWorkers = 3;

    private readonly List<(string FailedOn, string RanOn)> _resentLog = [];
    private readonly Dictionary<string, int> _ranOn = [];
    private int _duplicates;
    private int _resent;
    private int _refused;

    /// <summary>Tasks sent again after a lost attempt (for tests and diagnostics).</summary>
    internal int Resent
    {
        get
        {
            lock (_gate)
            {
                return _resent;
            }
        }
    }

    /// <summary>Tasks that reached a silo without Weft workers and came back (for tests and diagnostics).</summary>
    internal int Refused
    {
        get
        {
            lock (_gate)
            {
                return _refused;
            }
        }
    }

    /// <summary>Replies dropped because their task already had one (for tests and diagnostics).</summary>
    internal int Duplicates
    {
        get
        {
            lock (_gate)
            {
                return _duplicates;
            }
        }
    }

    /// <summary>For each task that was resent and then answered: the silo it was lost on last and the silo that ran it.</summary>
    internal IReadOnlyList<(string FailedOn, string RanOn)> ResentLog
    {
        get
        {
            lock (_gate)
            {
                return [.. _resentLog];
            }
        }
    }

    /// <summary>How many tasks each silo answered (the reply says where it ran).</summary>
    internal IReadOnlyDictionary<string, int> TasksBySilo
    {
        get
        {
            lock (_gate)
            {
                return new Dictionary<string, int>(_ranOn);
            }
        }
    }

    /// <summary>The silos this executor knows, live or not (for tests and diagnostics).</summary>
    internal int SiloCount
    {
        get
        {
            lock (_gate)
            {
                return _silos.All.Count;
            }
        }
    }

    /// <summary>A silo pushed task <paramref name="id"/>'s reply: takes the task out of whichever table holds it, or
    /// counts a duplicate; then completes the future on this thread, with no lock held (a hop to another thread
    /// costs each task a thread wake-up, milliseconds on a loaded machine).</summary>
    private void OnDone(long id, byte[] bytes)
    {
        Reply reply;
        try
        {
            reply = ClusterWire.ReadReply(bytes);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            LogUnreadableReply(id, e);
            return;
        }

        if (reply.KilledWorkers > 0)
        {
            OnWorkerKilled(id, reply);
            return;
        }

        ClusterTask? task;
        lock (_gate)
        {
            if (_inFlight.Remove(id, out task))
            {
                task.Silo!.InFlight--;
            }
            else if (!_lost.Remove(id, out task))
            {
                _duplicates++;
            }

            if (task is not null)
            {
                task.Finished = true;
                _ranOn[reply.Silo] = _ranOn.GetValueOrDefault(reply.Silo) + 1;
                if (task.FailedOn.Count > 0 && _resentLog.Count < MaxResentLog)
                {
                    _resentLog.Add((task.FailedOn[^1], reply.Silo));
                }

                _finishing++;
            }
        }

        if (task is null)
        {
            ClusterMetrics.Duplicate(Name);
            LogDuplicate(id, reply.Silo);
            return;
        }

        Complete(task, reply);
    }

    /// <summary>The task's worker process died on an isolating silo (the silo lives on). Dask's rule: a task that has
    /// killed <see cref="MaxKilledWorkers"/> workers fails saying so; before that it is sent again, elsewhere if
    /// possible, without spending a retry. A report about an attempt that is no longer current is ignored.</summary>
    private void OnWorkerKilled(long id, Reply reply)
    {
        ClusterTask? task;
        bool resend;
        lock (_gate)
        {
            if (!_inFlight.TryGetValue(id, out task) || task.Silo!.Key != reply.Silo)
            {
                return;
            }

            _inFlight.Remove(id);
            task.Silo.InFlight--;
            task.KilledWorkers = reply.KilledWorkers;
            task.FailedOn.Add(task.Silo.Key);
            resend = reply.KilledWorkers < MaxKilledWorkers;
            if (resend)
            {
                task.Attempts--;
                _lost.Add(id, task);
                _backingOff++;
                _resent++;
            }
            else
            {
                task.Finished = true;
                _finishing++;
            }
        }

        if (resend)
        {
            ExecutorMetrics.TaskResent(this);
            LogResend(task.Function.DisplayName, id, reply.Silo, task.Attempts + 1, $"its worker process died: {reply.KillReason}");
            _ = ResendAfterDelayAsync(task);
            return;
        }

        var failure = new OrleansException(
            $"{task.Function.DisplayName} killed its worker process {reply.KilledWorkers} times (IsolateTasks) and is not sent again; " +
            $"last: {reply.KillReason}");
        CompleteReleased(task, static (executor, task, error) => executor.Fail(task, error), (Exception)failure);
    }

    private void Complete(ClusterTask task, Reply reply)
    {
        if (reply.Error is { } error)
        {
            CompleteReleased(task, static (executor, task, error) => executor.Fail(task, error), error);
        }
        else
        {
            CompleteReleased(task, static (executor, task, result) => task.Complete(executor, result), reply.Result!);
        }
    }
}

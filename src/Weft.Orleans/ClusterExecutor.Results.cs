using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>Replies: the first reply of any attempt completes the task; later ones are dropped and counted.</summary>
public sealed partial class ClusterExecutor
{
    private const int MaxResentLog = 1000;

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
    /// counts a duplicate; completes the future on the thread pool.</summary>
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

        ThreadPool.UnsafeQueueUserWorkItem(static state => state.Executor.Complete(state.Task, state.Reply), (Executor: this, Task: task, Reply: reply), preferLocal: false);
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

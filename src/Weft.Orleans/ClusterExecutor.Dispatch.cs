using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Weft.Orleans.Silos;
using Weft.Orleans.Wire;

namespace Weft.Orleans;

/// <summary>Sending: the in-flight limit, one grain call per task, and what happens when a call is lost.</summary>
public sealed partial class ClusterExecutor
{
    private int _resent;
    /// <summary>The diagnostic log keeps the first resends only, so a long-lived executor does not grow.</summary>
    private const int MaxResentLog = 1000;

    private readonly List<(string FailedOn, string RanOn)> _resentLog = [];
    private readonly Dictionary<string, int> _ranOn = [];

    /// <summary>Tasks sent again after a lost call (for tests and diagnostics).</summary>
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

    /// <summary>For each task that was resent and then answered: the silo it was lost on and the silo that ran it.</summary>
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

    /// <summary>How many tasks each silo answered (for tests, diagnostics and the sample).</summary>
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

    /// <summary>The silos this executor sends to now (for tests and diagnostics).</summary>
    internal int SiloCount
    {
        get
        {
            lock (_gate)
            {
                return _silos.Count;
            }
        }
    }

    /// <summary>Undelivered sends a task may have besides its retries (see <see cref="ClusterTask.Undelivered"/>).</summary>
    private const int MaxUndelivered = 10;

    /// <summary>The message never left this process or the gateway: Orleans could not connect to the target.
    /// Orleans puts the connection failure into the rejection's text only (no inner exception).</summary>
    private static bool IsUndelivered(Exception error) =>
        error is ConnectionFailedException
        || (error is OrleansMessageRejectionException && error.Message.Contains(nameof(ConnectionFailedException), StringComparison.Ordinal));

    /// <summary>A call failed in a way that says nothing about the task: the silo died, the connection broke,
    /// no answer came in time, or the message expired on the way (Orleans reports that as a cancellation; this
    /// executor never cancels its own calls). Such a call may or may not have run, so it is sent again.</summary>
    private static bool IsLost(Exception error) =>
        error is OrleansMessageRejectionException or ConnectionFailedException or TimeoutException or OperationCanceledException;

    /// <summary>Sends queued tasks while fewer than <see cref="MaxWorkers"/> are in flight.</summary>
    private void Dispatch()
    {
        while (true)
        {
            ClusterTask task;
            WorkerSilo silo;
            lock (_gate)
            {
                if (_inFlight.Count >= MaxWorkers || !TryTakeNextLocked(out task))
                {
                    return;
                }

                silo = _silos.Pick(task.FailedOn);
                silo.InFlight++;
                _inFlight.Add(task, silo);
                task.Attempts++;
            }

            _ = SendAsync(task, silo);
        }
    }

    /// <summary>Resends first (their futures already run), then new tasks, skipping those cancelled while queued.</summary>
    private bool TryTakeNextLocked(out ClusterTask task)
    {
        if (_resends.TryDequeue(out task!))
        {
            return true;
        }

        while (_queue.TryDequeue(out task!))
        {
            if (SetRunning(task.Future))
            {
                return true;
            }
        }

        return false;
    }

    private async Task SendAsync(ClusterTask task, WorkerSilo silo)
    {
        Reply reply;
        try
        {
            var bytes = await silo.Call(_grains, w => w.Run(task.Function.Bytes, task.Arguments, _id, ShutdownToken.IsCancellationRequested, CancellationToken.None), task.Attempts + task.Undelivered).ConfigureAwait(false);
            reply = ClusterWire.ReadReply(bytes);
        }
        catch (Exception e) when (IsLost(e))
        {
            Lost(task, silo, e);
            return;
        }
#pragma warning disable CA1031 // Whatever else ends the call (a cancelled token, a closed client) fails this task's future.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Finish(task, silo, ranOn: null, static (executor, task, error) => executor.Fail(task, error), e);
            return;
        }

        if (reply.Error is { } error)
        {
            Finish(task, silo, reply.Silo, static (executor, task, error) => executor.Fail(task, error), error);
        }
        else
        {
            Finish(task, silo, reply.Silo, static (executor, task, result) => task.Complete(executor, result), reply.Result!);
        }
    }

    /// <summary>Frees the task's slot, then completes its future.</summary>
    private void Finish<TOutcome>(ClusterTask task, WorkerSilo silo, string? ranOn, Action<ClusterExecutor, ClusterTask, TOutcome> complete, TOutcome outcome)
    {
        lock (_gate)
        {
            Release(task, silo);
            if (ranOn is not null)
            {
                _ranOn[ranOn] = _ranOn.GetValueOrDefault(ranOn) + 1;
                if (task.FailedOn.Count > 0 && _resentLog.Count < MaxResentLog)
                {
                    _resentLog.Add((task.FailedOn[^1], ranOn));
                }
            }

            _finishing++;
        }

        CompleteReleased(task, complete, outcome);
    }

    /// <summary>The call was lost: send the task again elsewhere, or fail it once it has had its retries.</summary>
    private void Lost(ClusterTask task, WorkerSilo silo, Exception error)
    {
        bool retry;
        lock (_gate)
        {
            Release(task, silo);

            // An undelivered send names the silo it could not reach; that may be another than the target (the
            // owner of the grain's directory entry, say), and then the target is not to blame.
            if (!IsUndelivered(error) || error.Message.Contains(silo.Endpoint, StringComparison.Ordinal))
            {
                task.FailedOn.Add(silo.Key);
                _silos.Suspect(silo.Key);
            }

            if (error is SiloUnavailableException)
            {
                _silos.Remove(silo.Key);
                WakeRefresh();
            }

            if (IsUndelivered(error) && task.Undelivered < MaxUndelivered)
            {
                task.Undelivered++;
                task.Attempts--;
            }

            retry = task.Attempts <= _maxRetries;
            if (retry)
            {
                _resent++;
                _backingOff++;
            }
            else
            {
                _finishing++;
            }
        }

        if (retry)
        {
            _ = ResendAfterDelayAsync(task);
            return;
        }

        var failure = new OrleansException(
            $"{task.Function.DisplayName} was sent {task.Attempts} times (maxRetries {_maxRetries}) and each time its silo " +
            $"died or did not answer; last failure: {error.GetType().Name}: {error.Message}", error);
        CompleteReleased(task, static (executor, task, error) => executor.Fail(task, error), (Exception)failure);
    }

    /// <summary>Waits before a resend (0.25 s, 0.5 s, 1 s, ... at most 5 s), so that the client and the silos
    /// can learn of the death first; resending at once would meet the same dead gateway or silo again.</summary>
    private async Task ResendAfterDelayAsync(ClusterTask task)
    {
        var sends = task.Attempts + task.Undelivered;
        var delay = TimeSpan.FromMilliseconds(Math.Min(5000, 250 * (1 << Math.Min(sends - 1, 5))));
        await Task.Delay(delay, _time).ConfigureAwait(false);
        lock (_gate)
        {
            _backingOff--;
            _resends.Enqueue(task);
        }

        Dispatch();
    }

    /// <summary>For a task already out of the in-flight table and counted in <c>_finishing</c>: sends the next
    /// task first (the slot is free), then completes the future with no lock held, then checks for the end.</summary>
    private void CompleteReleased<TOutcome>(ClusterTask task, Action<ClusterExecutor, ClusterTask, TOutcome> complete, TOutcome outcome)
    {
        Dispatch();
        try
        {
            complete(this, task, outcome);   // through SetResult/SetException: a callback there cannot join this executor
        }
        finally
        {
            lock (_gate)
            {
                _finishing--;
            }

            CheckStopped();
        }
    }

    /// <summary>Takes the task out of the in-flight table. Under <c>_gate</c>.</summary>
    private void Release(ClusterTask task, WorkerSilo silo)
    {
        _inFlight.Remove(task);
        silo.InFlight--;
    }
}

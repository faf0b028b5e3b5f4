using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Weft.Diagnostics;
using Weft.Orleans.Silos;
using Weft.Orleans.Workers;

namespace Weft.Orleans;

/// <summary>Sending: the in-flight limit, one acknowledged message per attempt, and what happens when an attempt is lost.</summary>
public sealed partial class ClusterExecutor
{
    /// <summary>A send failed in a way that says nothing about the task: the silo died or is unreachable, the
    /// connection broke, no acknowledgement came in time, or the message expired on the way (Orleans reports that as a
    /// cancellation; this executor never cancels its own sends). Classified by type only.</summary>
    private static bool IsLost(Exception error) =>
        error is OrleansMessageRejectionException or ConnectionFailedException or TimeoutException or OperationCanceledException
            or SiloUnavailableException;

    /// <summary>Undelivered sends a task may have besides its retries.</summary>
    private const int MaxUndelivered = 10;

    /// <summary>The message was refused on the way (no connection, the target unavailable): it never ran.</summary>
    private static bool IsUndelivered(Exception error) => error is OrleansMessageRejectionException or ConnectionFailedException;

    /// <summary>Sends queued tasks while fewer than <see cref="MaxWorkers"/> are in flight or backing off, and some
    /// silo is live (otherwise the circuit is open and tasks wait, spending no retries).</summary>
    private void Dispatch()
    {
        while (true)
        {
            ClusterTask task;
            WorkerSilo silo;
            TaskMessage message;
            int route;
            lock (_gate)
            {
                if (_inFlight.Count + _backingOff >= MaxWorkersLocked || _silos.Pick(null) is null || !TryTakeNextLocked(out task))
                {
                    return;   // full, or no live silo to send to (the next heartbeat dispatches again)
                }

                silo = _silos.Pick(task.FailedOn)!;
                message = SendLocked(task, silo);
                route = task.Attempts - 1 + task.Undelivered;   // a resend goes through another grain key, hence most likely another gateway
            }

            _ = SendAsync(task, silo, message, route);
        }
    }

    /// <summary>Resends first (their futures already run), then new tasks, skipping those cancelled while queued and
    /// resends whose reply came meanwhile.</summary>
    private bool TryTakeNextLocked(out ClusterTask task)
    {
        while (_resends.TryDequeue(out task!))
        {
            if (_lost.Remove(task.Id))
            {
                return true;
            }
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

    /// <summary>Enters the task in the in-flight table as a new attempt on <paramref name="silo"/>. Under <c>_gate</c>.</summary>
    private TaskMessage SendLocked(ClusterTask task, WorkerSilo silo)
    {
        if (task.Id == 0)
        {
            task.Id = ++_nextTaskId;
        }

        task.Attempts++;
        task.Silo = silo;
        task.SentAt = _time.GetTimestamp();
        task.Acked = false;
        task.Misses = 0;
        silo.InFlight++;
        _inFlight.Add(task.Id, task);
        return new TaskMessage
        {
            Executor = _id,
            Id = task.Id,
            Attempt = task.Attempts,
            Function = task.Function.Bytes,
            Arguments = task.Arguments,
            Results = _results,
            Cancelled = ShutdownToken.IsCancellationRequested,
            OrphanAfter = _timings.OrphanAfter,
            KilledWorkers = task.KilledWorkers,
            TraceParent = task.Trace?.Parent,
            TraceState = task.Trace?.State,
        };
    }

    /// <summary>Sends one attempt and waits for its acknowledgement. The wait may last Orleans' whole
    /// <c>ResponseTimeout</c> when the message or its acknowledgement went through a gateway that died (Orleans never
    /// breaks such a call for an external client); heartbeats decide sooner (see <see cref="OnBeat"/>), and this
    /// attempt is then no longer current, so its late outcome is ignored.</summary>
    private async Task SendAsync(ClusterTask task, WorkerSilo silo, TaskMessage message, int route)
    {
        Ack ack;
        try
        {
            ack = await silo.Call(_grains, w => w.Start(message), route).ConfigureAwait(false);
        }
        catch (Exception e) when (IsLost(e))
        {
            LoseAttempt(task, message.Attempt, $"{e.GetType().Name}: {e.Message}", e, undelivered: IsUndelivered(e));
            return;
        }
#pragma warning disable CA1031 // Whatever else ends the send (a closed client) fails this task's future.
        catch (Exception e)
#pragma warning restore CA1031
        {
            FailAttempt(task, message.Attempt, e);
            return;
        }

        Acknowledged(task, message.Attempt, silo, ack);
    }

    /// <summary>Records an acknowledgement: from now on the task's silo must list it in its heartbeats. A silo
    /// without workers refuses (the task goes back at no cost); one other than the target (Orleans placed the call
    /// elsewhere, its target having died) takes the task over.</summary>
    private void Acknowledged(ClusterTask task, int attempt, WorkerSilo silo, Ack ack)
    {
        lock (_gate)
        {
            if (!IsCurrentLocked(task, attempt))
            {
                return;
            }

            if (!ack.Accepted)
            {
                _inFlight.Remove(task.Id);
                silo.InFlight--;
                _silos.Remove(ack.Silo);
                task.Attempts--;
                _refused++;
                _lost.Add(task.Id, task);
                _resends.Enqueue(task);
                LogNoWorkers(ack.Silo, task.Id);
            }
            else
            {
                if (ack.Silo != silo.Key && _silos.Find(ack.Silo) is { } actual)
                {
                    LogMisplaced(task.Id, silo.Key, actual.Key);
                    silo.InFlight--;
                    actual.InFlight++;
                    task.Silo = actual;
                }

                task.Acked = true;
                task.AckedAt = _time.GetTimestamp();
                return;
            }
        }

        Dispatch();
    }

    /// <summary>The attempt was lost: send the task again elsewhere, or fail it once it has had its retries.</summary>
    private void LoseAttempt(ClusterTask task, int attempt, string reason, Exception? error, bool undelivered)
    {
        bool retry;
        lock (_gate)
        {
            if (!IsCurrentLocked(task, attempt))
            {
                return;
            }

            var free = undelivered && task.Undelivered < MaxUndelivered;
            if (undelivered)
            {
                task.Undelivered++;
                task.Silo!.Shunned = true;
            }

            retry = LoseLocked(task, costsRetry: !free);
        }

        AfterLoss(task, retry, reason, error);
    }

    /// <summary>A send that failed for another reason than a lost message (the client was closed, say).</summary>
    private void FailAttempt(ClusterTask task, int attempt, Exception error)
    {
        lock (_gate)
        {
            if (!IsCurrentLocked(task, attempt))
            {
                return;
            }

            _inFlight.Remove(task.Id);
            task.Silo!.InFlight--;
            task.Finished = true;
            _finishing++;
        }

        CompleteReleased(task, static (executor, task, error) => executor.Fail(task, error), error);
    }

    /// <summary>Whether <paramref name="attempt"/> is the task's attempt in flight now. Under <c>_gate</c>.</summary>
    private bool IsCurrentLocked(ClusterTask task, int attempt) =>
        _inFlight.TryGetValue(task.Id, out var current) && ReferenceEquals(current, task) && task.Attempts == attempt;

    /// <summary>Takes a lost task out of the in-flight table; returns whether it is sent again (then it counts as
    /// backing off, within <see cref="MaxWorkers"/>) or has run out of retries. Under <c>_gate</c>.</summary>
    private bool LoseLocked(ClusterTask task, bool costsRetry, bool suspect = true)
    {
        var silo = task.Silo!;
        _inFlight.Remove(task.Id);
        silo.InFlight--;
        task.FailedOn.Add(silo.Key);
        if (suspect)
        {
            _silos.Suspect(silo.Key);
        }

        if (!costsRetry)
        {
            task.Attempts--;
        }

        if (task.Attempts <= _maxRetries)
        {
            _lost.Add(task.Id, task);
            _backingOff++;
            _resent++;
            return true;
        }

        task.Finished = true;
        _finishing++;
        return false;
    }

    /// <summary>After <see cref="LoseLocked"/>, with no lock held: logs and counts, then resends or fails the task.</summary>
    private void AfterLoss(ClusterTask task, bool retry, string reason, Exception? error)
    {
        if (retry)
        {
            ExecutorMetrics.TaskResent(this);
            LogResend(task.Function.DisplayName, task.Id, task.Silo!.Key, task.Attempts, reason);
            _ = ResendAfterDelayAsync(task);
            return;
        }

        ClusterMetrics.LostForGood(Name);
        LogLostForGood(task.Function.DisplayName, task.Id, task.Attempts, reason);
        var message = $"{task.Function.DisplayName} was sent {task.Attempts} times (maxRetries {_maxRetries}) and each time its silo " +
            $"died or did not answer; last: {reason}";
        var failure = error is null ? new OrleansException(message) : new OrleansException(message, error);
        CompleteReleased(task, static (executor, task, error) => executor.Fail(task, error), (Exception)failure);
    }

    /// <summary>Waits before a resend (0.25 s, 0.5 s, 1 s, ... at most 5 s by default), so that membership can learn
    /// of a death first; the task keeps its place within <see cref="MaxWorkers"/> meanwhile.</summary>
    private async Task ResendAfterDelayAsync(ClusterTask task)
    {
        TimeSpan delay;
        lock (_gate)
        {
            var doublings = Math.Clamp(task.FailedOn.Count - 1, 0, 10);
            delay = TimeSpan.FromTicks(Math.Min(_timings.BackoffMax.Ticks, _timings.BackoffBase.Ticks << doublings));
        }

        await Task.Delay(delay, _time).ConfigureAwait(false);
        lock (_gate)
        {
            _backingOff--;
            if (_lost.ContainsKey(task.Id))
            {
                _resends.Enqueue(task);
            }
        }

        Dispatch();
        CheckStopped();
    }

    /// <summary>For a task already out of the tables and counted in <c>_finishing</c>: sends the next task first (the
    /// slot is free), then completes the future with no lock held, then checks for the end.</summary>
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
}

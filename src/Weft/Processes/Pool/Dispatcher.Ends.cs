using Weft.Diagnostics;

namespace Weft.Processes;

/// <summary>How a worker's end, a broken pool and an ended task are handled.</summary>
internal sealed partial class Dispatcher
{
    /// <summary>Ends the worker that runs <paramref name="future"/>; the future fails with <paramref name="reason"/>,
    /// the worker's other calls go to another worker, and a new worker takes its place.</summary>
    /// <returns>False when the future is not running on this pool.</returns>
    public bool Terminate(Future future, Exception reason)
    {
        Worker? target = null;
        lock (_gate)
        {
            if (future.State != FutureState.Running)
            {
                return false;
            }

            foreach (var worker in _workers)
            {
                if (worker.State != WorkerState.Exited && worker.Find(future) is { } item && ReferenceEquals(worker.Running(), item))
                {
                    worker.EndOnPurpose(item, reason);
                    target = worker;
                    break;
                }
            }

            Monitor.PulseAll(_gate);
        }

        target?.Connection.Kill();
        return target is not null;
    }

    /// <summary>Ends every live worker with <paramref name="signal"/> (TerminateWorkers, KillWorkers) and breaks the pool.</summary>
    public void EndAll(int signal, BrokenProcessPoolException error) => Break(error, lost: null, signal);

    /// <summary>Marks the pool broken, fails every pending and running future, and ends the workers.</summary>
    /// <param name="error">Why; each future gets an exception of its own with the same message and cause.</param>
    /// <param name="lost">Calls already taken from an exited worker, failed with the rest.</param>
    /// <param name="signal">How the workers are ended: 9 (SIGKILL) or 15 (SIGTERM).</param>
    private void Break(BrokenProcessPoolException error, List<WorkItem>? lost = null, int signal = 9)
    {
        var failed = new List<WorkItem>(lost ?? []);
        List<Worker> workers = [];

        // First the pool's own flag, with no lock of ours held: once it is set no Submit slips in behind.
        if (Owner?.TryGetTarget(out var owner) == true)
        {
            owner.OnBroken(new BrokenProcessPoolException(BrokenMessage, error.ExitCode, error));
        }

        lock (_gate)
        {
            if (_broken is not null)
            {
                // Another worker's end broke the pool first (two workers dying at start-up race here): the calls
                // this caller took out of its worker's table fail with that break, or they would stay pending for ever.
                error = _broken;
            }
            else
            {
                _broken = error;
                failed.AddRange(_queue);
                _queue.Clear();
                foreach (var worker in _workers)
                {
                    worker.Abandon(failed);
                }

                workers = [.. _workers];
                Monitor.PulseAll(_gate);
            }

            _completing++;
        }

        FailWith(failed, error);
        foreach (var worker in workers)
        {
            worker.Connection.Signal(signal);
        }

        Completed();
    }

    /// <summary>A worker's channel ended (every frame it wrote was read) or its process is gone with the channel
    /// held elsewhere. Exactly once per worker.</summary>
    private void OnEnded(Worker worker, int? exitCode)
    {
        WorkItem? victim = null;
        Exception? victimError = null;
        string? died = null;
        List<WorkItem>? breakWith = null;
        (BrokenProcessPoolException Error, List<WorkItem> Items)? brokenAlready = null;
        lock (_gate)
        {
            var asked = worker.State == WorkerState.Retiring;
            var reason = worker.EndReason;
            var lost = worker.Exit();
            _workers.Remove(worker);
            if (_broken is null && !(lost.Count == 0 && asked && reason is null))
            {
                died = reason is not null ? ExecutorMetrics.DeathReason.Terminated : ExecutorMetrics.DeathReason.Crashed;
            }

            if (_broken is not null)
            {
                // The pool is broken already. Break failed what it found; a call this worker still held (one it was
                // handed as the break raced its start) fails here too, or it would stay pending for ever. A future
                // Break already failed ignores the second outcome.
                brokenAlready = lost.Count > 0 ? (_broken, lost) : null;
            }
            else if (lost.Count == 0 && (asked || _policy.FailTaskOnCrash))
            {
                // Exited as asked with every call answered: nothing is lost.
            }
            else if (reason is not null || _policy.FailTaskOnCrash)
            {
                // Only the call it ran fails: the one it was ended for, unless that one's answer won the race; after a
                // crash, the one it reported started (under FailTask a worker reports each start before running it).
                // The others go back to the front of the queue.
                victim = reason is not null ? lost.Find(i => ReferenceEquals(i, worker.EndTarget)) : lost.Find(i => i.Future.State == FutureState.Running);
                victimError = reason;
                Requeue(lost.Where(i => !ReferenceEquals(i, victim)));
            }
            else
            {
                breakWith = lost;
            }

            _completing++;
            Monitor.PulseAll(_gate);
        }

        if (died is not null)
        {
            Count(owner => ExecutorMetrics.WorkerDied(owner, died));
        }

        if (breakWith is not null)
        {
            Break(new BrokenProcessPoolException(
                "A process in the process pool was terminated abruptly while the future was running or pending " +
                $"(worker pid {worker.ProcessId}, {DescribeExit(exitCode)}).", exitCode, Crash(worker, exitCode)), breakWith);
        }

        if (brokenAlready is { } late)
        {
            FailWith(late.Items, late.Error);
        }

        if (victim is not null)
        {
            victim.StopTimer();
            victim.Future.TrySetException(victimError ?? Crash(worker, exitCode));   // the stderr tail is read without the lock
        }

        StartWorkerIfNeeded();
        Completed();
    }

    /// <summary>Fails calls taken out of the tables with the pool's break. No lock held: callbacks run.</summary>
    private static void FailWith(List<WorkItem> items, BrokenProcessPoolException error)
    {
        // One exception object per future: a shared one would have its stack trace rewritten by every thrower.
        foreach (var item in items)
        {
            item.Future.TrySetException(new BrokenProcessPoolException(error.Message, error.ExitCode, error.InnerException));
        }
    }

    /// <summary>Puts calls taken from a dead worker back at the front of the queue, in their order. Under <c>_gate</c>.</summary>
    private void Requeue(IEnumerable<WorkItem> items)
    {
        var waiting = _queue.ToArray();
        _queue.Clear();
        foreach (var item in items)
        {
            item.Requeued();
            _queue.Enqueue(item);
            Count(ExecutorMetrics.TaskResent);
        }

        foreach (var item in waiting)
        {
            _queue.Enqueue(item);
        }
    }

    /// <summary>A batch taken out of the tables under <c>_gate</c> has been completed.</summary>
    private void Completed()
    {
        lock (_gate)
        {
            _completing--;
        }

        CheckStopped();
    }

    /// <summary>What a dead worker says about its end: its exit, its signal and the tail of its stderr.</summary>
    private static WorkerCrashedException Crash(Worker worker, int? exitCode) =>
        new(worker.ProcessId, exitCode, SignalOf(exitCode), worker.Connection.ErrorTail(), DescribeExit(exitCode));

    /// <summary>"exit code 137: killed by signal 9 (SIGKILL)": on Unix .NET reports a signal as 128 + its number.</summary>
    internal static string DescribeExit(int? exitCode)
    {
        if (exitCode is not { } code)
        {
            return "unknown exit code";
        }

        if (SignalOf(code) is not { } signal)
        {
            return $"exit code {code}";
        }

        var name = signal switch
        {
            1 => " (SIGHUP)",
            2 => " (SIGINT)",
            3 => " (SIGQUIT)",
            4 => " (SIGILL)",
            6 => " (SIGABRT)",
            7 => " (SIGBUS)",
            8 => " (SIGFPE)",
            9 => " (SIGKILL)",
            11 => " (SIGSEGV)",
            13 => " (SIGPIPE)",
            15 => " (SIGTERM)",
            _ => string.Empty,
        };
        return $"exit code {code}: killed by signal {signal}{name}";
    }

    /// <summary>The POSIX signal that ended a process, from its exit code as .NET reports it (128 + the signal).</summary>
    internal static int? SignalOf(int? exitCode) =>
        exitCode is { } code && !OperatingSystem.IsWindows() && code is > 128 and <= 128 + 64 ? code - 128 : null;
}

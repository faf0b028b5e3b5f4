using System.Diagnostics;
using Weft.Diagnostics;

namespace Weft.Processes;

/// <summary>The dispatcher's threads: each worker's sender and reader, and what a worker's end means.</summary>
internal sealed partial class Dispatcher
{
    // UnsafeStart: the pool's threads must not carry the ExecutionContext (AsyncLocals) of whichever call
    // happened to start a worker into the done-callbacks they run later.
    private void Start(Worker? worker)
    {
        if (worker is not null)
        {
            StartSender(worker);
        }
    }

    // A method of its own: the closure of a lambda that captures a parameter is allocated on entry to the method,
    // so in Start it cost every Add (every call of a Map) an allocation, a worker to start or not.
    private void StartSender(Worker worker) =>
        new Thread(() => RunSender(worker)) { IsBackground = true, Name = $"{_name}_{worker.Index} sender" }.UnsafeStart();

    private void RunSender(Worker worker)
    {
        t_current = this;
        if (!Connect(worker))
        {
            return;
        }

        var batch = new List<WorkItem>();
        while (true)
        {
            batch.Clear();
            bool sendExit;
            lock (_gate)
            {
                if (!TakeWorkLocked(worker, batch, out sendExit))
                {
                    return;
                }
            }

            if (sendExit)
            {
                StartWorkerIfNeeded();   // a replacement starts while this one finishes its last calls
            }

            try
            {
                worker.Connection.WriteCalls(batch, sendExit);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return;   // the worker died; its reader reports it
            }
#pragma warning disable CA1031 // Nothing may escape a pool thread: a call that cannot be written breaks the pool, saying why.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Break(new BrokenProcessPoolException($"Cannot send a call to worker pid {worker.ProcessId}: {e.Message}", null, e));
                return;
            }

            if (sendExit)
            {
                return;
            }
        }
    }

    /// <summary>Starts the worker's process, sends Init, and starts its reader and exit watch.</summary>
    /// <returns>False when it could not be started or is already gone (then the pool or its reader reports it).</returns>
    private bool Connect(Worker worker)
    {
        var connection = worker.Connection;
        int processId;
        Count(ExecutorMetrics.WorkerStarted);
        try
        {
            processId = connection.Start(StartInfo());
        }
#pragma warning disable CA1031 // Whatever stops a worker from starting breaks the pool with that reason.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Count(static owner => ExecutorMetrics.WorkerDied(owner, ExecutorMetrics.DeathReason.StartFailed));
            Break(new BrokenProcessPoolException($"Cannot start a worker process: {e.Message}", null, e));
            OnEnded(worker, exitCode: null);
            return false;
        }

        bool wanted;
        lock (_gate)
        {
            worker.Connected(processId);
            wanted = worker.TakesCalls;
        }

        if (!wanted)
        {
            connection.Kill();   // the pool broke while it started
        }

        // Calls may follow Init at once: they queue behind it in the worker (and if the initializer fails they fail
        // with the pool), which saves waiting for the Ready frame.
        var init = new InitFrame(_initializer, default, ReportStarts: _policy.FailTaskOnCrash);
        var initSent = connection.TryWriteInit(init, _shutdownToken.IsCancellationRequested);
        new Thread(() => RunReader(worker)) { IsBackground = true, Name = $"{_name}_{worker.Index} reader" }.UnsafeStart();
        connection.WatchExit(exitCode => OnDeadWhileChannelHeld(worker, exitCode));
        return initSent && wanted;
    }

    private void RunReader(Worker worker)
    {
        t_current = this;
        var (exitCode, corrupt) = worker.Connection.ReadToEnd((kind, body) => Receive(worker, kind, body));
        if (corrupt is not null)
        {
            Break(new BrokenProcessPoolException(
                $"Worker pid {worker.ProcessId} sent data that is not a frame, the process pool is not usable anymore: {corrupt.Message}", null, corrupt));
        }

        if (worker.Connection.ClaimEnd())
        {
            OnEnded(worker, exitCode);
        }

        worker.Connection.Close();
    }

    /// <summary>Counts in the Weft meter against the pool, if it is still alive.</summary>
    private void Count(Action<Executor> count)
    {
        if (Owner?.TryGetTarget(out var owner) == true)
        {
            count(owner);
        }
    }

    /// <summary>The exit watch found the process gone while another process holds its channel open.</summary>
    private void OnDeadWhileChannelHeld(Worker worker, int? exitCode)
    {
        var previous = t_current;
        t_current = this;
        try
        {
            if (worker.Connection.ClaimEnd())
            {
                OnEnded(worker, exitCode);
            }
        }
        finally
        {
            t_current = previous;
        }
    }

    /// <summary>One frame from a worker, read whole before any table is touched.</summary>
    /// <exception cref="InvalidDataException">A frame this side never receives, or one that cannot be parsed.</exception>
    private void Receive(Worker worker, FrameKind kind, byte[] body)
    {
        switch (kind)
        {
            case FrameKind.Ready:
                ReadyFrame.Read(body);
                break;
            case FrameKind.InitFailed:
                Break(new BrokenProcessPoolException(
                    "A process initializer failed, the process pool is not usable anymore", null, InitFailedFrame.Read(body).Error));
                break;
            case FrameKind.Started:
                var started = StartedFrame.Read(body);
                WorkItem? running;
                lock (_gate)
                {
                    running = worker.Find(started.TaskId);
                }

                if (running is { Started: false } && running.MarkStarted() && _policy.TaskTimeout is { } timeout)
                {
                    running.StartTimer(timeout, OnTimeout);
                }

                break;
            case FrameKind.Skipped:
                var skipped = SkippedFrame.Read(body);
                Answered(worker, skipped.TaskId, ticks: null);
                break;
            case FrameKind.Result:
                var result = ResultFrame.Read(body);
                Finish(worker, result.TaskId, result.ElapsedTicks, result.Value.Span, error: null);
                break;
            case FrameKind.Error:
                var error = ErrorFrame.Read(body);
                Finish(worker, error.TaskId, error.ElapsedTicks, default, error.Error);
                break;
            default:
                throw new InvalidDataException($"Unexpected frame {kind} from worker {worker.ProcessId}.");
        }
    }

    private void Finish(Worker worker, long taskId, long ticks, ReadOnlySpan<byte> value, Exception? error)
    {
        var item = Answered(worker, taskId, ticks);
        if (item is not null)
        {
            item.StopTimer();
            item.Arguments = [];   // kept until now, so that another worker could run it had this one died
        }

        if (_policy.MaxWorkerMemoryBytes is { } limit && worker.Connection.ResidentBytes() > limit)
        {
            RetireForMemory(worker);
        }

        if (item is null || !item.MarkStarted())
        {
            return;   // already failed by a broken pool, or cancelled before the worker started it
        }

        if (error is null)
        {
            item.Complete(value);
        }
        else
        {
            item.Future.TrySetException(error);
        }

        if (item.Future.Owner is { } owner)
        {
            var startedAt = ExecutorMetrics.TimingEnabled
                ? Stopwatch.GetTimestamp() - (long)(ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond))
                : 0;
            ExecutorMetrics.Finished(owner, error is not null, startedAt);
        }
    }

    /// <summary>A task ran past its TaskTimeout: its worker is ended (if the task is still running there).</summary>
    private void OnTimeout(WorkItem item) =>
        Terminate(item.Future, new TimeoutException($"The task ran longer than its TaskTimeout ({_policy.TaskTimeout}); its worker process was ended."));

    /// <summary>The worker's memory passed MaxWorkerMemoryBytes: it takes no more calls and exits after those it holds.</summary>
    private void RetireForMemory(Worker worker)
    {
        lock (_gate)
        {
            if (worker.RequestExit())
            {
                Monitor.PulseAll(_gate);   // its sender sends the Exit frame
            }
        }

        StartWorkerIfNeeded();
    }

    private WorkItem? Answered(Worker worker, long taskId, long? ticks)
    {
        lock (_gate)
        {
            var item = worker.Answered(taskId, ticks);
            // A sender can take something only from a non-empty queue (a retirement or a shutdown wakes it
            // itself); waking both senders for every answer of a 100,000-call Map was most of their time.
            if (_waiting > 0 && _queue.Count > 0 && worker.InFlightCount <= worker.Window / 2)
            {
                Monitor.PulseAll(_gate);
            }

            return item;
        }
    }
}

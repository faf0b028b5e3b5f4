using System.ComponentModel;
using System.Diagnostics;
using Weft.Diagnostics;
using Weft.Processes;

namespace Weft;

/// <summary>One worker process, seen from the pool.</summary>
public sealed partial class ProcessPoolExecutor
{
    /// <summary>
    /// A worker process and its two threads: the sender moves calls from the pool's queue to the worker's stdin,
    /// at most <see cref="_window"/> in flight, and the reader completes futures from its stdout and notices its death.
    /// </summary>
    /// <remarks>The window starts at 2 (one running, one queued, CPython's <c>EXTRA_QUEUED_CALLS</c>), so a few long
    /// tasks are spread over all workers; it widens as the worker reports short task times, so tiny tasks are sent
    /// in large batches. Calls in the window are Running: they can no longer be cancelled.</remarks>
    [DebuggerDisplay("worker {_index} pid={ProcessId} inFlight={InFlightCount}/{_window}")]
    private sealed class WorkerConnection(ProcessPoolExecutor pool, int index)
    {
        private readonly int _index = index;
        private readonly object _writeLock = new();
        private readonly Dictionary<long, WorkItem> _inFlight = [];   // guarded by pool._gate
        private readonly HashSet<int> _defined = [];                  // guarded by _writeLock
        private readonly BodyWriter _header = new();                  // guarded by _writeLock
        private volatile Process? _process;
        private FrameWriter? _writer;                                 // guarded by _writeLock
        private int _window = 2;
        private double _averageTicks = -1;
        private int _tasksSent;

        public int ProcessId { get; private set; }

        public int InFlightCount => _inFlight.Count;

        /// <summary>Has been sent its last task (maxTasksPerChild); a replacement takes over. Guarded by <c>_gate</c>.</summary>
        public bool Retiring { get; private set; }

        private bool Ready { get; set; }

        private bool ExitSent { get; set; }

        private bool Exited { get; set; }

        public void Start() =>
            new Thread(RunSender) { IsBackground = true, Name = $"{pool.Name}_{_index} sender" }.Start();

        /// <summary>Moves the in-flight items to <paramref name="into"/> (the pool is breaking). Under <c>_gate</c>.</summary>
        public void TakeInFlightLocked(List<WorkItem> into)
        {
            into.AddRange(_inFlight.Values);
            _inFlight.Clear();
        }

        public void Kill()
        {
            try
            {
                _process?.Kill();
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
            {
                // Already exited.
            }
        }

        public void SendCancelAll()
        {
            lock (_writeLock)
            {
                if (_writer is null)
                {
                    return;   // not started: WriteInit sends it
                }

                try
                {
                    _writer.Write(FrameKind.CancelAll, default);
                    _writer.Flush();
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    // The worker is gone; its reader reports it.
                }
            }
        }

        private void RunSender()
        {
            t_ownThread = pool;
            try
            {
                var process = Process.Start(WorkerLaunch.CreateStartInfo())
                    ?? throw new InvalidOperationException("The worker process did not start.");
                bool broken;
                lock (pool._gate)
                {
                    _process = process;
                    ProcessId = process.Id;
                    broken = pool._broken is not null;
                }

                if (broken)
                {
                    Kill();
                }

                var reader = new FrameReader(process.StandardOutput.BaseStream);
                new Thread(() => RunReader(reader)) { IsBackground = true, Name = $"{pool.Name}_{_index} reader" }.Start();
                WriteInit(process.StandardInput.BaseStream);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                if (_process is null)
                {
                    pool.Break(new BrokenProcessPoolException($"Cannot start a worker process: {e.Message}", null, e));
                    OnExited(exitCode: null);
                }

                return;   // otherwise the reader sees the pipe close
            }

            var batch = new List<WorkItem>();
            while (true)
            {
                batch.Clear();
                bool sendExit;
                lock (pool._gate)
                {
                    if (!TakeWorkLocked(batch, out sendExit))
                    {
                        return;
                    }
                }

                if (Retiring && sendExit)
                {
                    pool.StartWorkerIfNeeded();   // the replacement starts while this one finishes its last tasks
                }

                try
                {
                    Write(batch, sendExit);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;   // the worker died; its reader breaks the pool
                }

                if (sendExit)
                {
                    return;
                }
            }
        }

        /// <summary>Waits for work this worker may take, under <c>_gate</c>.</summary>
        /// <returns>False when the sender must stop (pool broken, worker gone).</returns>
        private bool TakeWorkLocked(List<WorkItem> batch, out bool sendExit)
        {
            while (true)
            {
                sendExit = false;
                if (pool._broken is not null || Exited)
                {
                    return false;
                }

                if (Ready && !Retiring)
                {
                    while (_inFlight.Count < _window && pool._queue.Count > 0)
                    {
                        // Beyond its first call, a worker takes only its fair share of what idle (or starting)
                        // workers leave, so 4 long tasks on 2 workers go 2 and 2, not 3 and 1 to whichever was first.
                        if (_inFlight.Count > 0 && pool._queue.Count - pool.IdleWorkersLocked(except: this) <= _inFlight.Count)
                        {
                            break;
                        }

                        var item = pool._queue.Dequeue();
                        if (!item.Future.TryStart())
                        {
                            continue;   // cancelled while pending: it is never sent
                        }

                        _inFlight.Add(item.Id, item);
                        batch.Add(item);
                        if (pool._maxTasksPerChild is { } max && ++_tasksSent >= max)
                        {
                            Retiring = true;
                            break;
                        }
                    }
                }

                // The worker exits after the calls already sent to it: when retiring, or when the pool is shut
                // down and no work is left to give it.
                sendExit = Retiring || (pool._shutdown && pool._queue.Count == 0);
                if (sendExit)
                {
                    ExitSent = true;
                    return true;
                }

                if (batch.Count > 0)
                {
                    return true;
                }

                pool._waiting++;
                Monitor.Wait(pool._gate);
                pool._waiting--;
            }
        }

        private void WriteInit(Stream stdin)
        {
            lock (_writeLock)
            {
                _writer = new FrameWriter(stdin);
                _header.Clear();
                _header.WriteByte(pool._initializer is null ? (byte)0 : (byte)1);
                pool._initializer?.WriteDefinition(_header);
                _writer.Write(FrameKind.Init, _header.WrittenSpan);
                if (pool.ShutdownToken.IsCancellationRequested)
                {
                    _writer.Write(FrameKind.CancelAll, default);
                }

                _writer.Flush();
            }
        }

        private void Write(List<WorkItem> batch, bool sendExit)
        {
            lock (_writeLock)
            {
                var writer = _writer!;
                foreach (var item in batch)
                {
                    if (_defined.Add(item.Function.Id))
                    {
                        _header.Clear();
                        item.Function.WriteDefinition(_header);
                        writer.Write(FrameKind.Define, _header.WrittenSpan);
                    }

                    _header.Clear();
                    _header.WriteInt64(item.Id);
                    _header.WriteInt32(item.Function.Id);
                    writer.Write(FrameKind.Call, _header.WrittenSpan, item.Arguments);
                    item.Arguments = [];
                }

                if (sendExit)
                {
                    writer.Write(FrameKind.Exit, default);
                }

                writer.Flush();
            }
        }

        private void RunReader(FrameReader reader)
        {
            t_ownThread = pool;
            try
            {
                while (reader.TryRead(out var kind, out var body))
                {
                    Receive(kind, body);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidDataException)
            {
                // Treated as the worker's death below.
            }

            int? exitCode = null;
            var process = _process!;
            try
            {
                // Its stdout closed: the process is exiting. Bounded, so a broken pool is reported within a second.
                if (!process.WaitForExit(TimeSpan.FromMilliseconds(800)))
                {
                    Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                }

                exitCode = process.HasExited ? process.ExitCode : null;
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
            }

            OnExited(exitCode);
            process.Dispose();
        }

        private void Receive(FrameKind kind, byte[] body)
        {
            var reader = new BodyReader(body);
            switch (kind)
            {
                case FrameKind.Ready:
                    lock (pool._gate)
                    {
                        Ready = true;
                        Monitor.PulseAll(pool._gate);
                    }

                    break;
                case FrameKind.InitFailed:
                    pool.Break(new BrokenProcessPoolException(
                        "A process initializer failed, the process pool is not usable anymore", null, RemoteError.Read(ref reader)));
                    break;
                case FrameKind.Result or FrameKind.Error:
                    var id = reader.ReadInt64();
                    var ticks = reader.ReadInt64();
                    WorkItem? item;
                    lock (pool._gate)
                    {
                        _inFlight.Remove(id, out item);
                        Measure(ticks);
                        if (pool._waiting > 0 && _inFlight.Count <= _window / 2)
                        {
                            Monitor.PulseAll(pool._gate);
                        }
                    }

                    if (item is null)
                    {
                        return;   // already failed by a broken pool
                    }

                    if (kind == FrameKind.Result)
                    {
                        item.Complete(reader.Rest);
                    }
                    else
                    {
                        item.Future.TrySetException(RemoteError.Read(ref reader));
                    }

                    var started = ExecutorMetrics.TimingEnabled
                        ? Stopwatch.GetTimestamp() - (long)(ticks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond))
                        : 0;
                    ExecutorMetrics.Finished(pool, kind == FrameKind.Error, started);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected frame {kind} from worker {ProcessId}.");
            }
        }

        /// <summary>Widens the window for short tasks (under <c>_gate</c>); ticks are the worker's own timing.</summary>
        private void Measure(long ticks)
        {
            _averageTicks = _averageTicks < 0 ? ticks : (0.8 * _averageTicks) + (0.2 * ticks);
            _window = _averageTicks switch
            {
                < 500 => 1024,      // under 50 µs: throughput is all that matters
                < 10_000 => 64,     // under 1 ms
                < 200_000 => 4,     // under 20 ms
                _ => 2,
            };
        }

        private void OnExited(int? exitCode)
        {
            bool crashed;
            int inFlight;
            lock (pool._gate)
            {
                Exited = true;
                inFlight = _inFlight.Count;
                crashed = pool._broken is null && !(ExitSent && inFlight == 0);
                Monitor.PulseAll(pool._gate);
            }

            if (crashed)
            {
                var code = exitCode is { } c ? $"exit code {c}" : "unknown exit code";
                pool.Break(new BrokenProcessPoolException(
                    "A process in the process pool was terminated abruptly while the future was running or pending " +
                    $"(worker pid {ProcessId}, {code}).", exitCode, null));
            }

            lock (pool._gate)
            {
                pool._workers.Remove(this);
            }

            pool.StartWorkerIfNeeded();
            pool.CheckStopped();
        }
    }
}

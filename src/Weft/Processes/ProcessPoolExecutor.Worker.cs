using System.ComponentModel;
using System.Diagnostics;
using Weft.Diagnostics;
using Weft.Processes;

namespace Weft;

/// <summary>One worker process, seen from the pool.</summary>
public sealed partial class ProcessPoolExecutor
{
    /// <summary>
    /// A worker process and its two threads: the sender moves calls from the pool's queue to the worker's channel,
    /// at most <see cref="_window"/> in flight, and the reader completes futures from the channel. The process
    /// handle (its exit) is watched on its own, so a death is noticed even while another process holds the channel.
    /// </summary>
    /// <remarks>The window starts at 2 (one running, one queued, CPython's <c>EXTRA_QUEUED_CALLS</c>), so a few long
    /// tasks are spread over all workers; it widens as the worker reports short task times, so tiny tasks are sent
    /// in large batches. A call sent ahead stays Pending until the worker reports that it started (so at most one
    /// future per worker is Running), and a cancel of it reaches the worker, which skips it.</remarks>
    [DebuggerDisplay("worker {_index} pid={ProcessId} inFlight={InFlightCount}/{_window}")]
    private sealed class WorkerConnection
    {
        /// <summary>How long the reader may take to see the channel's end after the process exited.</summary>
        private static readonly TimeSpan DrainAfterExit = TimeSpan.FromMilliseconds(500);

        private readonly ProcessPoolExecutor _pool;
        private readonly int _index;
        private readonly object _writeLock = new();
        private readonly Dictionary<long, WorkItem> _inFlight = [];   // guarded by _pool._gate
        private readonly HashSet<int> _defined = [];                  // guarded by _writeLock
        private readonly BodyWriter _header = new();                  // guarded by _writeLock
        private readonly BodyWriter _cancelHeader = new();            // guarded by _writeLock
        private readonly System.Collections.Concurrent.ConcurrentQueue<long> _cancels = new();
        private readonly Action<long> _sendCancel;
        private readonly ManualResetEventSlim _readerDone = new();
        private volatile Process? _process;
        private Stream? _channel;
        private FrameWriter? _writer;                                 // guarded by _writeLock
        private int _window = 2;
        private double _averageTicks = -1;
        private int _tasksSent;
        private int _finished;

        public WorkerConnection(ProcessPoolExecutor pool, int index)
        {
            _pool = pool;
            _index = index;
            _sendCancel = SendCancel;
        }

        public int ProcessId { get; private set; }

        public int InFlightCount => _inFlight.Count;

        /// <summary>Has been sent its last task (maxTasksPerChild); a replacement takes over. Guarded by <c>_gate</c>.</summary>
        public bool Retiring { get; private set; }

        private bool Ready { get; set; }

        private bool ExitSent { get; set; }

        private bool Exited { get; set; }

        // UnsafeStart: the pool's threads must not carry the ExecutionContext (AsyncLocals) of whichever call
        // happened to start a worker into the done-callbacks they run later.
        public void Start() =>
            new Thread(RunSender) { IsBackground = true, Name = $"{_pool.Name}_{_index} sender" }.UnsafeStart();

        /// <summary>Moves the in-flight items to <paramref name="into"/> (the pool is breaking). Under <c>_gate</c>.</summary>
        public void TakeInFlightLocked(List<WorkItem> into)
        {
            into.AddRange(_inFlight.Values);
            _inFlight.Clear();
        }

        /// <summary>Adds the in-flight items to <paramref name="into"/>. Under <c>_gate</c>.</summary>
        public void CopyInFlightLocked(List<WorkItem> into) => into.AddRange(_inFlight.Values);

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

        public void SendCancelAll() => Send(FrameKind.CancelAll, default);

        /// <summary>Called on the thread that cancelled a future: queues the cancel, and sends it now unless another
        /// thread is writing, so <c>Cancel()</c> never waits on a full pipe.</summary>
        private void SendCancel(long taskId)
        {
            _cancels.Enqueue(taskId);
            DrainCancels();
        }

        /// <summary>Sends queued cancels if the channel is free. Whoever holds <c>_writeLock</c> calls this after
        /// releasing it, so a cancel queued while it wrote is never left behind.</summary>
        private void DrainCancels()
        {
            while (!_cancels.IsEmpty && Monitor.TryEnter(_writeLock))
            {
                try
                {
                    SendCancelsLocked(flush: true);
                }
                finally
                {
                    Monitor.Exit(_writeLock);
                }
            }
        }

        /// <summary>Writes the queued cancels. Under <c>_writeLock</c>.</summary>
        private void SendCancelsLocked(bool flush)
        {
            if (_writer is null || _cancels.IsEmpty)
            {
                return;
            }

            try
            {
                while (_cancels.TryDequeue(out var taskId))
                {
                    _cancelHeader.Clear();
                    _cancelHeader.WriteInt64(taskId);
                    _writer.Write(FrameKind.Cancel, _cancelHeader.WrittenSpan);
                }

                if (flush)
                {
                    _writer.Flush();
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The worker is gone; its reader reports it.
            }
        }

        private void Send(FrameKind kind, ReadOnlySpan<byte> body)
        {
            lock (_writeLock)
            {
                SendLocked(kind, body);
            }

            DrainCancels();
        }

        private void SendLocked(FrameKind kind, ReadOnlySpan<byte> body)
        {
            if (_writer is null)
            {
                return;   // not started: WriteInit sends what is needed
            }

            try
            {
                _writer.Write(kind, body);
                _writer.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The worker is gone; its reader reports it.
            }
        }

        private void RunSender()
        {
            t_ownThread = _pool;
            if (!Connect())
            {
                return;
            }

            var batch = new List<WorkItem>();
            while (true)
            {
                batch.Clear();
                bool sendExit;
                lock (_pool._gate)
                {
                    if (!TakeWorkLocked(batch, out sendExit))
                    {
                        return;
                    }
                }

                if (Retiring && sendExit)
                {
                    _pool.StartWorkerIfNeeded();   // the replacement starts while this one finishes its last tasks
                }

                try
                {
                    Write(batch, sendExit);
                }
                catch (Exception e) when (e is IOException or ObjectDisposedException)
                {
                    return;   // the worker died; its reader breaks the pool
                }
#pragma warning disable CA1031 // Nothing may escape a pool thread: a call that cannot be written breaks the pool, saying why.
                catch (Exception e)
#pragma warning restore CA1031
                {
                    _pool.Break(new BrokenProcessPoolException($"Cannot send a call to worker pid {ProcessId}: {e.Message}", null, e));
                    return;
                }

                if (sendExit)
                {
                    return;
                }
            }
        }

        /// <summary>Starts the process with its channel, sends Init, and starts the reader and the exit watch.</summary>
        /// <returns>False when the worker could not be started (the pool is then broken).</returns>
        private bool Connect()
        {
            Stream channel;
            try
            {
                (var process, channel) = WorkerChannel.Start(WorkerLaunch.CreateStartInfo());
                bool broken;
                lock (_pool._gate)
                {
                    _process = process;
                    ProcessId = process.Id;
                    broken = _pool._broken is not null;
                }

                if (broken)
                {
                    Kill();
                }
            }
#pragma warning disable CA1031 // Whatever stops a worker from starting breaks the pool with that reason.
            catch (Exception e)
#pragma warning restore CA1031
            {
                Kill();
                _pool.Break(new BrokenProcessPoolException($"Cannot start a worker process: {e.Message}", null, e));
                Finish(_process is { HasExited: true } p ? p.ExitCode : null);
                _process?.Dispose();
                return false;
            }

            _channel = channel;
            var reader = new FrameReader(channel, FrameKinds.ToParent);
            var initSent = TryWriteInit(channel);   // first: the worker's start-up goes on while we start watching it
            lock (_pool._gate)
            {
                // Calls may follow Init at once: they queue behind it in the worker (and if the initializer fails
                // they fail with the pool), which saves waiting for the Ready frame.
                Ready = true;
                Monitor.PulseAll(_pool._gate);
            }

            new Thread(() => RunReader(reader)) { IsBackground = true, Name = $"{_pool.Name}_{_index} reader" }.UnsafeStart();
            var watched = _process!;
            watched.EnableRaisingEvents = true;
            watched.Exited += (_, _) => OnProcessExited();
            if (watched.HasExited)
            {
                OnProcessExited();
            }

            return initSent;   // if not, the reader reports the death
        }

        /// <summary>The process exited: give the reader a moment to take the frames already sent, then close the
        /// channel under it, so a death is reported even if some other process still holds the worker's end.</summary>
        private void OnProcessExited()
        {
            if (_readerDone.Wait(DrainAfterExit))
            {
                return;   // the reader saw the end of the channel and finishes
            }

            // Some other process still holds the worker's end of the channel (one started by a task or by the
            // application at the very moment this worker started): the reader may block until it exits, so
            // the death is reported from here.
            int? exitCode = null;
            try
            {
                exitCode = _process?.ExitCode;
            }
            catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
            {
            }

            // Not closing the channel here: closing a pipe blocks while the reader is inside read(); the reader
            // closes it when the other holder lets go.
            Finish(exitCode);
        }

        /// <summary>Reports the worker's end once, whichever of the reader and the exit watch gets there first.</summary>
        private void Finish(int? exitCode)
        {
            if (Interlocked.Exchange(ref _finished, 1) == 0)
            {
                OnExited(exitCode);
            }
        }

        /// <summary>Waits for work this worker may take, under <c>_gate</c>.</summary>
        /// <returns>False when the sender must stop (pool broken, worker gone).</returns>
        private bool TakeWorkLocked(List<WorkItem> batch, out bool sendExit)
        {
            while (true)
            {
                sendExit = false;
                if (_pool._broken is not null || Exited)
                {
                    return false;
                }

                if (Ready && !Retiring)
                {
                    while (_inFlight.Count < _window && _pool._queue.Count > 0)
                    {
                        // Beyond its first call, a worker takes only its fair share of what idle (or starting)
                        // workers leave, so 4 long tasks on 2 workers go 2 and 2, not 3 and 1 to whichever was first.
                        if (_inFlight.Count > 0 && _pool._queue.Count - _pool.IdleWorkersLocked(except: this) <= _inFlight.Count)
                        {
                            break;
                        }

                        var item = _pool._queue.Dequeue();
                        item.CancelSink = _sendCancel;
                        if (!item.Future.TryAddListener(item))
                        {
                            continue;   // cancelled while pending: it is never sent
                        }

                        _inFlight.Add(item.Id, item);
                        batch.Add(item);
                        if (_pool._maxTasksPerChild is { } max && ++_tasksSent >= max)
                        {
                            Retiring = true;
                            break;
                        }
                    }
                }

                // The worker exits after the calls already sent to it: when retiring, or when the pool is shut
                // down and no work is left to give it.
                sendExit = Retiring || (_pool.IsShutdown && _pool._queue.Count == 0);
                if (sendExit)
                {
                    ExitSent = true;
                    return true;
                }

                if (batch.Count > 0)
                {
                    return true;
                }

                _pool._waiting++;
                Monitor.Wait(_pool._gate);
                _pool._waiting--;
            }
        }

        private bool TryWriteInit(Stream channel)
        {
            try
            {
                WriteInit(channel);
                return true;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                return false;
            }
        }

        private void WriteInit(Stream channel)
        {
            lock (_writeLock)
            {
                _writer = new FrameWriter(channel);
                _header.Clear();
                _header.WriteByte(_pool._initializer is null ? (byte)0 : (byte)1);
                _pool._initializer?.WriteDefinition(_header);
                _writer.Write(FrameKind.Init, _header.WrittenSpan);
                if (_pool.ShutdownToken.IsCancellationRequested)
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

                SendCancelsLocked(flush: false);   // cancels that came in while this batch was written
                if (sendExit)
                {
                    writer.Write(FrameKind.Exit, default);
                }

                writer.Flush();
            }

            DrainCancels();
        }

        private void RunReader(FrameReader reader)
        {
            t_ownThread = _pool;
            BrokenProcessPoolException? corrupt = null;
            try
            {
                while (reader.TryRead(out var kind, out var body))
                {
                    Receive(kind, body);
                }
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The channel ended: treated as the worker's death below.
            }
#pragma warning disable CA1031 // Nothing may escape a pool thread: anything else is a corrupt channel, and breaks the pool.
            catch (Exception e)
#pragma warning restore CA1031
            {
                corrupt = new BrokenProcessPoolException(
                    $"Worker pid {ProcessId} sent data that is not a frame, the process pool is not usable anymore: {e.Message}", null, e);
            }

            _readerDone.Set();
            if (corrupt is not null)
            {
                _pool.Break(corrupt);
            }

            var process = _process!;
            int? exitCode = null;
            try
            {
                // The channel ended: the process is exiting. Bounded, so a broken pool is reported within a second.
                if (!process.WaitForExit(TimeSpan.FromMilliseconds(500)))
                {
                    Kill();
                    process.WaitForExit(TimeSpan.FromSeconds(5));
                }

                exitCode = process.HasExited ? process.ExitCode : null;
            }
            catch (Exception e) when (e is InvalidOperationException or Win32Exception)
            {
            }

            Finish(exitCode);
            _channel?.Dispose();
            process.Dispose();
        }

        private void Receive(FrameKind kind, byte[] body)
        {
            var reader = new BodyReader(body);
            switch (kind)
            {
                case FrameKind.Ready:
                    lock (_pool._gate)
                    {
                        Ready = true;
                        Monitor.PulseAll(_pool._gate);
                    }

                    break;
                case FrameKind.InitFailed:
                    _pool.Break(new BrokenProcessPoolException(
                        "A process initializer failed, the process pool is not usable anymore", null, RemoteError.Read(ref reader)));
                    break;
                case FrameKind.Started:
                    Find(reader.ReadInt64())?.MarkStarted();
                    break;
                case FrameKind.Skipped:
                    Remove(reader.ReadInt64(), ticks: null);
                    break;
                case FrameKind.Result or FrameKind.Error:
                    var id = reader.ReadInt64();
                    var ticks = reader.ReadInt64();
                    var item = Remove(id, ticks);
                    if (item is null || !item.MarkStarted())
                    {
                        return;   // already failed by a broken pool, or cancelled before the worker started it
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
                    ExecutorMetrics.Finished(_pool, kind == FrameKind.Error, started);
                    break;
                default:
                    throw new InvalidDataException($"Unexpected frame {kind} from worker {ProcessId}.");
            }
        }

        private WorkItem? Find(long id)
        {
            lock (_pool._gate)
            {
                return _inFlight.GetValueOrDefault(id);
            }
        }

        private WorkItem? Remove(long id, long? ticks)
        {
            WorkItem? item;
            lock (_pool._gate)
            {
                _inFlight.Remove(id, out item);
                if (ticks is { } t)
                {
                    Measure(t);
                }

                if (_pool._waiting > 0 && _inFlight.Count <= _window / 2)
                {
                    Monitor.PulseAll(_pool._gate);
                }
            }

            return item;
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
            lock (_pool._gate)
            {
                Exited = true;
                inFlight = _inFlight.Count;
                crashed = _pool._broken is null && !(ExitSent && inFlight == 0);
                Monitor.PulseAll(_pool._gate);
            }

            if (crashed)
            {
                _pool.Break(new BrokenProcessPoolException(
                    "A process in the process pool was terminated abruptly while the future was running or pending " +
                    $"(worker pid {ProcessId}, {DescribeExit(exitCode)}).", exitCode, null));
            }

            lock (_pool._gate)
            {
                _pool._workers.Remove(this);
            }

            _pool.StartWorkerIfNeeded();
            _pool.CheckStopped();
        }

        /// <summary>"exit code 137: killed by signal 9 (SIGKILL)": on Unix .NET reports a signal as 128 + its number.</summary>
        private static string DescribeExit(int? exitCode)
        {
            if (exitCode is not { } code)
            {
                return "unknown exit code";
            }

            if (OperatingSystem.IsWindows() || code is <= 128 or > 128 + 64)
            {
                return $"exit code {code}";
            }

            var signal = code - 128;
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
    }
}

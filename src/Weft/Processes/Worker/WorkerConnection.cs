using System.Collections.Concurrent;
using System.ComponentModel;
using System.Diagnostics;

namespace Weft.Processes;

/// <summary>
/// The I/O of one worker process: starting it, writing frames to its channel, reading frames until the channel
/// ends, and its exit code. It holds no scheduling state and never touches a future's table: what it reads goes
/// to the callbacks the dispatcher gives it, on threads the dispatcher starts.
/// </summary>
/// <remarks>
/// <para>Every frame the worker wrote has been read when its channel ends, so the end of the channel, never a
/// timer, reports the worker's end. One exception: another process may hold the worker's end of the channel (one
/// a task started, or one the application started at the very moment this worker was), and then the channel does
/// not end when the worker dies. <see cref="WatchExit"/> covers it: once the process has exited and the reader is
/// blocked on an empty channel, nothing more can come, and the end is reported from there.</para>
/// <para>Lock order: the dispatcher's gate is never held while <c>_writeLock</c> is taken. A cancel is sent by
/// whoever can take <c>_writeLock</c> at once, so <c>Future.Cancel</c> never waits on a full pipe.</para>
/// </remarks>
internal sealed class WorkerConnection
{
    private readonly object _writeLock = new();
    private readonly HashSet<int> _defined = [];   // functions the worker knows; guarded by _writeLock
    private readonly ConcurrentQueue<long> _cancels = new();
    private readonly ManualResetEventSlim _readerDone = new();
    private Process? _process;
    private WatchedStream? _channel;
    private FrameWriter? _writer;                  // guarded by _writeLock
    private int _endClaimed;
    private StandardErrorTail? _stderr;

    public WorkerConnection() => CancelSink = SendCancel;

    /// <summary>Gets <see cref="SendCancel"/> as one delegate, given to every call sent to this worker.</summary>
    public Action<long> CancelSink { get; }

    public int ProcessId { get; private set; }

    /// <summary>Starts the process with its channel (<see cref="WorkerChannel.Start"/>).</summary>
    /// <returns>The process id.</returns>
    public int Start(ProcessStartInfo info)
    {
        info.RedirectStandardError = true;   // copied to our stderr as it comes (StandardErrorTail keeps the end)
        var (process, channel) = WorkerChannel.Start(info);
        _process = process;
        _channel = new WatchedStream(channel);
        ProcessId = process.Id;
        _stderr = StandardErrorTail.Pump(process.StandardError.BaseStream);
        return ProcessId;
    }

    /// <summary>The last 4 KB the worker wrote to stderr; waits a moment for what is still in the pipe.</summary>
    public string ErrorTail() => _stderr?.Read(TimeSpan.FromMilliseconds(500)) ?? string.Empty;

    /// <summary>Sends a POSIX signal (SIGTERM = 15); elsewhere, or when that fails, kills the process.</summary>
    public void Signal(int signal)
    {
        if (signal == 9 || OperatingSystem.IsWindows() || ProcessId == 0 || PosixSignals.Send(ProcessId, signal) != 0)
        {
            Kill();
        }
    }

    /// <summary>The worker's resident memory in bytes, or null when it cannot be read.</summary>
    public long? ResidentBytes() => ProcessId == 0 ? null : PosixSignals.ResidentBytes(ProcessId, _process);

    /// <summary>Writes the Init frame (and CancelAll when the pool's token already fired).</summary>
    /// <returns>False when the worker is already gone; its reader reports it.</returns>
    public bool TryWriteInit(in InitFrame init, bool cancelAll)
    {
        try
        {
            lock (_writeLock)
            {
                _writer = new FrameWriter(_channel!);
                _writer.Write(init);
                if (cancelAll)
                {
                    _writer.Write(default(CancelAllFrame));
                }

                _writer.Flush();
            }

            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Writes a batch of calls (each function defined before its first call), the cancels that came in
    /// meanwhile, and the Exit frame if asked. Each call keeps its arguments until it is answered: if its worker
    /// dies first, another worker gets the call again.</summary>
    /// <exception cref="IOException">The worker is gone.</exception>
    public void WriteCalls(List<WorkItem> batch, bool exit)
    {
        lock (_writeLock)
        {
            var writer = _writer!;
            foreach (var item in batch)
            {
                if (_defined.Add(item.Function.Id))
                {
                    writer.Write(new DefineFrame(item.Function, item.Function.Id, default));
                }

                writer.Write(new CallFrame(item.Id, item.Function.Id, item.Trace, default), item.Arguments);
            }

            WriteCancelsLocked();
            if (exit)
            {
                writer.Write(default(ExitFrame));
            }

            writer.Flush();
        }

        DrainCancels();
    }

    /// <summary>Tells the worker to skip call <paramref name="taskId"/> if it has not started it (any thread).</summary>
    public void SendCancel(long taskId)
    {
        _cancels.Enqueue(taskId);
        DrainCancels();
    }

    /// <summary>Fires the token of the worker's running and later cancellable tasks.</summary>
    public void SendCancelAll()
    {
        lock (_writeLock)
        {
            TryWriteLocked(static w => w.Write(default(CancelAllFrame)));
        }

        DrainCancels();
    }

    /// <summary>Reads frames until the channel ends, handing each to <paramref name="onFrame"/>, then waits for
    /// the process to exit. Run on the worker's reader thread.</summary>
    /// <returns>The exit code (null if unknown), and the error when the channel carried something that is not a
    /// frame (or <paramref name="onFrame"/> refused one).</returns>
    public (int? ExitCode, Exception? Corrupt) ReadToEnd(Action<FrameKind, byte[]> onFrame)
    {
        Exception? corrupt = null;
        try
        {
            var reader = new FrameReader(_channel!, FrameKinds.ToParent);
            while (reader.TryRead(out var kind, out var body))
            {
                onFrame(kind, body);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The channel ended.
        }
#pragma warning disable CA1031 // Nothing may escape a pool thread: anything else is corrupt data, reported to the caller.
        catch (Exception e)
#pragma warning restore CA1031
        {
            corrupt = e;
            Kill();
        }

        _readerDone.Set();
        return (WaitForExitCode(), corrupt);
    }

    /// <summary>Calls <paramref name="onDead"/> once the process has exited while the reader is blocked on an empty
    /// channel that some other process keeps open (see the remarks); not when the channel ends normally.</summary>
    public void WatchExit(Action<int?> onDead)
    {
        var process = _process!;
        try
        {
            process.EnableRaisingEvents = true;
            process.Exited += (_, _) => WaitForStarvedReader(onDead);
            if (process.HasExited)
            {
                WaitForStarvedReader(onDead);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or ObjectDisposedException)
        {
            // Exited and already disposed by the reader, which reported the end.
        }
    }

    /// <summary>Whoever reports the worker's end first (the reader or the exit watch) claims it; the other does not.</summary>
    public bool ClaimEnd() => Interlocked.Exchange(ref _endClaimed, 1) == 0;

    /// <summary>Ends the process at once (SIGKILL); harmless when it is gone.</summary>
    public void Kill()
    {
        try
        {
            _process?.Kill();
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException or ObjectDisposedException)
        {
            // Already exited.
        }
    }

    /// <summary>Closes the channel and frees the process handle, once the reader is done with them.</summary>
    public void Close()
    {
        _channel?.Dispose();
        _process?.Dispose();
    }

    private int? WaitForExitCode()
    {
        var process = _process!;
        try
        {
            // The channel ended: the process is exiting. Bounded, so a broken pool is reported within a second.
            if (!process.WaitForExit(TimeSpan.FromMilliseconds(500)))
            {
                Kill();
                process.WaitForExit(TimeSpan.FromSeconds(5));
            }

            return process.HasExited ? process.ExitCode : null;
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            return null;
        }
    }

    /// <summary>On the exit event: the process is gone, so once the reader has been blocked on an empty channel
    /// for two checks in a row, every frame the worker wrote has been read.</summary>
    private void WaitForStarvedReader(Action<int?> onDead)
    {
        var channel = _channel!;
        var seen = -1L;
        while (!_readerDone.Wait(TimeSpan.FromMilliseconds(100)))
        {
            var (blocked, reads) = channel.ReadState;
            if (blocked && reads == seen)
            {
                int? exitCode = null;
                try
                {
                    exitCode = _process!.ExitCode;
                }
                catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
                {
                }

                onDead(exitCode);
                return;
            }

            seen = blocked ? reads : -1;
        }
    }

    /// <summary>Sends queued cancels if the channel is free. Whoever holds <c>_writeLock</c> calls this after
    /// releasing it, so a cancel queued while it wrote is never left behind.</summary>
    private void DrainCancels()
    {
        while (!_cancels.IsEmpty && Monitor.TryEnter(_writeLock))
        {
            try
            {
                TryWriteLocked(static _ => { });
            }
            finally
            {
                Monitor.Exit(_writeLock);
            }
        }
    }

    /// <summary>Writes <paramref name="write"/> and the queued cancels, and flushes; a gone worker is its reader's
    /// to report. Under <c>_writeLock</c>.</summary>
    private void TryWriteLocked(Action<FrameWriter> write)
    {
        if (_writer is null)
        {
            return;   // not started: the Init frame carries what is needed
        }

        try
        {
            write(_writer);
            WriteCancelsLocked();
            _writer.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // The worker is gone; its reader reports it.
        }
    }

    private void WriteCancelsLocked()
    {
        while (_cancels.TryDequeue(out var taskId))
        {
            _writer!.Write(new CancelFrame(taskId));
        }
    }
}

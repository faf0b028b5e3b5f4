using System.Buffers.Binary;

namespace Weft.Processes;

/// <summary>
/// The worker's outgoing frames: the main thread posts each one as soon as it exists. When the main thread has
/// nothing more to run it sends them itself (<see cref="Flush"/>, no thread hop); while it runs further calls, a
/// writer thread sends what has accumulated within <see cref="BatchDelay"/> of the first post. So a result never
/// waits behind a later long task (at most about a millisecond), and results of tiny tasks leave together.
/// </summary>
/// <remarks>A <see cref="FrameKind.Started"/> frame still waiting when its own result is posted is dropped (the
/// result says the call started), so tiny tasks cost no extra frame. Lock order: <c>_sendLock</c> (whoever writes
/// the channel), then <c>_gate</c> (the pending buffer); the channel is written without <c>_gate</c>.</remarks>
internal sealed class WorkerOutbox
{
    private const int InitialSize = 1 << 16;

    /// <summary>How long the writer lets results gather while the main thread keeps running calls.</summary>
    private static readonly TimeSpan BatchDelay = TimeSpan.FromMilliseconds(1);

    private readonly Stream _channel;
    private readonly object _sendLock = new();
    private readonly object _gate = new();
    private readonly Thread _writer;
    private readonly BodyWriter _fields = new();       // guarded by _gate
    private byte[] _spare = new byte[InitialSize];     // guarded by _sendLock
    private byte[] _pending = new byte[InitialSize];   // guarded by _gate
    private int _count;                                // guarded by _gate
    private int _startedAt = -1;                       // offset of a Started frame still in _pending, guarded by _gate
    private long _startedId;
    private bool _completed;

    public WorkerOutbox(Stream channel)
    {
        _channel = channel;
        _writer = new Thread(RunWriter) { IsBackground = true, Name = "Weft worker writer" };
        _writer.UnsafeStart();
    }

    /// <summary>Says that call <paramref name="taskId"/> has started.</summary>
    public void PostStarted(long taskId)
    {
        lock (_gate)
        {
            var at = _count;
            AppendLocked(new StartedFrame(taskId), default);
            _startedAt = at;
            _startedId = taskId;
        }
    }

    /// <summary>Queues a frame with its payload. A Result or Error frame for the call whose Started frame is still
    /// waiting replaces it (the result implies the start).</summary>
    public void Post<TFrame>(in TFrame frame, ReadOnlySpan<byte> payload = default)
        where TFrame : struct, IFrame<TFrame>
    {
        lock (_gate)
        {
            var finishes = frame switch
            {
                ResultFrame result => result.TaskId,
                ErrorFrame error => error.TaskId,
                _ => (long?)null,
            };
            if (_startedAt >= 0 && finishes == _startedId)
            {
                _count = _startedAt;
            }

            _startedAt = -1;
            AppendLocked(frame, payload);
        }
    }

    /// <summary>Sends everything posted so far, on this thread.</summary>
    public void Flush()
    {
        lock (_sendLock)
        {
            SendPending();
        }
    }

    /// <summary>Sends everything posted so far and stops the writer.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.Pulse(_gate);
        }

        _writer.Join();
        Flush();
    }

    /// <summary>Appends one frame to the pending buffer. Under <c>_gate</c>.</summary>
    private void AppendLocked<TFrame>(in TFrame frame, ReadOnlySpan<byte> payload)
        where TFrame : struct, IFrame<TFrame>
    {
        _fields.Clear();
        frame.WriteFields(_fields);
        var fields = _fields.WrittenSpan;
        var length = 5 + fields.Length + payload.Length;
        if (_count + length > _pending.Length)
        {
            Array.Resize(ref _pending, (int)Math.Min(Array.MaxLength, Math.Max(2L * _pending.Length, (long)_count + length)));
        }

        var span = _pending.AsSpan(_count, length);
        BinaryPrimitives.WriteInt32LittleEndian(span, checked(1 + fields.Length + payload.Length));
        span[4] = (byte)TFrame.Kind;
        fields.CopyTo(span[5..]);
        payload.CopyTo(span[(5 + fields.Length)..]);
        if (_count == 0)
        {
            Monitor.Pulse(_gate);
        }

        _count += length;
    }

    private void RunWriter()
    {
        while (true)
        {
            lock (_gate)
            {
                while (_count == 0 && !_completed)
                {
                    Monitor.Wait(_gate);
                }

                if (_completed)
                {
                    return;
                }

                Monitor.Wait(_gate, BatchDelay);   // let more results join, unless the main thread sends them first
            }

            Flush();
        }
    }

    /// <summary>Swaps the pending buffer out and writes it. Under <c>_sendLock</c>.</summary>
    private void SendPending()
    {
        byte[] sending;
        int count;
        lock (_gate)
        {
            if (_count == 0)
            {
                return;
            }

            sending = _pending;
            count = _count;
            _pending = _spare.Length > 4 * InitialSize ? new byte[InitialSize] : _spare;
            _count = 0;
            _startedAt = -1;
        }

        try
        {
            _channel.Write(sending, 0, count);
            _channel.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            Environment.Exit(0);   // the parent is gone: nobody can use what we compute
        }

        _spare = sending;
    }
}

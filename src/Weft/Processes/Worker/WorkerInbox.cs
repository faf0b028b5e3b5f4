namespace Weft.Processes;

/// <summary>
/// The frames the worker's reader thread hands to its main thread, in order. A lock and a queue of objects rather
/// than a <c>BlockingCollection</c> of tuples: code shared by every reference type is compiled into the framework
/// already, while a collection of a struct is compiled in every new worker before its first call can run.
/// </summary>
internal sealed class WorkerInbox
{
    private readonly Queue<Frame> _frames = new();   // guarded by itself
    private bool _waiting;                           // the main thread is in Take; guarded by _frames

    /// <summary>Adds a frame (reader thread).</summary>
    public void Add(FrameKind kind, byte[] body)
    {
        lock (_frames)
        {
            _frames.Enqueue(new Frame(kind, body));
            if (_waiting)
            {
                Monitor.Pulse(_frames);
            }
        }
    }

    /// <summary>Takes the next frame without waiting (main thread).</summary>
    public bool TryTake(out Frame frame)
    {
        lock (_frames)
        {
            return _frames.TryDequeue(out frame!);
        }
    }

    /// <summary>Takes the next frame, waiting for one (main thread).</summary>
    public Frame Take()
    {
        lock (_frames)
        {
            Frame? frame;
            while (!_frames.TryDequeue(out frame))
            {
                _waiting = true;
                Monitor.Wait(_frames);
                _waiting = false;
            }

            return frame;
        }
    }

    /// <summary>One frame of the channel.</summary>
    public sealed class Frame(FrameKind kind, byte[] body)
    {
        public FrameKind Kind { get; } = kind;

        public byte[] Body { get; } = body;
    }
}

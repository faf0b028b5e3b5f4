namespace Weft.Processes;

/// <summary>The parent's end of a worker channel, counting reads so that the exit watch can tell a reader blocked
/// on an empty channel from one busy with what it read (see <see cref="WorkerConnection"/>).</summary>
internal sealed class WatchedStream(Stream inner) : Stream
{
    private long _started;
    private long _finished;

    /// <summary>Gets whether a read is blocked in the channel now, and how many reads have finished.</summary>
    public (bool Blocked, long Finished) ReadState
    {
        get
        {
            var finished = Volatile.Read(ref _finished);
            return (Volatile.Read(ref _started) != finished, finished);
        }
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Interlocked.Increment(ref _started);
        try
        {
            return inner.Read(buffer);
        }
        finally
        {
            Interlocked.Increment(ref _finished);
        }
    }

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}

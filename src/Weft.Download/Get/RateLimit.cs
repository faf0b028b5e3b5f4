namespace Weft.Download;

/// <summary><c>--limit-rate</c> for one transfer (as curl's): after each read, waits until the bytes so far
/// are no ahead of the rate; reads are at most a quarter second's worth, so each wait is short and the
/// idle clock never mistakes the pacing for a stall.</summary>
internal sealed class RateLimit(long bytesPerSecond, TimeProvider time)
{
    private readonly long _start = time.GetTimestamp();
    private long _bytes;

    /// <summary>Gets the most bytes one read may take.</summary>
    public int ChunkSize => (int)Math.Clamp(bytesPerSecond / 4, 1, 1 << 16);

    public Task WaitAsync(int read, CancellationToken cancellationToken)
    {
        _bytes += read;
        var due = TimeSpan.FromSeconds((double)_bytes / bytesPerSecond) - time.GetElapsedTime(_start);
        return due > TimeSpan.Zero ? Task.Delay(due, time, cancellationToken) : Task.CompletedTask;
    }
}

namespace Weft.Cli.Lab;

/// <summary>Reference-count updates from several threads at once; <see cref="UnderInterpreterLock"/> is null when the lock is not in this build.</summary>
internal sealed record RefcountResult(int Threads, long Expected, long Unsynchronised, long Locked, long Interlocked, long? UnderInterpreterLock)
{
    /// <summary>Updates lost without a lock.</summary>
    public long Lost => Expected - Unsynchronised;
}

namespace Weft.Cli.Lab;

/// <summary>Reference-count updates from several threads at once: without a lock, with one, with
/// Interlocked, and under the simulated interpreter lock.</summary>
internal sealed record RefcountResult(int Threads, long Expected, long Unsynchronised, long Locked, long Interlocked, long UnderInterpreterLock)
{
    /// <summary>Updates lost without a lock.</summary>
    public long Lost => Expected - Unsynchronised;
}

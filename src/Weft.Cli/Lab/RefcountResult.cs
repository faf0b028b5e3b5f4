namespace Weft.Cli.Lab;

/// <summary>Reference-count updates from several threads at once: without a lock, with one, with
/// Interlocked, and under the simulated interpreter lock. <see cref="Attempts"/> is the run of the unsynchronised
/// update that is reported (the first that lost updates, see RefcountDemo.CountWithoutLock).</summary>
internal sealed record RefcountResult(int Threads, long Expected, long Unsynchronised, int Attempts, long Locked, long Interlocked, long UnderInterpreterLock)
{
    /// <summary>Updates lost without a lock.</summary>
    public long Lost => Expected - Unsynchronised;
}

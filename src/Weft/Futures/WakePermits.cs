using System.Diagnostics;

namespace Weft;

/// <summary>
/// A counting semaphore whose <see cref="Wait"/> blocks at once, for workers that have already spun for work
/// themselves. <see cref="SemaphoreSlim.Wait()"/> first spins about 140 times, some 65 of them
/// <c>sched_yield</c> calls: on a 2-core machine sixteen idle download workers then take the CPU from the very
/// server and sockets they are waiting for.
/// </summary>
/// <remarks>Invariant, under <c>_gate</c>: <c>_count &gt;= 0</c> and <c>_waiters &gt;= 0</c>. A permit released
/// while no one waits is kept for the next <see cref="Wait"/>, so no wake-up is lost.</remarks>
internal sealed class WakePermits
{
    private readonly object _gate = new();
    private int _count;   // guarded by _gate
    private int _waiters; // guarded by _gate

    /// <summary>Takes a permit, blocking until one is released.</summary>
    /// <exception cref="ThreadInterruptedException">The thread was interrupted while it waited.</exception>
    public void Wait()
    {
        lock (_gate)
        {
            while (_count == 0)
            {
                _waiters++;
                try
                {
                    Monitor.Wait(_gate);
                }
                finally
                {
                    _waiters--;
                }
            }

            _count--;
            Debug.Assert(_count >= 0 && _waiters >= 0, "permits and waiters never go negative");
        }
    }

    /// <summary>Adds <paramref name="permits"/> permits, waking as many waiters.</summary>
    /// <param name="permits">How many; at least 1.</param>
    public void Release(int permits = 1)
    {
        Debug.Assert(permits >= 1, "a release adds at least one permit");
        lock (_gate)
        {
            _count += permits;
            if (_waiters == 0)
            {
                return;
            }

            if (permits == 1)
            {
                Monitor.Pulse(_gate);
            }
            else
            {
                Monitor.PulseAll(_gate);
            }
        }
    }
}

using System.Diagnostics;
using Weft.Lab;
using Xunit.Abstractions;

namespace Weft.Tests.Lab;

/// <summary>The coarse timing ratios run alone: they measure wall-clock time on a shared 2-core machine.</summary>
[CollectionDefinition(nameof(InterpreterLockTimingCollection), DisableParallelization = true)]
public sealed class InterpreterLockTimingCollection;

[Collection(nameof(InterpreterLockTimingCollection))]
public sealed class InterpreterLockTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);

    [Fact]
    public void Constructor_Default_SwitchIntervalIs5Ms() =>
        Assert.Equal(TimeSpan.FromMilliseconds(5), new InterpreterLock().SwitchInterval);

    [Fact]
    public void Constructor_NonPositiveInterval_Throws() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new InterpreterLock(TimeSpan.Zero));

    [Fact]
    public void Enter_Twice_ThrowsLockRecursion()
    {
        var gil = new InterpreterLock();
        using (gil.Enter())
        {
            Assert.Throws<LockRecursionException>(() => gil.Enter());
        }
    }

    [Fact]
    public void SleepAndDispose_WithoutHolding_ThrowSynchronizationLockException()
    {
        var gil = new InterpreterLock();
        Assert.Throws<SynchronizationLockException>(() => gil.Sleep(TimeSpan.Zero));
        var scope = gil.Enter();
        var copy = scope;
        scope.Dispose();
        scope.Dispose(); // a second Dispose of the same scope does nothing
        var error = (Exception?)null;
        try
        {
            copy.Dispose(); // a copy still thinks it owns the lock: releasing it again is refused
        }
        catch (SynchronizationLockException e)
        {
            error = e;
        }

        Assert.NotNull(error);
    }

    [Fact]
    public void Blocking_ReleasesLockDuringCall_AndReacquiresEvenWhenItThrows()
    {
        var gil = new InterpreterLock();
        using (gil.Enter())
        {
            var otherGotIt = gil.Blocking(() =>
            {
                var other = new Thread(() =>
                {
                    using (gil.Enter())
                    {
                    }
                });
                other.Start();
                return other.Join(Long);
            });
            Assert.True(otherGotIt);

            Assert.Throws<IOException>(() => gil.Blocking<int>(() => throw new IOException("disk")));
            gil.Checkpoint(); // still the holder: no exception
        }
    }

    [Fact]
    public void CpuThreads_UnderLock_NeverRunTogetherAndTakeTurns()
    {
        // Each thread works until it has held the lock in 3 separate turns (or the other one is done),
        // so the test proves forced turn-taking by counting, whatever the machine's load does to timing.
        var gil = new InterpreterLock();
        var inside = 0;
        var overlap = false;
        var lastRunner = -1;
        var turns = new int[2];
        var finished = 0;
        using var start = new Barrier(2);
        var threads = Enumerable.Range(0, 2).Select(id => new Thread(() =>
        {
            _ = start.SignalAndWait(Long); // a late partner only costs turns, which the assertions below count
            using (gil.Enter())
            {
                var giveUp = Stopwatch.GetTimestamp() + (long)(Long.TotalSeconds * Stopwatch.Frequency);
                for (long i = 0; turns[id] < 3 && Volatile.Read(ref finished) == 0 && Stopwatch.GetTimestamp() < giveUp; i++)
                {
                    if (Interlocked.Increment(ref inside) != 1)
                    {
                        overlap = true;
                    }

                    if (Volatile.Read(ref lastRunner) != id)
                    {
                        Volatile.Write(ref lastRunner, id);
                        turns[id]++;
                    }

                    Interlocked.Decrement(ref inside);
                    if ((i & 1023) == 0)
                    {
                        gil.Checkpoint();
                    }
                }

                Interlocked.Increment(ref finished);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(Long)));

        output.WriteLine($"turns: {turns[0]} and {turns[1]}, switches: {gil.Switches}, wait: {gil.WaitTime.TotalMilliseconds:F0} ms");
        Assert.False(overlap);
        Assert.Equal(3, turns.Max()); // the first to finish got the lock back twice after handing it over
        Assert.True(gil.Switches >= 4, $"expected at least 4 hand-overs, got {gil.Switches}");
        Assert.True(gil.WaitTime > TimeSpan.Zero);

        gil.ResetCounters();
        Assert.Equal(0, gil.Switches);
        Assert.Equal(TimeSpan.Zero, gil.WaitTime);
    }

    [Fact]
    public void TenSleepingThreads_UnderLock_AreAllInsideTheirSleepAtOnce()
    {
        // The barrier opens only when all ten threads are inside Blocking at the same moment, which they can be
        // only if each released the lock there. A lock held across the call fails this by a timeout, never by luck.
        var gil = new InterpreterLock();
        using var allInside = new Barrier(10);
        var met = new bool[10];
        var threads = Enumerable.Range(0, 10).Select(i => new Thread(() =>
        {
            using (gil.Enter())
            {
                met[i] = gil.Blocking(() => allInside.SignalAndWait(Long));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(Long)));
        Assert.All(met, Assert.True);
        Assert.Equal(0, gil.WaitingCount);
    }

    [Fact]
    public void Checkpoint_WithAWaiter_HandsTheLockOverAndQueuesBehindIt()
    {
        // Who held the lock when: the holder checkpoints only after the waiter has asked for a drop, so the
        // order of turns is fixed: main, waiter, main.
        var gil = new InterpreterLock(TimeSpan.FromMilliseconds(1));
        var turns = new List<string>();
        var main = gil.Enter();
        turns.Add("main");
        var waiter = new Thread(() =>
        {
            using (gil.Enter())
            {
                turns.Add("waiter");
            }
        });
        waiter.Start();
        Assert.True(SpinWait.SpinUntil(() => gil.WaitingCount == 1, Long));
        var switchesBefore = gil.Switches;

        // The waiter sets the drop request after one switch interval without a hand-over; keep checkpointing until it has.
        Assert.True(SpinWait.SpinUntil(
            () =>
            {
                gil.Checkpoint();
                return turns.Count == 2;
            },
            Long));
        turns.Add("main");
        main.Dispose();

        Assert.True(waiter.Join(Long));
        Assert.Equal(["main", "waiter", "main"], turns);
        Assert.Equal(switchesBefore + 2, gil.Switches);
    }
}

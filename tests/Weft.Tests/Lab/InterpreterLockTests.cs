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
    private const int Attempts = 3;
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
    public void TwoCpuThreads_UnderLock_TakeAtLeast1Point6TimesOne()
    {
        var gil = new InterpreterLock();
        var n = Calibrate(gil);
        var ratios = new List<double>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            gil.ResetCounters();
            var (one, two) = MedianTimes(n, gil);
            ratios.Add(two / one);
            output.WriteLine($"under lock: one {one * 1000:F0} ms, two {two * 1000:F0} ms, ratio {two / one:F2}, switches {gil.Switches}");
            if (two / one >= 1.6)
            {
                return;
            }
        }

        FailUnlessOverloaded($"two CPU-bound threads under the lock should take >= 1.6x one; best of {Attempts}: {ratios.Max():F2}");
    }

    [Fact]
    public void TwoCpuThreads_WithoutLock_TakeAtMost0Point75TimesTwoSequential()
    {
        if (Environment.ProcessorCount < 2)
        {
            output.WriteLine("skipped: the machine has 1 core, so two threads cannot run in parallel");
            return;
        }

        var n = Calibrate(gil: null);
        var ratios = new List<double>();
        for (var attempt = 0; attempt < Attempts; attempt++)
        {
            var (one, two) = MedianTimes(n, gil: null);
            var ratio = two / (2 * one); // against running the two pieces of work one after the other
            ratios.Add(ratio);
            output.WriteLine($"without lock: one {one * 1000:F0} ms, two {two * 1000:F0} ms, vs sequential {ratio:F2}");
            if (ratio <= 0.75)
            {
                return;
            }
        }

        FailUnlessOverloaded($"without the lock two CPU-bound threads should overlap (<= 0.75x sequential); best of {Attempts}: {ratios.Min():F2}");
    }

    [Fact]
    public void TenSleepingThreads_UnderLock_Overlap()
    {
        var gil = new InterpreterLock();
        using var ready = new CountdownEvent(10);
        using var go = new ManualResetEventSlim();
        var threads = Enumerable.Range(0, 10).Select(_ => new Thread(() =>
        {
            ready.Signal();
            go.Wait(Long);
            using (gil.Enter())
            {
                gil.Sleep(TimeSpan.FromMilliseconds(200));
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        Assert.True(ready.Wait(Long));

        var stopwatch = Stopwatch.StartNew();
        go.Set();
        Assert.All(threads, t => Assert.True(t.Join(Long)));
        stopwatch.Stop();

        output.WriteLine($"10 x 200 ms sleeps: {stopwatch.ElapsedMilliseconds} ms");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromMilliseconds(600), $"took {stopwatch.ElapsedMilliseconds} ms");
    }

    /// <summary>
    /// Wall-clock ratios mean nothing while other processes keep more threads runnable than there are cores
    /// (the CI box and the shared dev box both do at times): then the result is reported as inconclusive,
    /// not as a pass or a failure. The mutual exclusion itself is pinned by
    /// <see cref="CpuThreads_UnderLock_NeverRunTogetherAndTakeTurns"/>, which does not depend on timing.
    /// </summary>
    private void FailUnlessOverloaded(string message)
    {
        var load = LoadAverage();
        if (load > Environment.ProcessorCount)
        {
            output.WriteLine($"inconclusive: {message}, but the 1-minute load average is {load:F1} on {Environment.ProcessorCount} cores, so wall-clock ratios are noise");
            return;
        }

        Assert.Fail(message);
    }

    private static double LoadAverage()
    {
        try
        {
            var text = File.ReadAllText("/proc/loadavg");
            return double.Parse(text.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>One and two threads measured alternately, 5 rounds, medians: alternating spreads the machine's load over both.</summary>
    private static (double One, double Two) MedianTimes(long n, InterpreterLock? gil)
    {
        var ones = new List<double>();
        var twos = new List<double>();
        for (var round = 0; round < 5; round++)
        {
            ones.Add(Time(1, n, gil));
            twos.Add(Time(2, n, gil));
        }

        return (ones.Order().ElementAt(2), twos.Order().ElementAt(2));
    }

    /// <summary>Sizes the tutorial's CPU loop to about 40 ms on this machine now (after warming it up, so tiering does not skew the first attempt).</summary>
    private static long Calibrate(InterpreterLock? gil)
    {
        long n = 1 << 20;
        for (var warmUp = 0; warmUp < 5; warmUp++)
        {
            Work(n, gil); // tier-0 code and on-stack replacement would make the first timings several times too slow
        }

        while (true)
        {
            var seconds = Time(1, n, gil);
            if (seconds > 0.02)
            {
                return (long)(n * (0.04 / seconds));
            }

            n *= 4;
        }
    }

    private static double Time(int threads, long n, InterpreterLock? gil)
    {
        var stopwatch = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, threads).Select(_ => new Thread(() => Work(n, gil))).ToList();
        workers.ForEach(t => t.Start());
        workers.ForEach(t => Assert.True(t.Join(Long)));
        return stopwatch.Elapsed.TotalSeconds;
    }

    private static long Work(long n, InterpreterLock? gil)
    {
        long total = 0;
        if (gil is null)
        {
            for (long i = 0; i < n; i++)
            {
                total += i;
                if ((i & 1023) == 0)
                {
                    Volatile.Write(ref total, total);
                }
            }

            return total;
        }

        using (gil.Enter())
        {
            for (long i = 0; i < n; i++)
            {
                total += i;
                if ((i & 1023) == 0)
                {
                    gil.Checkpoint();
                }
            }
        }

        return total;
    }
}

using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>"Thread Synchronization": a race, then Lock, RLock, Semaphore and Condition.</summary>
internal sealed partial class LocksDemo : IDemo
{
    public string Name => "locks";

    public string Section => "Thread Synchronization";

    public string Description => "a race on a shared counter, then Lock, RLock (re-entry), Semaphore (at most N at once), Condition";

    public int Run(TextWriter output, DemoOptions options)
    {
        var start = Stopwatch.GetTimestamp();
        Race(output);
        WithLock(output);
        ReentrantLock(output);
        SemaphoreLimit(output, options);
        ConditionProducerConsumer(output, options);
        output.WriteLine(Clock.Finished(start));
        return 0;
    }

    /// <summary>Runs the race until it loses updates: on a busy machine a short run can finish on one core before
    /// the next thread starts, and then shows nothing, so each attempt is four times longer (up to 32M increments).</summary>
    private static void Race(TextWriter output)
    {
        for (var increments = 500_000; ; increments *= 4)
        {
            var counter = RaceOnce(increments);
            var expected = 4L * increments;
            if (counter < expected || increments >= 32_000_000)
            {
                output.WriteLine($"Race: 4 threads x {increments:N0} increments without a lock -> {counter:N0} (expected {expected:N0}; {expected - counter:N0} lost)");
                return;
            }
        }
    }

    private static long RaceOnce(int increments)
    {
        var counter = 0;
        using var ready = new Barrier(4);
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            ready.SignalAndWait(); // start together, so the threads really overlap
            for (var i = 0; i < increments; i++)
            {
                // counter += 1 is read, add, write: two threads can read the same value.
                Volatile.Write(ref counter, Volatile.Read(ref counter) + 1);
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return counter;
    }

    private static void WithLock(TextWriter output)
    {
        // threading.Lock() -> System.Threading.Lock with the lock statement.
        var counter = 0;
        var gate = new Lock();
        var threads = Enumerable.Range(0, 4).Select(_ => new Thread(() =>
        {
            for (var i = 0; i < 500_000; i++)
            {
                lock (gate)
                {
                    counter++;
                }
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        output.WriteLine($"Lock: the same with lock (gate) {{ counter++; }} -> {counter:N0}");
    }

    private static void ReentrantLock(TextWriter output)
    {
        // threading.RLock(): C#'s lock is already re-entrant, so it is Python's RLock.
        var rlock = new Lock();
        int Depth(int n)
        {
            lock (rlock)
            {
                return n == 0 ? 0 : 1 + Depth(n - 1);
            }
        }

        output.WriteLine($"RLock: the same thread entered the lock {Depth(3) + 1} times, nested, without deadlock");

        // Python's plain Lock deadlocks on re-entry; the non-re-entrant lock in .NET is a SemaphoreSlim(1, 1).
        using var plain = new SemaphoreSlim(1, 1);
        plain.Wait();
        var again = plain.Wait(TimeSpan.Zero);
        plain.Release();
        output.WriteLine($"Lock (Python's, non-re-entrant) = SemaphoreSlim(1, 1): a second acquire by the same thread -> {(again ? "acquired" : "refused (Python would block for ever)")}");
    }

    private static void SemaphoreLimit(TextWriter output, DemoOptions options)
    {
        // threading.Semaphore(2): at most two workers inside at once.
        using var pool = new SemaphoreSlim(2);
        var inside = 0;
        var most = 0;
        var threads = Enumerable.Range(1, 6).Select(n => new Thread(() =>
        {
            pool.Wait();
            try
            {
                var now = Interlocked.Increment(ref inside);
                InterlockedMax(ref most, now);
                output.WriteLine($"  worker {n} holds a permit ({now} inside)");
                options.Sleep(0.3);
                Interlocked.Decrement(ref inside);
            }
            finally
            {
                pool.Release();
            }
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        output.WriteLine($"Semaphore(2): 6 workers, at most {most} inside at once");
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
    }
}

using System.Diagnostics;

namespace Weft.Cli.Demos;

/// <summary>Many concurrent waits, on threads or with async/await, measured for time and peak memory.</summary>
internal static class ConcurrentWaits
{
    /// <summary>One run's figures.</summary>
    /// <param name="Seconds">Wall time from the first start to the last finish.</param>
    /// <param name="PeakBytes">Peak working set above the level before the run.</param>
    /// <param name="Threads">The most threads the process had during the run.</param>
    internal sealed record Run(double Seconds, long PeakBytes, int Threads);

    /// <summary><paramref name="count"/> threads, each blocked in <see cref="Thread.Sleep(TimeSpan)"/>.</summary>
    /// <param name="count">How many waits.</param>
    /// <param name="wait">How long each waits, once all have started.</param>
    /// <returns>The figures.</returns>
    public static Run WithThreads(int count, TimeSpan wait) => Measure(() =>
    {
        // Every thread first waits for the last one to start, so all the waits really are concurrent.
        using var allStarted = new ManualResetEventSlim(false, spinCount: 0); // no spinning: 10,000 spinning threads would eat the CPU
        var threads = new Thread[count];

        // Thread.Start returns only once the new thread runs, so on a busy machine starting is bound by
        // scheduling latency; several starters overlap those waits.
        const int starters = 8;
        var startersDone = Enumerable.Range(0, starters).Select(s => new Thread(() =>
        {
            for (var i = s; i < count; i += starters)
            {
                // Small stacks: the default reserve is 8 MB each, committed only as touched.
                void WaitForAllThenSleep()
                {
                    allStarted.Wait();
                    Thread.Sleep(wait);
                }

                threads[i] = new Thread(WaitForAllThenSleep, maxStackSize: 256 * 1024) { IsBackground = true };
                threads[i].Start();
            }
        })).ToList();
        startersDone.ForEach(t => t.Start());
        startersDone.ForEach(t => t.Join());

        allStarted.Set();
        foreach (var t in threads)
        {
            t.Join();
        }
    });

    /// <summary><paramref name="count"/> async methods, each awaiting <see cref="Task.Delay(TimeSpan)"/>.</summary>
    /// <param name="count">How many waits.</param>
    /// <param name="wait">How long each waits, once all have started.</param>
    /// <returns>The figures.</returns>
    public static Run WithAsync(int count, TimeSpan wait) => Measure(() =>
    {
        static async Task WaitAsync(Task allStarted, TimeSpan wait)
        {
            await allStarted.ConfigureAwait(false);
            await Task.Delay(wait).ConfigureAwait(false);
        }

        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var tasks = new List<Task>(count);
        for (var i = 0; i < count; i++)
        {
            tasks.Add(WaitAsync(allStarted.Task, wait));
        }

        allStarted.SetResult();
        Task.WaitAll(tasks);
    });

    private static Run Measure(Action run)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var baseline = ProcessSample.Take();
        long peak = baseline.WorkingSet;
        var mostThreads = baseline.Threads;
        using var done = new ManualResetEventSlim();

        // Sample from a dedicated thread: the pool may be busy with the very work being measured.
        void Sample()
        {
            do
            {
                var now = ProcessSample.Take();
                peak = Math.Max(peak, now.WorkingSet);
                mostThreads = Math.Max(mostThreads, now.Threads);
            }
            while (!done.Wait(TimeSpan.FromMilliseconds(25)));
        }

        var sampler = new Thread(Sample) { IsBackground = true };
        sampler.Start();

        var start = Stopwatch.GetTimestamp();
        run();
        var seconds = Clock.Seconds(start);
        done.Set();
        sampler.Join();
        return new Run(seconds, Math.Max(0, peak - baseline.WorkingSet), mostThreads);
    }
}

using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Cli.Demos;

namespace Weft.Cli.Lab;

/// <summary>Runs the experiment matrix and computes the verdicts.</summary>
internal sealed partial class LabRunner(LabSettings settings, ILabProgress progress)
{
    /// <summary>Runs everything.</summary>
    /// <param name="cancellationToken">Stops between experiments.</param>
    /// <returns>The measurements and verdicts.</returns>
    public async Task<LabResults> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var createdAt = DateTimeOffset.UtcNow;
        var n = CpuWorkload.Calibrate(settings.CpuTaskTarget);
        var measurements = new List<Measurement>();
        var http = await IoHttpWorkload.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        await using (http.ConfigureAwait(false))
        {
            List<IReadOnlyList<Experiment>> groups =
            [
                IoSleepWorkload.Experiments(settings),
                http.Experiments,
                CpuWorkload.Experiments(settings, n),
            ];
            progress.Start(groups.Sum(g => g.Count) + 3);

            foreach (var group in groups)
            {
                double? sequential = null;
                foreach (var experiment in group)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var m = Measure(experiment, sequential);
                    sequential ??= m.Seconds;
                    measurements.Add(m);
                }
            }
        }

        var ordering = Step("ordering: map and as_completed", MeasureOrdering,
            o => $"map {string.Join(",", o.Map)}, as_completed {string.Join(",", o.AsCompleted)}");
        cancellationToken.ThrowIfCancellationRequested();
        var refcount = Step("refcount: shared counter from 4 threads", MeasureRefcount,
            r => $"{r.Lost:N0} of {r.Expected:N0} lost without a lock");
        cancellationToken.ThrowIfCancellationRequested();
        var waits = Step($"{settings.Waits:N0} concurrent waits: threads vs async", MeasureWaits,
            w => $"threads {Verdicts.S(w.Threads.Seconds)}, async {Verdicts.S(w.Async.Seconds)}");

        var results = new LabResults
        {
            CreatedAt = createdAt,
            Quick = settings.IsQuick,
            Machine = MachineInfo.Current,
            Experiments = measurements,
            Ordering = ordering,
            Refcount = refcount,
            ConcurrentWaits = waits,
            Seconds = Clock.Seconds(start),
        };
        return results with { Verdicts = Verdicts.Compute(results) };
    }

    private T Step<T>(string label, Func<T> run, Func<T, string> describe)
    {
        progress.Begin(label);
        var result = run();
        progress.End(label, describe(result));
        return result;
    }

    private Measurement Measure(Experiment e, double? sequential)
    {
        var label = $"{e.Workload} / {Strategies.Label(e.Strategy)}";
        progress.Begin(label);
        if (e.Prepare is null)
        {
            var missing = $"not available in this build (needs {e.Missing})";
            progress.End(label, missing);
            return new Measurement(e.Workload, e.Strategy, e.Tasks, e.Workers, null, null, e.Ideal, missing);
        }

        using var trial = e.Prepare();
        var times = new List<double>();
        for (var i = 0; i < settings.Repeats; i++)
        {
            var start = Stopwatch.GetTimestamp();
            trial.Run();
            times.Add(Clock.Seconds(start));
        }

        // The best run, not the median: other work on the machine only ever slows a run down, so the
        // fastest is the closest to what the strategy itself costs.
        var seconds = times.Min();
        var speedup = (sequential ?? seconds) / seconds;
        var m = new Measurement(e.Workload, e.Strategy, e.Tasks, e.Workers, seconds, speedup, e.Ideal, trial.Note);
        progress.End(label, $"{Verdicts.S(seconds)} ({Verdicts.X(speedup)})");
        return m;
    }

    private OrderingResult MeasureOrdering()
    {
        int[] secs = [5, 4, 3, 2, 1];
        var finished = new ConcurrentQueue<int>();
        int DoSomething(int units)
        {
            Thread.Sleep(settings.OrderUnit * units);
            finished.Enqueue(units);
            return units;
        }

        List<int> mapped;
        List<int> completed;
        using (var executor = new ThreadPoolExecutor(maxWorkers: secs.Length))
        {
            mapped = executor.Map(DoSomething, secs).ToList();
            var futures = secs.Select(s => executor.Submit(DoSomething, s)).ToList();
            completed = Futures.AsCompleted(futures).Select(f => f.Result()).ToList();
        }

        // The first half of 'finished' is the map run's finishing order.
        return new OrderingResult(secs, mapped, completed, finished.Take(secs.Length).ToList());
    }

    private static RefcountResult MeasureRefcount()
    {
        const long expected = (long)RefcountDemo.Threads * RefcountDemo.IncrementsPerThread;
        return new RefcountResult(
            RefcountDemo.Threads,
            expected,
            RefcountDemo.CountWithoutLock(),
            RefcountDemo.CountWithLock(),
            RefcountDemo.CountWithInterlocked(),
            RefcountUnderInterpreterLock());
    }

    private WaitsResult MeasureWaits()
    {
        var asyncRun = ConcurrentWaits.WithAsync(settings.Waits, settings.WaitDuration);
        var threadRun = ConcurrentWaits.WithThreads(settings.Waits, settings.WaitDuration);
        return new WaitsResult(
            settings.Waits,
            settings.WaitDuration.TotalSeconds,
            new WaitRun(threadRun.Seconds, threadRun.PeakBytes, threadRun.Threads),
            new WaitRun(asyncRun.Seconds, asyncRun.PeakBytes, asyncRun.Threads));
    }

    private static partial long? RefcountUnderInterpreterLock();
}

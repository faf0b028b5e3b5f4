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
                cancellationToken.ThrowIfCancellationRequested();
                measurements.AddRange(MeasureGroup(group));
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

    /// <summary>Times one workload's strategies in rounds (each strategy once per round, for
    /// <see cref="LabSettings.Repeats"/> rounds) and keeps each one's best run. Rounds, rather than one
    /// strategy's runs back to back, spread a burst of other load on the machine over all strategies;
    /// the best run, not the median, because other load only ever slows a run down.</summary>
    private List<Measurement> MeasureGroup(IReadOnlyList<Experiment> group)
    {
        var trials = new Trial?[group.Count];
        var best = Enumerable.Repeat(double.MaxValue, group.Count).ToArray();
        try
        {
            for (var i = 0; i < group.Count; i++)
            {
                trials[i] = group[i].Prepare?.Invoke();
            }

            for (var round = 1; round <= settings.Repeats; round++)
            {
                for (var i = 0; i < group.Count; i++)
                {
                    if (trials[i] is not { } trial)
                    {
                        continue;
                    }

                    progress.Begin($"{Label(group[i])} (run {round} of {settings.Repeats})");
                    var start = Stopwatch.GetTimestamp();
                    trial.Run();
                    best[i] = Math.Min(best[i], Clock.Seconds(start));
                }
            }

            // Sequential comes first in every group; it is the baseline of the speed-ups.
            var sequential = trials[0] is null ? (double?)null : best[0];
            var measurements = new List<Measurement>();
            for (var i = 0; i < group.Count; i++)
            {
                var e = group[i];
                Measurement m;
                if (trials[i] is not { } trial)
                {
                    m = new Measurement(e.Workload, e.Strategy, e.Tasks, e.Workers, null, null, e.Ideal, $"not available in this build (needs {e.Missing})");
                    progress.End(Label(e), m.Note!);
                }
                else
                {
                    m = new Measurement(e.Workload, e.Strategy, e.Tasks, e.Workers, best[i], (sequential ?? best[i]) / best[i], e.Ideal, trial.Note);
                    progress.End(Label(e), $"{Verdicts.S(m.Seconds)} ({Verdicts.X(m.Speedup)})");
                }

                measurements.Add(m);
            }

            return measurements;
        }
        finally
        {
            foreach (var trial in trials)
            {
                trial?.Dispose();
            }
        }
    }

    private static string Label(Experiment e) => $"{e.Workload} / {Strategies.Label(e.Strategy)}";

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

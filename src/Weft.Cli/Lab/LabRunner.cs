using System.Collections.Concurrent;
using System.Diagnostics;
using Weft.Cli.Demos;
using Weft.Cli.Lab.Python;

namespace Weft.Cli.Lab;

/// <summary>Runs the experiment matrix on .NET and, when there is one, on CPython, and computes the verdicts.</summary>
internal sealed class LabRunner(LabSettings settings, ILabProgress progress, PythonChoice python)
{
    /// <summary>Runs everything.</summary>
    /// <param name="cancellationToken">Stops between experiments, and kills a running Python program.</param>
    /// <returns>The measurements and verdicts.</returns>
    public async Task<LabResults> RunAsync(CancellationToken cancellationToken = default)
    {
        var start = Stopwatch.GetTimestamp();
        var createdAt = DateTimeOffset.UtcNow;
        var loadAtStart = SystemLoad.OneMinute();
        using var cpython = CPythonRunner.Start(python, cancellationToken);
        var loops = CpuWorkload.Calibrate(settings.CpuTaskTarget);
        var rounds = new Rounds(settings, progress);
        var measurements = new List<Measurement>();
        var http = await IoHttpWorkload.StartAsync(settings, cancellationToken).ConfigureAwait(false);
        await using (http.ConfigureAwait(false))
        {
            List<(string Workload, IReadOnlyList<Experiment> DotNet, (string, string[]) Python, int Tasks)> groups =
            [
                (Strategies.IoSleep, IoSleepWorkload.Experiments(settings), CPythonWorkloads.IoSleep(settings), settings.IoTasks),
                (Strategies.IoHttp, http.Experiments, CPythonWorkloads.IoHttp(settings, http.Images), http.Images.Count),
                (Strategies.Cpu, CpuWorkload.Experiments(settings, loops), CPythonWorkloads.Cpu(settings), settings.CpuTasks),
            ];
            progress.Start(groups.Sum(g => g.DotNet.Count + (cpython.Ready ? 1 : 0)) + 3 + (cpython.Ready ? 1 : 0));

            foreach (var group in groups)
            {
                cancellationToken.ThrowIfCancellationRequested();
                measurements.AddRange(rounds.Measure(group.DotNet));
                if (cpython.Ready)
                {
                    var label = $"{group.Workload} / CPython {cpython.Version}: the tutorial's programs";
                    progress.Begin(label);
                    var before = SystemLoad.Snapshot();
                    var rows = cpython.Measure(group.Workload, group.Python, group.Tasks, cancellationToken);
                    // The interpreter has ended and been waited for: its CPU time (and its pool's) is this process's.
                    var otherCores = SystemLoad.OtherCores(before, SystemLoad.Snapshot(), Environment.ProcessorCount);
                    rows = [.. rows.Select(m => m with { OtherCores = otherCores })];
                    measurements.AddRange(rows);
                    progress.End(label, rows.Count > 0
                        ? string.Join(", ", rows.Select(m => $"{Strategies.Label(m.Strategy)} {Verdicts.S(m.Seconds)}"))
                        : cpython.Status.Reason ?? "failed");
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
        if (cpython.Ready)
        {
            var label = $"{settings.Waits:N0} concurrent waits / CPython {cpython.Version}: threading.Thread vs asyncio";
            progress.Begin(label);
            var py = cpython.MeasureWaits(settings, cancellationToken);
            progress.End(label, py is null
                ? cpython.Status.Reason ?? "failed"
                : $"threads {Verdicts.S(py.Threads.Seconds)}{(py.AllThreadsStarted ? string.Empty : $" ({py.Threads.Started:N0} started)")}, asyncio {Verdicts.S(py.Async.Seconds)}");
        }

        var results = new LabResults
        {
            CreatedAt = createdAt,
            Quick = settings.IsQuick,
            Machine = MachineInfo.Current with
            {
                Python = cpython.Version,
                GilEnabled = cpython.GilEnabled,
                // Before the run: by its end the average counts the lab's own threads, 4 CPU-bound at a time.
                LoadAverage = loadAtStart,
            },
            Experiments = measurements,
            Ordering = ordering,
            Refcount = refcount,
            ConcurrentWaits = waits,
            CPython = cpython.Status,
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

    /// <summary>map() and as_completed() each on their own run, each with its own finishing order: a verdict
    /// about as_completed compares its yield order with the order its own tasks finished.</summary>
    private OrderingResult MeasureOrdering()
    {
        int[] secs = [5, 4, 3, 2, 1];
        using var executor = new ThreadPoolExecutor(maxWorkers: secs.Length);

        var mapFinished = new ConcurrentQueue<int>();
        var mapped = executor.Map(units => DoSomething(units, mapFinished), secs).ToList();

        var completedFinished = new ConcurrentQueue<int>();
        var futures = secs.Select(s => executor.Submit(units => DoSomething(units, completedFinished), s)).ToList();
        var completed = Futures.AsCompleted(futures).Select(f => f.Result()).ToList();

        return new OrderingResult(secs, mapped, [.. mapFinished], completed, [.. completedFinished]);
    }

    private int DoSomething(int units, ConcurrentQueue<int> finished)
    {
        Thread.Sleep(settings.OrderUnit * units);
        finished.Enqueue(units);
        return units;
    }

    private static RefcountResult MeasureRefcount()
    {
        const long expected = (long)RefcountDemo.Threads * RefcountDemo.IncrementsPerThread;
        var (unsynchronised, attempts) = RefcountDemo.CountWithoutLock();
        return new RefcountResult(
            RefcountDemo.Threads,
            expected,
            unsynchronised,
            attempts,
            RefcountDemo.CountWithLock(),
            RefcountDemo.CountWithInterlocked(),
            RefcountDemo.CountUnderInterpreterLock());
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
}

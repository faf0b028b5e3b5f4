using System.Diagnostics;
using Weft.Cli.Demos;
using Weft.Lab;

namespace Weft.Cli.Lab;

/// <summary>The CPU-bound workload of the GIL example: <c>total += i for i in range(n)</c>, four times.</summary>
internal static class CpuWorkload
{
    /// <summary>Finds the loop lengths that take <paramref name="target"/> here, after warming the JIT: the plain
    /// loop's, and the simulated lock's (its checkpoints make each iteration slower; its experiments compare it with
    /// itself on one thread, so it is sized to take as long, not to run as many iterations).</summary>
    /// <param name="target">How long one task should take.</param>
    /// <returns>The loop lengths, multiples of a million, at least the tutorial's 10**7.</returns>
    public static CpuLoops Calibrate(TimeSpan target)
    {
        var gil = new InterpreterLock();
        return new CpuLoops(
            Calibrate(target, n => CpuWork.CpuIntensiveTask(n)),
            Calibrate(target, n => CpuWork.CpuIntensiveTask(gil, n)));
    }

    private static long Calibrate(TimeSpan target, Func<long, long> loop)
    {
        // Tiered compilation: the first calls run unoptimised code until on-stack replacement kicks in.
        for (var i = 0; i < 3; i++)
        {
            loop(CpuWork.TutorialIterations);
        }

        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var start = Stopwatch.GetTimestamp();
            loop(CpuWork.TutorialIterations);
            best = Math.Min(best, Stopwatch.GetElapsedTime(start).TotalSeconds);
        }

        var n = (long)(target.TotalSeconds / best * CpuWork.TutorialIterations);
        return Math.Max(CpuWork.TutorialIterations, n / 1_000_000 * 1_000_000);
    }

    /// <summary>The experiments, sequential first.</summary>
    /// <param name="settings">The sizes.</param>
    /// <param name="loops">The loop lengths, from <see cref="Calibrate(TimeSpan)"/>.</param>
    /// <returns>One experiment per strategy.</returns>
    public static IReadOnlyList<Experiment> Experiments(LabSettings settings, CpuLoops loops)
    {
        var n = loops.Plain;
        var nGil = loops.Gil;
        var tasks = settings.CpuTasks;
        var cores = Environment.ProcessorCount;
        var poolWorkers = Math.Min(32, cores + 4);
        double Ideal(int workers) => Experiment.IdealSpeedup(tasks, Math.Min(workers, cores));
        const string w = Strategies.Cpu;
        var loop = $"loop of {n:N0}";
        return
        [
            new(w, Strategies.Sequential, tasks, 1, 1, () => new Trial(() =>
            {
                for (var i = 0; i < tasks; i++)
                {
                    CpuWork.CpuIntensiveTask(n);
                }
            }, note: () => loop)),
            new(w, Strategies.Threads, tasks, tasks, Ideal(tasks), () => new Trial(() => LabThreads.StartAndJoin(tasks, () => CpuWork.CpuIntensiveTask(n)))),
            new(w, Strategies.ThreadPool, tasks, poolWorkers, Ideal(poolWorkers), () => LabTasks.ThreadPoolTrial(
                executor => executor.Map(CpuWork.CpuIntensiveTask, Enumerable.Repeat(n, tasks)).Consume())),
            // The process pool claim is judged on a pool already running (its start-up is a fixed cost), so only
            // here is the warm pool timed beside the tutorial's with block.
            new(w, Strategies.ProcessPool, tasks, cores, Ideal(cores), () => LabTasks.ProcessPoolTrial(
                cores, pool => pool.Map(CpuWork.CpuIntensiveTask, Enumerable.Repeat(n, tasks)).Consume(), timeWarm: true), InProcess: false),
            new(w, Strategies.Async, tasks, 1, Ideal(tasks), () => new Trial(() =>
            {
                // An async method runs on its caller until its first await; with nothing to await, the
                // "concurrent" tasks run one after another, as coroutines do on asyncio's single thread.
                static Task<long> CpuIntensiveTaskAsync(long n) => Task.FromResult(CpuWork.CpuIntensiveTask(n));
                Task.WaitAll(Enumerable.Range(0, tasks).Select(_ => CpuIntensiveTaskAsync(n)));
            }, note: () => "no await inside: runs on the caller")),
            // Optimised code runs the plain loop several times faster than the loop with checkpoints, so the
            // lock's effect is measured against the same loop on one thread, not against the plain loop.
            new(w, Strategies.GilSequential, tasks, 1, 1, () =>
            {
                var gil = new InterpreterLock();
                return new Trial(() =>
                {
                    for (var i = 0; i < tasks; i++)
                    {
                        CpuWork.CpuIntensiveTask(gil, nGil);
                    }
                }, note: () => $"the baseline of threads + simulated GIL; loop of {nGil:N0} with the lock's checkpoints");
            }),
            new(w, Strategies.GilThreads, tasks, tasks, Ideal(tasks), () =>
            {
                var gil = new InterpreterLock();
                return new Trial(
                    () => LabThreads.StartAndJoin(tasks, () => CpuWork.CpuIntensiveTask(gil, nGil)),
                    note: () => $"against sequential + simulated GIL; {gil.Switches / settings.Repeats:N0} lock switches, {gil.WaitTime.TotalSeconds / settings.Repeats:F2} s waiting per run");
            }, Strategies.GilSequential),
        ];
    }
}

using Weft.Lab;

namespace Weft.Cli.Lab;

/// <summary>The IO-bound workload of sections 2 and 3: tasks that sleep (wait for IO).</summary>
internal static class IoSleepWorkload
{
    /// <summary>The experiments, sequential first.</summary>
    /// <param name="settings">The sizes.</param>
    /// <returns>One experiment per strategy.</returns>
    public static IReadOnlyList<Experiment> Experiments(LabSettings settings)
    {
        var n = settings.IoTasks;
        var latency = settings.IoLatency;
        var ms = (int)latency.TotalMilliseconds;
        var poolWorkers = Math.Min(32, Environment.ProcessorCount + 4);
        var processes = Environment.ProcessorCount;
        const string w = Strategies.IoSleep;
        return
        [
            new(w, Strategies.Sequential, n, 1, 1, () => new Trial(() =>
            {
                for (var i = 0; i < n; i++)
                {
                    Thread.Sleep(latency);
                }
            }, note: () => $"{n} sleeps of {latency.TotalMilliseconds:0} ms")),
            new(w, Strategies.Threads, n, n, n, () => new Trial(() => LabThreads.StartAndJoin(n, () => Thread.Sleep(latency)))),
            new(w, Strategies.ThreadPool, n, poolWorkers, Experiment.IdealSpeedup(n, poolWorkers), () => LabTasks.ThreadPoolTrial(
                executor => executor.Map(_ => { Thread.Sleep(latency); return 0; }, Enumerable.Range(0, n)).Consume())),
            new(w, Strategies.ProcessPool, n, processes, Experiment.IdealSpeedup(n, processes), () => LabTasks.ProcessPoolTrial(
                processes, pool => pool.Map(LabTasks.SleepMilliseconds, Enumerable.Repeat(ms, n)).Consume()), InProcess: false),
            new(w, Strategies.Async, n, n, n, () => new Trial(() =>
            {
                static async Task DoSomethingAsync(TimeSpan latency) => await Task.Delay(latency).ConfigureAwait(false);
                Task.WaitAll(Enumerable.Range(0, n).Select(_ => DoSomethingAsync(latency)));
            })),
            new(w, Strategies.GilThreads, n, n, n, () =>
            {
                var gil = new InterpreterLock();
                return new Trial(
                    () => LabThreads.StartAndJoin(n, () =>
                    {
                        using (gil.Enter())
                        {
                            gil.Sleep(latency);
                        }
                    }),
                    note: () => $"{gil.Switches / settings.Repeats:N0} lock switches per run");
            }),
        ];
    }
}
